import DRLSimCore

/// DRBD's dynamic resync-rate controller (drbd_worker.c `drbd_rs_controller`, drbd-and-tc.md
/// "Resync controller"), in bytes instead of 512 B sectors, one step per 100 ms (SLEEP_TIME).
///
/// Each step: `in` = resync bytes acknowledged since the last step; `want` = c-fill-target if
/// set, else `in x c-delay-target` (in steps); correction = want - in_flight - planned;
/// the correction is spread over `c-plan-ahead` steps; this step requests `in + plan[now]`,
/// clamped to [0, c-max-rate x 100 ms]. The first step (nothing in flight yet) plans
/// resync-rate x 100 ms per step.
public struct ResyncController: Sendable {
    let config: DRBDConfig
    var plan: [Int64]
    var planTotal: Int64 = 0
    var head = 0
    var ackedSinceStep: Int64 = 0
    /// Resync bytes requested but not yet acknowledged.
    public private(set) var inFlight: Int64 = 0

    /// The step length (100 ms).
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

    /// One 100 ms step: the bytes to request now.
    public mutating func nextRequest() -> Int64 {
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
            } else {
                want = config.cFillTarget > 0 ? config.cFillTarget : sIn * config.cDelayTarget
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
