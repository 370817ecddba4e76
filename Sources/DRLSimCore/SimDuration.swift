/// A span of virtual time in integer nanoseconds.
///
/// Virtual time is never a `Double`: durations are exact integers so that event order and CSV
/// output are reproducible bit for bit. Conversions from seconds round to the nearest nanosecond.
public struct SimDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The length in nanoseconds.
    public var nanoseconds: Int64

    /// A duration of `nanoseconds` ns.
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The zero-length duration.
    public static let zero = SimDuration(nanoseconds: 0)
    /// The longest representable duration (about 292 years).
    public static let max = SimDuration(nanoseconds: Int64.max)

    /// `n` nanoseconds.
    @inlinable public static func nanoseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n) }
    /// `n` microseconds.
    @inlinable public static func microseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000) }
    /// `n` milliseconds.
    @inlinable public static func milliseconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000) }
    /// `n` whole seconds.
    @inlinable public static func seconds(_ n: Int64) -> SimDuration { SimDuration(nanoseconds: n * 1_000_000_000) }
    /// `s` seconds, rounded to the nearest nanosecond (saturating at `.max`).
    @inlinable public static func seconds(_ s: Double) -> SimDuration {
        let ns = (s * 1e9).rounded()
        if ns >= 9.2e18 { return .max }
        if ns <= -9.2e18 { return SimDuration(nanoseconds: Int64.min + 1) }
        return SimDuration(nanoseconds: Int64(ns))
    }
    /// `m` minutes.
    @inlinable public static func minutes(_ m: Int64) -> SimDuration { .seconds(m * 60) }

    /// The length in seconds (for reporting only; never feed this back into time arithmetic).
    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    /// The time to serialise `bytes` at `bitsPerSecond`, rounded up to a whole nanosecond.
    ///
    /// - Complexity: O(1); exact integer arithmetic for rates up to ~1e12 bit/s.
    @inlinable public static func transmission(bytes: Int64, bitsPerSecond: Double) -> SimDuration {
        precondition(bitsPerSecond > 0, "rate must be positive")
        let ns = (Double(bytes) * 8e9 / bitsPerSecond).rounded(.up)
        return ns >= 9.2e18 ? .max : SimDuration(nanoseconds: Int64(ns))
    }

    @inlinable public static func < (a: SimDuration, b: SimDuration) -> Bool { a.nanoseconds < b.nanoseconds }
    @inlinable public static func + (a: SimDuration, b: SimDuration) -> SimDuration {
        let (r, o) = a.nanoseconds.addingReportingOverflow(b.nanoseconds)
        return o ? (b.nanoseconds > 0 ? .max : SimDuration(nanoseconds: Int64.min + 1)) : SimDuration(nanoseconds: r)
    }
    @inlinable public static func - (a: SimDuration, b: SimDuration) -> SimDuration {
        let (r, o) = a.nanoseconds.subtractingReportingOverflow(b.nanoseconds)
        return o ? (b.nanoseconds < 0 ? .max : SimDuration(nanoseconds: Int64.min + 1)) : SimDuration(nanoseconds: r)
    }
    @inlinable public static func * (a: SimDuration, k: Int64) -> SimDuration {
        let (r, o) = a.nanoseconds.multipliedReportingOverflow(by: k)
        return o ? ((a.nanoseconds < 0) != (k < 0) ? SimDuration(nanoseconds: Int64.min + 1) : .max) : SimDuration(nanoseconds: r)
    }
    @inlinable public static func += (a: inout SimDuration, b: SimDuration) { a = a + b }
    @inlinable public static func -= (a: inout SimDuration, b: SimDuration) { a = a - b }

    public var description: String { "\(seconds)s" }
}
