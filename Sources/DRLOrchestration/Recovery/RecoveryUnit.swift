import DRLSimCore

/// One VM recovered on its own in a priority group (`RecoveryGroups`): its members' failovers,
/// its Heat stack, its boot, its first response. One row of `recovery_vms`.
struct RecoveryUnit {
    /// The policy's outcome index in `RecoveryPipeline.outcomes`.
    var outcome: Int
    /// The policy.
    var policy: String
    /// The VM (or a volume attached to no VM of the policy).
    var vm: ResourceID
    /// Its priority group.
    var priority: Int
    /// Indices of its policy members (the VM first, then its volumes, in member order).
    var members: [Int]
    /// When its group let it queue (the group's start).
    var queued: SimInstant?
    /// When it left the queue (its first failover started).
    var started: SimInstant?
    /// Its stack created.
    var recovered: SimInstant?
    /// It answers its clients.
    var responsive: SimInstant?
    /// Why it failed.
    var failure: RecoveryFailure?
    /// Its steps in order, then its stack's resources.
    var steps: [RecoveryOutcome.Step] = []
    /// Its stack's resources.
    var stackResources: [RecoveryOutcome.Step] = []
    /// The step it is in: (name, start).
    var current: (name: String, start: SimInstant)?
    /// True once its row is written.
    var ended = false
    /// The name its current step is recorded under (a failover's `image-import:<vm>`, ...).
    var rename: String?
}

/// The per-VM recovery of one disaster (`RecoveryGroups`): units, the scheduler, the policies
/// whose shared part has not ended yet, the policies' completions.
final class RecoveryGroupRun {
    var units: [RecoveryUnit] = []
    var scheduler: RecoveryGroupScheduler?
    /// Policies (outcome index) whose shared steps are still running.
    var pendingPolicies: Set<Int> = []
    /// Units not ended per policy outcome, and the completion of its `vms` step.
    var open: [Int: Int] = [:]
    var complete: [Int: (SimDuration, RecoveryFailure?) -> Void] = [:]
    /// The first VM failure of each policy outcome.
    var policyFailure: [Int: RecoveryFailure] = [:]
    /// Shared recovery state per policy outcome.
    var states: [Int: RecoveryState] = [:]
    /// Per priority group: (units, recovered, failed, first start, last responsive).
    var groupStats: [Int: (units: Int, recovered: Int, failed: Int, start: SimInstant?, responsive: SimInstant?)] = [:]
    /// True once every group ended (its `estate` row written).
    var finished = false
    /// The disaster instant.
    let disaster: SimInstant
    init(disaster: SimInstant) { self.disaster = disaster }
}
