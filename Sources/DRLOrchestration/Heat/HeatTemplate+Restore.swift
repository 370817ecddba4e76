extension HeatValue {
    /// This value with every `get_param: name` replaced by `value`.
    fileprivate func replacingParameter(_ name: String, with value: HeatValue) -> HeatValue {
        switch self {
        case .param(let p) where p == name: return value
        case .list(let l): return .list(l.map { $0.replacingParameter(name, with: value) })
        case .map(let m): return .map(m.map { HeatProperty($0.key, $0.value.replacingParameter(name, with: value)) })
        default: return self
        }
    }
}

extension HeatTemplate {
    /// The template with the volume whose primary ID is `primaryID` restored inside the stack:
    /// Dragon's failover only imports the backup record, and its `process_recover_template`
    /// gives the template's volume a `backup_id`, so Heat's `OS::Cinder::Volume` restores it
    /// while the stack is created. The volume parameter (`volume_N_id`) becomes the resource
    /// `volume_N` with `backup_id` and `size` (GiB, rounded up), and every `get_param` of it
    /// becomes `get_resource: volume_N` (so its attachment waits for the restore).
    /// Returns the template unchanged when no volume parameter has that ID.
    public func restoringVolume(primaryID: String, backupID: String, sizeBytes: Int64) -> HeatTemplate {
        guard let i = parameters.firstIndex(where: { $0.role == .volume && $0.defaultValue == primaryID }) else { return self }
        var out = self
        let param = out.parameters.remove(at: i)
        let name = param.name.hasSuffix("_id") ? String(param.name.dropLast(3)) : "\(param.name)_resource"
        for k in out.resources.indices {
            out.resources[k].properties = out.resources[k].properties.map {
                HeatProperty($0.key, $0.value.replacingParameter(param.name, with: .resource(name)))
            }
        }
        let gib: Int64 = 1 << 30
        out.resources.append(HeatResource(name: name, type: .volume, properties: [
            HeatProperty("backup_id", .string(backupID)), HeatProperty("size", .int((sizeBytes + gib - 1) / gib))]))
        return out
    }
}
