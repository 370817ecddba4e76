import DRLCloud

/// Per-VM recovery in priority groups (VMware SRM's recovery plans; AWS DRS's parallel launch):
/// each VM of every policy is recovered as a unit of its own (its actions' failovers, its own
/// Heat stack, its boot), the units of priority 1 first, the next group once every VM of the
/// previous one is responsive (or failed), at most `concurrency` VMs at once within a group.
///
/// SRM 8 "Priority Groups": five groups, "all virtual machines in priority group 1 start
/// before the virtual machines in priority group 2", VMs of a group "start in parallel"
/// (docs.vmware.com, Site Recovery Manager Administration, "Recovery Plans and Priority
/// Groups"). SRM's groups are 1-5; here any integer >= 1 (groups in ascending order).
/// AWS Elastic Disaster Recovery launches the recovery instances of a drill or recovery job in
/// parallel (dr-landscape.md). Nil in `RecoveryPipeline.Config.groups`: the policy-wide
/// pipeline of the paper (one stack per policy, its VMs responsive together).
public struct RecoveryGroups: Sendable, Hashable {
    /// VMs recovering at once within a group (nil: every VM of the group at once).
    public var concurrency: Int?
    /// Each VM's priority group by resource ID (absent: 1).
    public var priorities: [ResourceID: Int]
    /// Compute hosts at the backup site that boot the recovered VMs (`BuildSlots`): 3, the
    /// testbed's Luleå site (`SiteConfig.backupDefault`); scenarios take `sites.backup.hosts`.
    public var computeHosts: Int = 3
    /// Nova's `max_concurrent_builds` per compute host: 10, nova.conf's default (OpenStack Nova
    /// configuration reference; `BuildSlots`).
    public var maxConcurrentBuilds: Int = 10

    /// Groups with `concurrency` (nil: unbounded) and `priorities` (absent: 1).
    public init(concurrency: Int? = nil, priorities: [ResourceID: Int] = [:]) {
        self.concurrency = concurrency; self.priorities = priorities
    }

    /// The priority group of `vm` (1 when not given).
    public func priority(of vm: ResourceID) -> Int { priorities[vm] ?? 1 }
}
