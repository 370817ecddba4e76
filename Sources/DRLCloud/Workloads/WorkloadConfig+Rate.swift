import DRLSimCore

extension WorkloadConfig {
    /// The workload as a rate process (`RateSchedule`, which documents the approximations for
    /// `poisson` and `trace`); nil for the video transcoder (a closed loop over its download:
    /// `FluidTranscoder`, through `transcoderConfig`).
    /// `traceBin` is the bin a trace is aggregated to.
    public func rateSchedule(traceBin: SimDuration = .seconds(10 as Int64)) -> RateSchedule? {
        switch self {
        case let .constantRate(rate, _, _): return .constant(rate)
        case let .onOff(rate, on, off, _, _): return .onOff(rate: rate, on: on, off: off)
        case let .poisson(wps, size, _): return .constant(wps * size.mean)
        case let .traceReplay(trace, scale): return RateSchedule.binned(trace, timeScale: scale, width: traceBin)
        case let .diurnal(profile, _, _, _): return .diurnal(profile)
        case .videoTranscoder: return nil
        }
    }

    /// The video transcoder's parameters (nil for other workloads): with `wan.model: flow` and a
    /// DRBD volume its fluid form is `FluidTranscoder` (DataPlane+Fluid.swift).
    public var transcoderConfig: VideoTranscoderConfig? {
        if case let .videoTranscoder(c) = self { return c }
        return nil
    }

    /// The size of the workload's writes (a Poisson workload's mean size; a trace's mean write;
    /// the transcoder's write size).
    public var writeSize: Int64 {
        switch self {
        case let .constantRate(_, s, _), let .onOff(_, _, _, s, _), let .diurnal(_, s, _, _): return s
        case let .poisson(_, size, _): return Swift.max(1, Int64(size.mean.rounded(.up)))
        case let .traceReplay(trace, _):
            let w = trace.records.filter(\.isWrite)
            return w.isEmpty ? 65_536 : Swift.max(1, w.reduce(0) { $0 + $1.size } / Int64(w.count))
        case let .videoTranscoder(c): return c.writeSize
        }
    }

    /// Where the workload places its writes (the fluid bitmap's coverage depends on it);
    /// a trace counts as random.
    public var placement: WritePlacement {
        switch self {
        case let .constantRate(_, _, p), let .onOff(_, _, _, _, p), let .poisson(_, _, p), let .diurnal(_, _, p, _): return p
        case .traceReplay, .videoTranscoder: return .random
        }
    }
}
