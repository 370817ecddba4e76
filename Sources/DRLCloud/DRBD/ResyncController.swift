import DRLSimCore

/// DRBD's dynamic resync-rate controller (`drbd_rs_controller`: drbd_worker.c in 8.4,
/// drbd_sender.c in 9.2; drbd-and-tc.md "Resync controller"), in bytes instead of 512 B sectors.
///
/// Each run: `in` = resync bytes that came back since the last run; `want` = c-fill-target if
/// set, else `in x c-delay-target / duration` (8.4: duration is always the 100 ms SLEEP_TIME;
/// 9.2 divides by the measured time since the last run, because it also runs early);
/// correction = want - in_flight - planned, spread over `c-plan-ahead` steps; this run
/// requests `in + plan[now]`, clamped to [0, c-max-rate x 100 ms] (both versions clamp to one
/// 100 ms interval's worth, RS_MAKE_REQS_INTV). The first run (nothing in flight, nothing
/// back) plans resync-rate x 100 ms per step.
///
/// When the controller runs is the device's business (`DRBDDevice+Resync.swift`): every
/// 100 ms in 8.4, and in 9.2 also early through `drbd_rs_all_in_flight_came_back`.
public struct ResyncController: Sendable {
    let config: DRBDConfig
    var plan: [Int64]
    var planTotal: Int64 = 0
    var head = 0
    /// Resync bytes that came back (acknowledged) since the last run (DRBD's `rs_sect_in`).
    public private(set) var ackedSinceStep: Int64 = 0
    /// Resync bytes requested and not yet subtracted at a run (DRBD's `rs_in_flight`: it is
    /// only reduced by `rs_sect_in` when the controller runs).
    public private(set) var inFlight: Int64 = 0

    /// The step length (100 ms: SLEEP_TIME in 8.4, RS_MAKE_REQS_INTV in 9.2).
    public static let step = SimDuration.milliseconds(100)

    /// A controller for `config`.
    public init(config: DRBDConfig) {
        self.config = config
        plan = Array(repeating: 0, count: Int(Swift.max(1, config.cPlanAhead)))
    }

    /// Resets between resyncs.
    public mutating func reset() {
        for i in plan.indices { plan[i] = 0 }
        planTotal = 0; head = 0; ackedSinceStep = 0; inFlight = 0
    }

    /// Resync bytes were acknowledged by the peer.
    public mutating func acknowledged(_ bytes: Int64) { ackedSinceStep += bytes }

    /// Whether everything requested has come back (9.2 `rs_sectors_came_in`: rs_sect_in >=
    /// rs_in_flight), with something in flight.
    public var allInFlightCameBack: Bool { inFlight > 0 && ackedSinceStep >= inFlight }

    /// One controller run after `duration` since the previous one: the bytes to request now.
    /// `duration` only matters for c-delay-target under DRBD 9 (8.4 assumes 100 ms).
    public mutating func nextRequest(duration: SimDuration = ResyncController.step) -> Int64 {
        let stepSeconds = Self.step.seconds
        let maxStep = Int64(config.cMaxRate * stepSeconds)
        switch config.resync {
        case .fixed(let rate):
            ackedSinceStep = 0
            return Swift.min(maxStep, Int64(rate * stepSeconds))
        case .dynamic:
            let sIn = ackedSinceStep
            ackedSinceStep = 0
            inFlight = Swift.max(0, inFlight - sIn)
            let steps = Int64(plan.count)
            let want: Int64
            if inFlight + sIn == 0 {
                want = Int64(config.resyncRate * stepSeconds) * steps
            } else if config.cFillTarget > 0 {
                want = config.cFillTarget
            } else if config.version == .v9 {
                // sect_in x c_delay_target x 1 s / (duration x 10)
                let d = Swift.max(1, duration.nanoseconds)
                want = Int64((Double(sIn) * Double(config.cDelayTarget) * 1e8 / Double(d)).rounded(.down))
            } else {
                want = sIn * config.cDelayTarget
            }
            let correction = want - inFlight - planTotal
            let cps = correction / steps
            for i in plan.indices { plan[i] += cps }
            planTotal += cps * steps
            let cur = plan[head]
            plan[head] = 0
            head = (head + 1) % plan.count
            planTotal -= cur
            var req = sIn + cur
            if req < 0 { req = 0 }
            if req > maxStep { req = maxStep }
            return req
        }
    }

    /// Records that `bytes` of resync were requested.
    public mutating func requested(_ bytes: Int64) { inFlight += bytes }
}
