import Foundation
import DRLSimCore

/// How a probability distribution is written in a scenario, and its decoding into `Distribution`.
///
/// A scalar with a unit is a constant (`service: 1s`). Otherwise a mapping with `type:` and the
/// parameters below; parameters marked *q* are quantities of the key's dimension (times for
/// inter-arrival and service times: `mean: 1s`), the others plain numbers:
///
/// | type | parameters |
/// |---|---|
/// | `constant` | `value` *q* |
/// | `exponential` | `mean` *q* |
/// | `uniform` | `low` *q*, `high` *q* |
/// | `normal` | `mean` *q*, `sd` *q* |
/// | `lognormal` | `median` *q*, `sigma` (shape of the underlying normal) |
/// | `pareto` | `shape`, `scale` *q* (minimum value) |
/// | `weibull` | `scale` *q*, `shape` |
/// | `gamma` | `shape`, `scale` *q* |
/// | `empirical` | `values` (list of *q*), `weights` (list of numbers; default equal) |
public enum DistributionSpec {
    /// The accepted `type:` values.
    public static let types = ["constant", "exponential", "uniform", "normal", "lognormal", "pareto", "weibull", "gamma", "empirical"]

    /// Decodes `value` as a distribution of `dimension`.
    public static func decode(_ value: ConfigValue, _ dimension: QuantityDimension) throws -> Distribution {
        if value.node.scalar != nil {
            return .constant(try dimension.parse(value))
        }
        let dist: Distribution = try value.mapping { m in
            let q = { (key: String) throws -> Double in try dimension.parse(m.require(key)) }
            switch try m.choice("type", among: types) {
            case "constant": return .constant(try q("value"))
            case "exponential": return .exponential(mean: try q("mean"))
            case "uniform": return .uniform(low: try q("low"), high: try q("high"))
            case "normal": return .normal(mean: try q("mean"), sd: try q("sd"))
            case "lognormal":
                let median = try q("median")
                try m.check(median > 0, "median", "median must be positive")
                return .lognormal(mu: Foundation.log(median), sigma: try m.double("sigma"))
            case "pareto": return .pareto(shape: try m.double("shape"), scale: try q("scale"))
            case "weibull": return .weibull(scale: try q("scale"), shape: try m.double("shape"))
            case "gamma": return .gamma(shape: try m.double("shape"), scale: try q("scale"))
            default:
                let values = try m.list("values").map { try dimension.parse($0) }
                let weights = try m.value("weights")?.list().map { try $0.double() } ?? Array(repeating: 1, count: values.count)
                return .empirical(values: values, weights: weights)
            }
        }
        if let reason = dist.invalidReason { throw value.error(.invalidValue, "invalid \(dist): \(reason)") }
        return dist
    }

    /// The distribution in scenario syntax, e.g. `{type: exponential, mean: 1s}`.
    public static func render(_ d: Distribution, _ dim: QuantityDimension) -> String {
        let f = dim.format
        switch d {
        case .constant(let v): return f(v)
        case .exponential(let m): return "{type: exponential, mean: \(f(m))}"
        case .uniform(let a, let b): return "{type: uniform, low: \(f(a)), high: \(f(b))}"
        case .normal(let m, let s): return "{type: normal, mean: \(f(m)), sd: \(f(s))}"
        case .lognormal(let mu, let s): return "{type: lognormal, median: \(f(Foundation.exp(mu))), sigma: \(Units.formatNumber(s))}"
        case .pareto(let a, let b): return "{type: pareto, shape: \(Units.formatNumber(a)), scale: \(f(b))}"
        case .weibull(let a, let b): return "{type: weibull, scale: \(f(a)), shape: \(Units.formatNumber(b))}"
        case .gamma(let k, let t): return "{type: gamma, shape: \(Units.formatNumber(k)), scale: \(f(t))}"
        case .empirical(let v, let w):
            return "{type: empirical, values: [\(v.map(f).joined(separator: ", "))], weights: [\(w.map(Units.formatNumber).joined(separator: ", "))]}"
        }
    }
}

extension ConfigValue {
    /// A probability distribution of `dimension` (see `DistributionSpec` for the syntax).
    public func distribution(_ dimension: QuantityDimension) throws -> Distribution {
        // The parameters are recorded one by one in the trace as they are read.
        try DistributionSpec.decode(self, dimension)
    }
}
