import DRLSimCore
import DRLCloud

extension WorkloadSection {
    /// Each volume's effective type: as written, else the one `protection.policy` implies
    /// (snapshot: iscsi, replication: drbd), else iscsi (see `specs(policy:)`); and, when a
    /// volume is DRBD but the file has no `drbd:` section, the DRBD defaults it runs with.
    public func derivedTrace(in spec: ScenarioSpec) -> [TraceEntry] {
        let resolved = specs(policy: spec.section(ProtectionSection.self)?.policy)
        var out: [TraceEntry] = zip(vms.indices, resolved).compactMap { i, s in
            guard let type = s.volume?.type else { return nil }
            return TraceEntry(path: "workload.vms[\(i)].volume.type", value: type.rawValue, isDefault: vms[i].volumeType == nil)
        }
        if spec.section(DRBDSection.self) == nil, resolved.contains(where: { $0.volume?.type == .drbd }) {
            // Decode an empty `drbd:` mapping: exactly the defaults DRBDConfig() gives the run.
            let ctx = DecodingContext(file: spec.file, header: spec.header)
            let empty = ConfigMapping(entries: [], path: ConfigPath.root.appending(DRBDSection.key),
                                      location: spec.location(ofKey: DRBDSection.key), isPresent: true, context: ctx)
            if (try? DRBDSection.decode(empty)) != nil { out += ctx.trace }
        }
        return out
    }
}
