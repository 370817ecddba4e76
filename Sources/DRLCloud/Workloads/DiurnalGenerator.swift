import Foundation
import DRLSimCore

/// How a `diurnal` workload's writes arrive within its rate process.
public enum DiurnalArrivals: String, Sendable, Codable, Hashable {
    /// Evenly spaced: the next write when the profile has accumulated one write's bytes.
    case constant
    /// A non-homogeneous Poisson process with intensity rate(t) / writeSize: the next write
    /// when the profile has accumulated writeSize × E bytes, E ~ Exp(1) (time change of a
    /// unit Poisson process; exact for a piecewise-constant intensity).
    case poisson
}

/// The packet-level writer of a `diurnal` workload: writes of `writeSize` following
/// `DiurnalProfile`'s piecewise-constant rate (a time-varying constant or Poisson writer).
/// Time is the generator's own nominal clock (the sum of its gaps), as for the other generators.
public final class DiurnalGenerator: WriteGenerator {
    let schedule: RateSchedule
    let size: Int64
    let arrivals: DiurnalArrivals
    let stream: RandomStream
    var cursor: OffsetCursor
    var clock = SimInstant.zero

    /// A generator for a device of `capacity` bytes.
    public init(profile: DiurnalProfile, writeSize: Int64, placement: WritePlacement, arrivals: DiurnalArrivals,
                capacity: Int64, stream: RandomStream) {
        precondition(profile.mean > 0 && writeSize > 0)
        schedule = .diurnal(profile)
        size = Swift.min(writeSize, capacity)
        self.arrivals = arrivals
        self.stream = stream
        cursor = OffsetCursor(capacity: capacity, placement: placement, stream: stream)
    }

    public func next() -> PlannedWrite? {
        // The first constant write comes once one write's bytes have accumulated from time 0.
        let target = arrivals == .poisson ? Double(size) * -log(stream.uniformPositive()) : Double(size)
        let t = Self.instant(after: clock, bytes: target, in: schedule)
        let gap = t - clock
        clock = t
        return PlannedWrite(gap: gap, write: BlockWrite(offset: cursor.place(size), length: size))
    }

    /// The instant at which `schedule` has written `bytes` more after `from` (exact for a
    /// piecewise-constant rate; skips zero-rate steps). `.distantFuture` if it never does.
    static func instant(after from: SimInstant, bytes: Double, in schedule: RateSchedule) -> SimInstant {
        var t = from, left = bytes
        for _ in 0..<10_000_000 {
            let s = schedule.segment(at: t)
            if s.rate > 0 {
                let need = SimDuration.seconds(left / s.rate)
                if s.until == nil || t + need <= s.until! { return t + need }
                left -= s.rate * (s.until! - t).seconds
            } else if s.until == nil {
                return .distantFuture
            }
            t = s.until!
        }
        return .distantFuture
    }
}
