/// A point in virtual time: integer nanoseconds since the start of the run.
///
/// The simulator's clock is a `SimInstant`; it never runs backwards (the event queue pops in
/// non-decreasing time order and `Simulator.schedule` rejects instants in the past).
public struct SimInstant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Nanoseconds since the start of the run.
    public var nanoseconds: Int64

    /// The instant `nanoseconds` ns after the start.
    @inlinable public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The start of every run.
    public static let zero = SimInstant(nanoseconds: 0)
    /// An instant later than any reachable one.
    public static let distantFuture = SimInstant(nanoseconds: Int64.max)

    /// The instant `s` seconds after the start (rounded to the nearest nanosecond).
    @inlinable public static func seconds(_ s: Double) -> SimInstant { SimInstant(nanoseconds: SimDuration.seconds(s).nanoseconds) }

    /// Seconds since the start (for reporting only).
    @inlinable public var seconds: Double { Double(nanoseconds) / 1e9 }

    @inlinable public static func < (a: SimInstant, b: SimInstant) -> Bool { a.nanoseconds < b.nanoseconds }
    /// The instant `d` later (saturating at `distantFuture`).
    @inlinable public static func + (a: SimInstant, d: SimDuration) -> SimInstant {
        let (r, o) = a.nanoseconds.addingReportingOverflow(d.nanoseconds)
        return o ? .distantFuture : SimInstant(nanoseconds: r)
    }
    /// The instant `d` earlier (saturating instead of trapping on overflow).
    @inlinable public static func - (a: SimInstant, d: SimDuration) -> SimInstant {
        let (r, o) = a.nanoseconds.subtractingReportingOverflow(d.nanoseconds)
        return o ? (d.nanoseconds > 0 ? SimInstant(nanoseconds: Int64.min + 1) : .distantFuture) : SimInstant(nanoseconds: r)
    }
    /// The duration from `b` to `a` (saturating instead of trapping on overflow).
    @inlinable public static func - (a: SimInstant, b: SimInstant) -> SimDuration {
        let (r, o) = a.nanoseconds.subtractingReportingOverflow(b.nanoseconds)
        return o ? (b.nanoseconds < 0 ? .max : SimDuration(nanoseconds: Int64.min + 1)) : SimDuration(nanoseconds: r)
    }
    @inlinable public static func += (a: inout SimInstant, d: SimDuration) { a = a + d }

    public var description: String { "t=\(seconds)s" }
}
