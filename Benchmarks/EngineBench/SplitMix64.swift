import Foundation

/// splitmix64 (Steele, Lea & Flood 2014) exactly as in shared/peers/rng.h, so every engine
/// simulates the identical sample path.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    /// The next 64-bit output.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// A uniform double in (0, 1), as rng.h's `uniform()`.
    mutating func uniform() -> Double { (Double(next() >> 11) + 0.5) * 0x1.0p-53 }
    /// An exponential variate with the given rate, as rng.h's `expo()`.
    mutating func expo(_ rate: Double) -> Double { -Foundation.log(uniform()) / rate }
}
