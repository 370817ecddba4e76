import DRLSimCore

/// One workload policy's own protection settings (Zerto VPGs each have their RPO, journal and
/// priority; the paper's "one or more workload policies", §4.3): its maximum protection
/// interval and DR-Logic driver; nil fields inherit the orchestrator's (`OrchestratorConfig`).
public struct PolicySchedule: Sendable, Hashable {
    /// Maximum protection interval (nil: `OrchestratorConfig.protectionInterval`).
    public var interval: SimDuration?
    /// DR-Logic driver (nil: the orchestrator's driver). A shaping driver
    /// (`bandwidth-shares`) sets link-wide rates and belongs to the orchestrator only.
    public var logic: LogicDriverChoice?
    /// Settings; nil inherits.
    public init(interval: SimDuration? = nil, logic: LogicDriverChoice? = nil) {
        self.interval = interval; self.logic = logic
    }
}
