import DRLSimCore
import DRLCloud
import DRLOrchestration

/// A piecewise-constant write rate of one resource, with its exact cumulative bytes.
///
/// The fluid stand-in for DRLCloud's write workloads: enough to count dirty and lost bytes
/// exactly. `onOff` draws bursts from its own stream (exponential on and off periods).
public struct WriteProfile: Sendable {
    /// Segment starts (sorted) and the rate from each start on, bytes/s.
    public private(set) var segments: [(start: SimInstant, rate: Double)]

    /// A profile from segments (sorted by start; rate 0 before the first).
    public init(segments: [(start: SimInstant, rate: Double)]) { self.segments = segments.sorted { $0.start < $1.start } }
    /// A constant rate from time zero.
    public static func constant(_ bytesPerSecond: Double) -> WriteProfile { WriteProfile(segments: [(.zero, bytesPerSecond)]) }
    /// No writes.
    public static let idle = WriteProfile(segments: [])

    /// Bursts: `onRate` during on periods, 0 during off periods; period lengths exponential
    /// with the given means, drawn from `stream` until `horizon`. Starts off.
    public static func onOff(onRate: Double, meanOn: SimDuration, meanOff: SimDuration, horizon: SimInstant,
                             stream: RandomStream) -> WriteProfile {
        var segs: [(SimInstant, Double)] = []
        var t = SimInstant.zero
        var on = false
        while t < horizon {
            segs.append((t, on ? onRate : 0))
            let mean = on ? meanOn : meanOff
            let u = stream.uniformPositive()
            t = t + .seconds(-mean.seconds * log(u))
            on.toggle()
        }
        return WriteProfile(segments: segs)
    }

    /// The rate at `t`.
    public func rate(at t: SimInstant) -> Double { segments.last { $0.start <= t }?.rate ?? 0 }

    /// Bytes written in [0, t].
    public func bytesWritten(by t: SimInstant) -> Int64 {
        var total = 0.0
        for (i, s) in segments.enumerated() where s.start < t {
            let end = i + 1 < segments.count ? min(segments[i + 1].start, t) : t
            total += s.rate * (end - s.start).seconds
        }
        return Int64(total.rounded())
    }
}

import Foundation
