import CGSL

/// Draws values of one `Distribution` from one `RandomStream` (gsl_randist.h).
///
/// For `.empirical` the GSL lookup table (gsl_ran_discrete_preproc, Walker's alias method) is
/// built once here and freed with the sampler.
public final class Sampler {
    /// The distribution sampled.
    public let distribution: Distribution
    /// The stream it draws from.
    public let stream: RandomStream
    private var table: OpaquePointer?
    private var empiricalValues: [Double] = []

    /// A sampler of `distribution` over `stream`.
    /// - Throws: `GSLError` when GSL rejects the parameters (e.g. empirical weights).
    public init(_ distribution: Distribution, stream: RandomStream) throws(GSLError) {
        GSL.configure()
        self.distribution = distribution
        self.stream = stream
        if let reason = distribution.invalidReason { throw GSLError(code: Int32(GSL_EINVAL), context: "\(distribution): \(reason)") }
        if case .empirical(let values, let weights) = distribution {
            empiricalValues = values
            let t = weights.withUnsafeBufferPointer { gsl_ran_discrete_preproc(weights.count, $0.baseAddress) }
            guard let t else { throw GSLError(code: Int32(GSL_EINVAL), context: "gsl_ran_discrete_preproc") }
            table = OpaquePointer(t)
        }
    }

    deinit { if let table { gsl_ran_discrete_free(UnsafeMutablePointer(table)) } }

    /// The next value.
    public func next() -> Double {
        let r = stream.rng
        switch distribution {
        case .constant(let v): return v
        case .exponential(let m): return gsl_ran_exponential(r, m)
        case .uniform(let a, let b): return a == b ? a : gsl_ran_flat(r, a, b)
        case .normal(let m, let s): return m + gsl_ran_gaussian(r, s)
        case .lognormal(let mu, let s): return gsl_ran_lognormal(r, mu, s)
        case .pareto(let a, let b): return gsl_ran_pareto(r, a, b)
        case .weibull(let a, let b): return gsl_ran_weibull(r, a, b)
        case .gamma(let k, let t): return gsl_ran_gamma(r, k, t)
        case .empirical:
            let i = gsl_ran_discrete(r, UnsafeMutablePointer(table!))
            return empiricalValues[i]
        }
    }

    /// The next value as a duration in seconds, clamped at zero.
    public func nextDuration() -> SimDuration { .seconds(Swift.max(0, next())) }
}
