import DRLCloud

extension WorkloadSection {
    /// Each volume's effective type: as written, else the one `protection.policy` implies
    /// (snapshot: iscsi, replication: drbd), else iscsi (see `specs(policy:)`).
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] {
        let resolved = specs(policy: spec.section(ProtectionSection.self)?.policy)
        return zip(vms.indices, resolved).compactMap { i, s in
            guard let type = s.volume?.type else { return nil }
            return TraceEntry(path: "workload.vms[\(i)].volume.type", value: type.rawValue, isDefault: vms[i].volumeType == nil)
        }
    }
}
