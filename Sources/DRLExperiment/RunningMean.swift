import DRLSimCore

/// The arithmetic mean of a stream of doubles, computed as GSL's `gsl_stats_mean` computes it
/// over an array (statistics/mean_source.c: `long double mean = 0; mean += (x[i] - mean) /
/// (i + 1)` for each i, returned as a double), so a mean accumulated value by value is the
/// same double as `Statistics.mean` of the whole column (tested): summaries can be computed in
/// one pass without holding the column.
public struct RunningMean: Sendable {
    #if arch(x86_64) && !os(Windows)
    private var m: Float80 = 0
    #else
    private var values: [Double] = []   // no extended precision: keep the values, ask GSL
    #endif
    /// Values added.
    public private(set) var count = 0

    /// No value yet.
    public init() {}

    /// Adds `x`.
    public mutating func add(_ x: Double) {
        #if arch(x86_64) && !os(Windows)
        count += 1
        m += (Float80(x) - m) / Float80(count)
        #else
        count += 1
        values.append(x)
        #endif
    }

    /// The mean (NaN without values, like `Statistics.mean`).
    public var mean: Double {
        guard count > 0 else { return .nan }
        #if arch(x86_64) && !os(Windows)
        return Double(m)
        #else
        return Statistics.mean(values)
        #endif
    }
}
