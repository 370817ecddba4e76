import DRLSimCore
extension ConfigNode {
    /// This node with every location's origin set to `origin` (for substituted values).
    public func retagged(_ origin: SourceLocation.Origin) -> ConfigNode {
        var n = self
        n.location.origin = origin
        switch content {
        case .null, .scalar: break
        case .sequence(let items): n.content = .sequence(items.map { $0.retagged(origin) })
        case .mapping(let es):
            n.content = .mapping(es.map {
                var e = $0
                e.keyLocation.origin = origin
                e.value = $0.value.retagged(origin)
                return e
            })
        }
        return n
    }

    /// A copy with the value at `path` replaced by `value` (missing mapping keys are created, a
    /// null node counts as an empty mapping). Indices must exist.
    ///
    /// - Throws: `ScenarioError` (`.badPath`) naming the full `path` when a step does not fit
    ///   the tree (a key into a list or scalar, an index out of range).
    public func setting(_ path: ConfigPath, to value: ConfigNode) throws -> ConfigNode {
        try setting(path.components[...], to: value, full: path, walked: .root)
    }

    private func setting(_ rest: ArraySlice<ConfigPath.Component>, to value: ConfigNode,
                         full: ConfigPath, walked: ConfigPath) throws -> ConfigNode {
        guard let step = rest.first else { return value }
        let tail = rest.dropFirst()
        var n = self
        let here = walked.description.isEmpty ? "the scenario" : walked.description
        switch step {
        case .key(let k):
            var entries: [ConfigEntry]
            switch content {
            case .mapping(let es): entries = es
            case .null: entries = []
            default:
                throw ScenarioError(.badPath, at: value.location, keyPath: full.description,
                                    "cannot set key '\(k)': \(here) is \(shapeName), not a mapping")
            }
            if let i = entries.firstIndex(where: { $0.key == k }) {
                entries[i].value = try entries[i].value.setting(tail, to: value, full: full, walked: walked.appending(k))
            } else {
                let empty = ConfigNode(.null, at: value.location)
                let v = try empty.setting(tail, to: value, full: full, walked: walked.appending(k))
                entries.append(ConfigEntry(key: k, keyLocation: value.location, value: v))
            }
            n.content = .mapping(entries)
        case .index(let i):
            guard case .sequence(var items) = content else {
                throw ScenarioError(.badPath, at: value.location, keyPath: full.description,
                                    "cannot index [\(i)]: \(here) is \(shapeName), not a list")
            }
            guard i < items.count else {
                throw ScenarioError(.badPath, at: value.location, keyPath: full.description,
                                    "index \(i) is out of range (\(here) has \(items.count) element\(items.count == 1 ? "" : "s"))")
            }
            items[i] = try items[i].setting(tail, to: value, full: full, walked: walked.appending(index: i))
            n.content = .sequence(items)
        }
        return n
    }

    /// A copy without the top-level `key` (no-op when absent or not a mapping).
    public func removing(key: String) -> ConfigNode {
        guard case .mapping(let es) = content else { return self }
        var n = self
        n.content = .mapping(es.filter { $0.key != key })
        return n
    }
}
