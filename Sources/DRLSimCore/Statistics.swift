import CGSL

/// Sample statistics through GSL (gsl_statistics_double.h, gsl_cdf.h).
public enum Statistics {
    /// The arithmetic mean (gsl_stats_mean); NaN for an empty sample.
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : x.withUnsafeBufferPointer { gsl_stats_mean($0.baseAddress, 1, x.count) }
    }

    /// The unbiased sample variance (gsl_stats_variance, n - 1 denominator); NaN below 2 values.
    public static func variance(_ x: [Double]) -> Double {
        x.count < 2 ? .nan : x.withUnsafeBufferPointer { gsl_stats_variance($0.baseAddress, 1, x.count) }
    }

    /// The sample standard deviation.
    public static func standardDeviation(_ x: [Double]) -> Double { variance(x).squareRoot() }

    /// The `q`-quantile by linear interpolation (gsl_stats_quantile_from_sorted_data).
    public static func quantile(_ x: [Double], _ q: Double) -> Double {
        guard !x.isEmpty else { return .nan }
        let s = x.sorted()
        return s.withUnsafeBufferPointer { gsl_stats_quantile_from_sorted_data($0.baseAddress, 1, s.count, q) }
    }

    /// The two-sided Student-t quantile t_{1-(1-level)/2, dof} (gsl_cdf_tdist_Pinv).
    public static func studentT(level: Double, degreesOfFreedom dof: Int) -> Double {
        GSL.configure()
        return gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, Double(dof))
    }

    /// The Student-t confidence interval of the mean at `level` (e.g. 0.95).
    public static func confidenceInterval(_ x: [Double], level: Double = 0.95) -> ConfidenceInterval {
        let m = mean(x)
        guard x.count >= 2 else { return ConfidenceInterval(mean: m, halfWidth: .nan, level: level, count: x.count) }
        let hw = studentT(level: level, degreesOfFreedom: x.count - 1) * (variance(x) / Double(x.count)).squareRoot()
        return ConfidenceInterval(mean: m, halfWidth: hw, level: level, count: x.count)
    }
}

/// A confidence interval `mean ± halfWidth` of a sample of `count` values.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The sample mean.
    public var mean: Double
    /// Half the width of the interval.
    public var halfWidth: Double
    /// The confidence level (e.g. 0.99).
    public var level: Double
    /// The number of observations.
    public var count: Int
    /// The lower bound.
    public var lower: Double { mean - halfWidth }
    /// The upper bound.
    public var upper: Double { mean + halfWidth }
    /// True when `value` lies inside the closed interval.
    public func contains(_ value: Double) -> Bool { value >= lower && value <= upper }
}

/// Running mean and variance without storing the sample (Welford's algorithm).
public struct RunningStatistics: Sendable {
    /// Observations so far.
    public private(set) var count = 0
    /// The running mean.
    public private(set) var mean = 0.0
    private var m2 = 0.0
    /// The smallest observation.
    public private(set) var min = Double.infinity
    /// The largest observation.
    public private(set) var max = -Double.infinity
    /// An empty accumulator.
    public init() {}
    /// Adds `x`.
    public mutating func add(_ x: Double) {
        count += 1
        let d = x - mean
        mean += d / Double(count)
        m2 += d * (x - mean)
        if x < min { min = x }
        if x > max { max = x }
    }
    /// The unbiased sample variance (NaN below 2 observations).
    public var variance: Double { count < 2 ? .nan : m2 / Double(count - 1) }
}
