import DRLSimCore

/// A write workload as a rate process: a piecewise-constant rate in bytes per second that
/// changes only at known instants (issue 16 item 1: "writes as rate processes where the
/// workload allows it"). The fluid DRBD queue (`FluidDRBD`) integrates it exactly.
///
/// Which workloads have one (`WorkloadConfig.rateSchedule`):
/// - `constant`: its rate, for ever;
/// - `on-off`: the rate for `on`, zero for `off`, repeating, starting with a burst at 0 (as
///   `OnOffGenerator`);
/// - `diurnal`: `DiurnalProfile`'s steps;
/// - `poisson`: APPROXIMATION, a constant at its mean rate (writes per second × mean size);
///   the burstiness of Poisson arrivals is lost (it matters only when the send buffer is
///   within a few writes of full);
/// - `trace`: APPROXIMATION, the trace's write bytes aggregated into bins (each bin's bytes
///   spread evenly over the bin), zero after the last bin;
/// - `video-transcoder`: none (a closed loop over the download); on a DRBD volume under
///   `wan.model: flow` it runs as `FluidTranscoder`, phases whose ends depend on what the
///   device accepts.
public enum RateSchedule: Hashable, Sendable {
    /// A constant rate.
    case constant(Double)
    /// `rate` for `on`, then 0 for `off`, repeating from time 0.
    case onOff(rate: Double, on: SimDuration, off: SimDuration)
    /// A diurnal profile's steps.
    case diurnal(DiurnalProfile)
    /// Rates of consecutive bins of `width` from time 0; 0 after the last.
    case bins(width: SimDuration, rates: [Double])

    /// The rate at `t` and the instant it next may change (nil: never).
    public func segment(at t: SimInstant) -> (rate: Double, until: SimInstant?) {
        switch self {
        case .constant(let r):
            return (r, nil)
        case let .onOff(rate, on, off):
            let p = (on + off).nanoseconds
            guard off > .zero else { return (rate, nil) }
            let k = t.nanoseconds / p, inP = t.nanoseconds % p
            if inP < on.nanoseconds { return (rate, SimInstant(nanoseconds: k * p + on.nanoseconds)) }
            return (0, SimInstant(nanoseconds: (k + 1) * p))
        case .diurnal(let d):
            let s = d.segment(at: t)
            return (s.rate, s.until)
        case let .bins(width, rates):
            let k = t.nanoseconds / width.nanoseconds
            guard k < Int64(rates.count) else { return (0, nil) }
            return (rates[Int(k)], SimInstant(nanoseconds: (k + 1) * width.nanoseconds))
        }
    }

    /// Bytes written in [from, to) (exact for the schedule).
    public func bytes(from: SimInstant, to: SimInstant) -> Double {
        var t = from, total = 0.0
        while t < to {
            let s = segment(at: t)
            let e = Swift.min(to, s.until ?? to)
            total += s.rate * (e - t).seconds
            t = e
        }
        return total
    }

    /// A trace's write bytes aggregated into bins of `width` (times scaled by `timeScale`).
    public static func binned(_ trace: BlockTrace, timeScale: Double, width: SimDuration) -> RateSchedule {
        var rates: [Double] = []
        for r in trace.records where r.isWrite {
            let t = Int64((Double(r.time.nanoseconds) * timeScale).rounded())
            let k = Int(t / width.nanoseconds)
            if k >= rates.count { rates += Array(repeating: 0, count: k - rates.count + 1) }
            rates[k] += Double(r.size)
        }
        return .bins(width: width, rates: rates.map { $0 / width.seconds })
    }
}
