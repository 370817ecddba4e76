import DRLSimCore
import DRLCloud

/// DR-Orchestrator settings (orbit-software.md §2; paper §7).
public struct OrchestratorConfig: Sendable, Hashable {
    /// DR-Logic tick (`drlogic_interval`): 30 s.
    public var tick: SimDuration = .seconds(30.0)
    /// Maximum protection interval (`max_protection_interval`, scenario `protection.interval`):
    /// the paper's 5 min (§7.1), the one default every run has used (the released code ships 30
    /// min; write `interval: 30min` for it). One default, one place: YAML -> ProtectionSection
    /// -> this field -> DROrchestrator -> OrchestratorCore's countdown.
    public var protectionInterval: SimDuration = .minutes(5)
    /// Delay of the first protection after a policy is enabled (nil: one interval, the code's countdown).
    public var firstProtectionAfter: SimDuration? = nil
    /// Cleanup period: 3600 s.
    public var cleanupInterval: SimDuration = .seconds(3600.0)
    /// Ready containers kept per policy by cleanup: 1.
    public var keepNewest: Int = 1
    /// Retention by count and age (scenario `protection.retention`), applied whenever an
    /// execution becomes ready and at every cleanup. Nil: the released code's rule, keep the
    /// newest `keepNewest` at every cleanup only.
    public var retention: RetentionPolicy? = nil
    /// What a cleanup applies: `retention`, else keep the newest `keepNewest`.
    public var cleanupRetention: RetentionPolicy { retention ?? .keepNewest(keepNewest) }
    /// Due while running: overlap (the paper's behaviour), skip or queue.
    public var overlap: OverlapPolicy = .overlap
    /// The administrator's default VM action: image copy.
    public var vmAction: ProtectionActionName = .imageCopy
    /// The DR-Logic driver.
    public var logic = LogicDriverChoice()
    /// Per-policy interval and driver by policy name (`PolicySchedule`); absent: these settings.
    public var perPolicy: [String: PolicySchedule] = [:]
    /// Completed executions the driver sees per policy: 5.
    public var recentWindow: Int = 5
    /// Defaults: the paper's experimental settings (§7.1, protection every 5 min).
    public init() {}
}
