/// Derives the seed of a named random stream from (scenario seed, replication, stream name).
///
/// Each component draws from its own stream, so adding a model never shifts another model's
/// numbers (ns-3's `AssignStreams` idea). The derivation is FNV-1a over the name, mixed with the
/// seed and replication by splitmix64's finaliser (Steele, Lea & Flood, OOPSLA 2014).
public enum StreamSeed {
    /// splitmix64's output function applied to `x`.
    @inlinable public static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// FNV-1a 64-bit hash of the UTF-8 bytes of `name`.
    public static func fnv1a(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// The 64-bit seed of stream `name` in replication `replication` of a run seeded `seed`.
    public static func derive(seed: UInt64, replication: Int, name: String) -> UInt64 {
        mix(mix(mix(seed) ^ UInt64(truncatingIfNeeded: replication)) ^ fnv1a(name))
    }
}
