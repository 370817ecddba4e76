import Foundation

/// A probability distribution as a scenario names it; sampled through GSL (gsl_randist.h).
///
/// Parameters are in the model's natural unit (seconds for times, bytes for sizes); the scenario
/// layer converts units before building one.
public enum Distribution: Hashable, Sendable, CustomStringConvertible {
    /// Always `value`.
    case constant(Double)
    /// Exponential with the given mean (gsl_ran_exponential takes the mean, not the rate).
    case exponential(mean: Double)
    /// Uniform on [low, high) (gsl_ran_flat).
    case uniform(low: Double, high: Double)
    /// Normal with mean and standard deviation (gsl_ran_gaussian + mean).
    case normal(mean: Double, sd: Double)
    /// Lognormal: exp of a normal with `mu`, `sigma` (gsl_ran_lognormal).
    case lognormal(mu: Double, sigma: Double)
    /// Pareto with shape `a` and scale `b` (x >= b) (gsl_ran_pareto).
    case pareto(shape: Double, scale: Double)
    /// Weibull with scale `a` and shape `b` (gsl_ran_weibull).
    case weibull(scale: Double, shape: Double)
    /// Gamma with shape `k` and scale `theta` (gsl_ran_gamma).
    case gamma(shape: Double, scale: Double)
    /// A discrete empirical distribution: `values[i]` with probability ∝ `weights[i]` (gsl_ran_discrete).
    case empirical(values: [Double], weights: [Double])

    /// The analytic mean (NaN where it does not exist, e.g. Pareto with shape <= 1).
    public var mean: Double {
        switch self {
        case .constant(let v): return v
        case .exponential(let m): return m
        case .uniform(let a, let b): return (a + b) / 2
        case .normal(let m, _): return m
        case .lognormal(let mu, let s): return (mu + s * s / 2).expValue
        case .pareto(let a, let b): return a > 1 ? a * b / (a - 1) : .nan
        case .weibull(let a, let b): return a * (1 + 1 / b).gammaValue
        case .gamma(let k, let t): return k * t
        case .empirical(let v, let w):
            let tw = w.reduce(0, +)
            return zip(v, w).reduce(0) { $0 + $1.0 * $1.1 } / tw
        }
    }

    /// The analytic variance (NaN where it does not exist).
    public var variance: Double {
        switch self {
        case .constant: return 0
        case .exponential(let m): return m * m
        case .uniform(let a, let b): return (b - a) * (b - a) / 12
        case .normal(_, let s): return s * s
        case .lognormal(let mu, let s): return ((s * s).expValue - 1) * (2 * mu + s * s).expValue
        case .pareto(let a, let b): return a > 2 ? b * b * a / ((a - 1) * (a - 1) * (a - 2)) : .nan
        case .weibull(let a, let b):
            let g1 = (1 + 1 / b).gammaValue, g2 = (1 + 2 / b).gammaValue
            return a * a * (g2 - g1 * g1)
        case .gamma(let k, let t): return k * t * t
        case .empirical(let v, let w):
            let tw = w.reduce(0, +), m = mean
            return zip(v, w).reduce(0) { $0 + $1.1 * ($1.0 - m) * ($1.0 - m) } / tw
        }
    }

    /// Checks the parameters; returns a reason when they are invalid.
    public var invalidReason: String? {
        switch self {
        case .constant(let v): return v.isFinite ? nil : "value must be finite"
        case .exponential(let m): return m > 0 ? nil : "mean must be positive"
        case .uniform(let a, let b): return a <= b ? nil : "low must not exceed high"
        case .normal(_, let s): return s >= 0 ? nil : "sd must not be negative"
        case .lognormal(_, let s): return s >= 0 ? nil : "sigma must not be negative"
        case .pareto(let a, let b): return a > 0 && b > 0 ? nil : "shape and scale must be positive"
        case .weibull(let a, let b): return a > 0 && b > 0 ? nil : "shape and scale must be positive"
        case .gamma(let k, let t): return k > 0 && t > 0 ? nil : "shape and scale must be positive"
        case .empirical(let v, let w):
            if v.isEmpty || v.count != w.count { return "values and weights must be non-empty and of equal length" }
            if w.contains(where: { $0 < 0 }) || w.reduce(0, +) <= 0 { return "weights must be non-negative with a positive sum" }
            return nil
        }
    }

    public var description: String {
        switch self {
        case .constant(let v): return "constant(\(v))"
        case .exponential(let m): return "exponential(mean: \(m))"
        case .uniform(let a, let b): return "uniform(\(a), \(b))"
        case .normal(let m, let s): return "normal(\(m), \(s))"
        case .lognormal(let m, let s): return "lognormal(mu: \(m), sigma: \(s))"
        case .pareto(let a, let b): return "pareto(shape: \(a), scale: \(b))"
        case .weibull(let a, let b): return "weibull(scale: \(a), shape: \(b))"
        case .gamma(let k, let t): return "gamma(shape: \(k), scale: \(t))"
        case .empirical(let v, _): return "empirical(\(v.count) values)"
        }
    }
}

extension Double {
    @usableFromInline var expValue: Double { Foundation.exp(self) }
    @usableFromInline var gammaValue: Double { Foundation.tgamma(self) }
}
