import DRLCloud

extension OutputsSection {
    /// The name of the group of VMs in no workload policy (`detail: per-policy`).
    public static let unprotectedGroup = "unprotected"

    /// The workload policy each VM and each VM's volume belongs to (`protection.policies`, the
    /// VMs its selectors select; without `policies`, every VM is in `<tenant>_default`, the
    /// paper's one policy; without a `protection` section, or for a VM no policy selects,
    /// `unprotected`), as a lookup by VM or volume name (an unknown name is `unprotected`).
    static func policyGroups(of spec: ScenarioSpec) -> (String) -> String {
        var owner: [String: String] = [:]
        if let w = spec.section(WorkloadSection.self) {
            let names = w.vms.map(\.spec.name)
            var vmPolicy: [String: String] = [:]
            if let p = spec.section(ProtectionSection.self) {
                if let policies = p.policies {
                    for policy in policies {
                        for s in policy.vms {
                            for n in ProtectionSection.select(s.name, among: names) where vmPolicy[n] == nil { vmPolicy[n] = policy.name }
                        }
                    }
                } else {
                    for n in names { vmPolicy[n] = "\(w.tenant)_default" }
                }
            }
            for vm in w.vms {
                let g = vmPolicy[vm.spec.name] ?? unprotectedGroup
                owner[vm.spec.name] = g
                if let v = vm.spec.volume { owner[v.name] = g }
            }
        }
        return { owner[$0] ?? unprotectedGroup }
    }
}
