import DRLCloud
import DRLOrchestration

extension RecoverySection {
    /// Per-VM recovery in priority groups (`RecoveryGroups`) when `recovery.concurrency` or
    /// some `workload.vms[i].priority` is written; nil otherwise (the policy-wide pipeline, the
    /// paper's). Without `concurrency`, every VM of a group recovers at once.
    public static func groups(in spec: ScenarioSpec) -> RecoveryGroups? {
        let recovery = spec.section(RecoverySection.self)
        let concurrency = recovery?.concurrency
        let vms = spec.section(WorkloadSection.self)?.vms ?? []
        guard concurrency != nil || vms.contains(where: { $0.priority != nil }) else { return nil }
        var priorities: [ResourceID: Int] = [:]
        for vm in vms { if let p = vm.priority { priorities[ResourceID(vm.spec.name)] = p } }
        var g = RecoveryGroups(concurrency: concurrency, priorities: priorities)
        g.computeHosts = (spec.section(SitesSection.self) ?? .standard).backup.hosts
        if let b = recovery?.maxConcurrentBuilds { g.maxConcurrentBuilds = b }
        return g
    }
}
