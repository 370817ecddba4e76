import DRLSimCore
import DRLCloud

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
