import DRLSimCore
import Foundation
/// A `--set key.path=value` override, applied to the scenario tree before decoding.
///
/// The value is parsed as YAML (`--set wan.qdisc='{type: tbf, rate: 50mbit}'` works), so
/// quoting follows YAML. `sweep.<key path>=[...]` replaces or adds one sweep axis; setting a key
/// that is also swept removes it from the sweep (the override fixes it).
public struct ScenarioOverride: Sendable, Hashable {
    /// The text as given (`wan.rate=50mbit`).
    public var text: String
    /// The key path (`wan.rate`); for `sweep.<key>` the whole path including `sweep`.
    public var path: ConfigPath
    /// The parsed value.
    public var value: ConfigNode

    /// Parses `key.path=value`; errors name `file` (the scenario the override applies to).
    public static func parse(_ text: String, file: String) throws -> ScenarioOverride {
        let origin = SourceLocation.Origin.override(text)
        let at = SourceLocation(file: file, line: 0, origin: origin)
        guard let eq = text.firstIndex(of: "=") else {
            throw ScenarioError(.badPath, at: at, keyPath: text, "expected key.path=value")
        }
        let key = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let raw = String(text[text.index(after: eq)...])
        let path: ConfigPath
        if key.hasPrefix("sweep."), key.count > 6 {
            path = ConfigPath([.key("sweep"), .key(String(key.dropFirst(6)))])
        } else {
            guard let p = ConfigPath(parsing: key) else {
                throw ScenarioError(.badPath, at: at, keyPath: key, "malformed key path (expected e.g. wan.rate or workload.vms[0].volume.size)")
            }
            path = p
        }
        let value: ConfigNode
        do {
            value = try ConfigNode.parse(yaml: raw, file: file, origin: origin)?.retagged(origin) ?? ConfigNode(.null, at: at)
        } catch let e as ScenarioError {
            throw ScenarioError(.syntax, at: at, keyPath: key, "value is not valid YAML: \(e.message)")
        }
        let lineless = value.zeroLines()
        return ScenarioOverride(text: text, path: path, value: lineless)
    }
}

extension ConfigNode {
    /// This node with every line set to 0 (values from the command line have no line).
    func zeroLines() -> ConfigNode {
        var n = self
        n.location.line = 0
        n.location.column = 0
        switch content {
        case .null, .scalar: break
        case .sequence(let items): n.content = .sequence(items.map { $0.zeroLines() })
        case .mapping(let es):
            n.content = .mapping(es.map { var e = $0; e.keyLocation.line = 0; e.keyLocation.column = 0; e.value = $0.value.zeroLines(); return e })
        }
        return n
    }
}
