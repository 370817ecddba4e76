import DRLSimCore
import DRLCloud

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
    /// The backup site's restore throughput the units' restores and imports share.
    let restores: SharedRestores
    /// Nova's build slots on the backup's compute hosts, and the boots waiting for one (by unit).
    var builds: BuildSlots
    var bootWaiting: [Int: (Int) -> Void] = [:]
    /// The disaster instant.
    let disaster: SimInstant
    init(disaster: SimInstant, sim: Simulator, groups: RecoveryGroups) {
        self.disaster = disaster
        restores = SharedRestores(sim: sim)
        builds = BuildSlots(hosts: groups.computeHosts, limit: groups.maxConcurrentBuilds)
    }
}
