import Foundation
import DRLSimCore

extension Distribution {
    /// The distribution of `k * X` for `X` distributed as `self` (`k > 0`), exactly.
    ///
    /// Used to turn a size distribution into a service-time distribution at a fixed rate
    /// (`k = 8 / bitsPerSecond` seconds per byte).
    public func scaled(by k: Double) -> Distribution {
        switch self {
        case .constant(let v): return .constant(v * k)
        case .exponential(let m): return .exponential(mean: m * k)
        case .uniform(let a, let b): return .uniform(low: a * k, high: b * k)
        case .normal(let m, let s): return .normal(mean: m * k, sd: s * k)
        case .lognormal(let mu, let s): return .lognormal(mu: mu + Foundation.log(k), sigma: s)
        case .pareto(let a, let b): return .pareto(shape: a, scale: b * k)
        case .weibull(let a, let b): return .weibull(scale: a * k, shape: b)
        case .gamma(let a, let t): return .gamma(shape: a, scale: t * k)
        case .empirical(let v, let w): return .empirical(values: v.map { $0 * k }, weights: w)
        }
    }
}
