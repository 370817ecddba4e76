/// A data rate in bits per second, in tc's SI spelling (`500mbit` = 500e6 bit/s = 62.5e6 B/s).
public struct Rate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Bits per second.
    public var bitsPerSecond: Int64

    /// A rate of `bitsPerSecond` bit/s.
    public init(bitsPerSecond: Int64) {
        precondition(bitsPerSecond > 0, "rate must be positive")
        self.bitsPerSecond = bitsPerSecond
    }

    /// `n` kbit/s (tc `kbit`, 1000 bit/s).
    public static func kbit(_ n: Double) -> Rate { Rate(bitsPerSecond: Int64((n * 1e3).rounded())) }
    /// `n` Mbit/s (tc `mbit`).
    public static func mbit(_ n: Double) -> Rate { Rate(bitsPerSecond: Int64((n * 1e6).rounded())) }
    /// `n` Gbit/s (tc `gbit`).
    public static func gbit(_ n: Double) -> Rate { Rate(bitsPerSecond: Int64((n * 1e9).rounded())) }
    /// `n` bytes per second (tc `bps`; ns-3's "KB/s" x 1000).
    public static func bytesPerSecond(_ n: Int64) -> Rate { Rate(bitsPerSecond: n * 8) }

    /// Bytes per second (the kernel's rate_bytes_ps), truncated.
    @inlinable public var bytesPerSecond: Int64 { bitsPerSecond / 8 }

    /// Nanoseconds to send `bytes` at this rate, truncated (psched_l2t_ns).
    @inlinable public func nanoseconds(forBytes bytes: Int64) -> Int64 {
        // bytes * 8e9 / bits; split to avoid overflow for large byte counts.
        let num = bytes.multipliedFullWidth(by: 8_000_000_000)
        return bitsPerSecond.dividingFullWidth(num).quotient
    }

    /// Bytes sent in `ns` nanoseconds at this rate, truncated (psched_ns_t2l).
    @inlinable public func bytes(inNanoseconds ns: Int64) -> Int64 {
        let num = ns.multipliedFullWidth(by: bitsPerSecond)
        return Int64(8_000_000_000).dividingFullWidth(num).quotient
    }

    /// Orders by value.
    public static func < (a: Rate, b: Rate) -> Bool { a.bitsPerSecond < b.bitsPerSecond }
    /// A readable form.
    public var description: String {
        let b = bitsPerSecond
        if b % 1_000_000_000 == 0 { return "\(b / 1_000_000_000)gbit" }
        if b % 1_000_000 == 0 { return "\(b / 1_000_000)mbit" }
        if b % 1_000 == 0 { return "\(b / 1_000)kbit" }
        return "\(b)bit"
    }
}
