import CGSL

/// One named stream of random numbers, backed by GSL's MT19937 generator (gsl_rng.h).
///
/// Streams are created from `(scenario seed, replication, name)` by `StreamSeed.derive`; MT19937
/// takes a 32-bit seed in GSL (`mt19937_set`), so the 64-bit derived seed is folded (hi ^ lo) and
/// zero is mapped to GSL's default 4357. This is the only place in DRLSim that draws randomness.
public final class RandomStream {
    /// The stream's name (e.g. `"workload.transcoder.writes"`).
    public let name: String
    /// The GSL seed actually used.
    public let gslSeed: UInt
    @usableFromInline let rng: UnsafeMutablePointer<gsl_rng>

    /// A stream seeded directly with `seed` (tests; models use `init(seed:replication:name:)`).
    public init(name: String, rawSeed seed: UInt64) {
        GSL.configure()
        self.name = name
        let folded = UInt((seed >> 32) ^ (seed & 0xFFFF_FFFF))
        self.gslSeed = folded == 0 ? 4357 : folded
        guard let r = gsl_rng_alloc(cgsl_rng_mt19937()) else { fatalError("gsl_rng_alloc: out of memory") }
        rng = r
        gsl_rng_set(rng, gslSeed)
    }

    /// The stream `name` of replication `replication` in a run with base seed `seed`.
    public convenience init(seed: UInt64, replication: Int, name: String) {
        self.init(name: name, rawSeed: StreamSeed.derive(seed: seed, replication: replication, name: name))
    }

    deinit { gsl_rng_free(rng) }

    /// A uniform double in [0, 1) (gsl_rng_uniform).
    @inlinable public func uniform() -> Double { gsl_rng_uniform(rng) }
    /// A uniform double in (0, 1) (gsl_rng_uniform_pos).
    @inlinable public func uniformPositive() -> Double { gsl_rng_uniform_pos(rng) }
    /// A uniform integer in [0, n) (gsl_rng_uniform_int). - Precondition: 0 < n <= 2^32.
    @inlinable public func uniformInt(_ n: Int) -> Int { Int(gsl_rng_uniform_int(rng, UInt(n))) }
    /// True with probability `p` (a Bernoulli trial).
    @inlinable public func bernoulli(_ p: Double) -> Bool { p > 0 && gsl_rng_uniform(rng) < p }
}
