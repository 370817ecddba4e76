/// A property value in a Heat Orchestration Template (HOT): a literal or an intrinsic function.
///
/// Only the intrinsics the flame tool emits are modelled: `get_param` and `get_resource`
/// (HOT specification, "Intrinsic functions"). Maps keep their key order so that the YAML text
/// is deterministic.
public indirect enum HeatValue: Sendable, Hashable {
    /// A string literal.
    case string(String)
    /// An integer literal.
    case int(Int64)
    /// `{get_param: name}`.
    case param(String)
    /// `{get_resource: name}`.
    case resource(String)
    /// A YAML sequence.
    case list([HeatValue])
    /// A YAML mapping with ordered keys.
    case map([HeatProperty])

    /// Every `get_param` name referenced inside this value, in order.
    public var parameterReferences: [String] { references { if case .param(let p) = $0 { p } else { nil } } }
    /// Every `get_resource` name referenced inside this value, in order.
    public var resourceReferences: [String] { references { if case .resource(let r) = $0 { r } else { nil } } }

    /// The names `intrinsic` reads from this value and every value nested in it, in order.
    func references(_ intrinsic: (HeatValue) -> String?) -> [String] {
        if let name = intrinsic(self) { return [name] }
        switch self {
        case .list(let l): return l.flatMap { $0.references(intrinsic) }
        case .map(let m): return m.flatMap { $0.value.references(intrinsic) }
        default: return []
        }
    }
}

/// One `key: value` entry of a HOT property map.
public struct HeatProperty: Sendable, Hashable {
    /// The key.
    public var key: String
    /// The value.
    public var value: HeatValue
    /// An entry.
    public init(_ key: String, _ value: HeatValue) { self.key = key; self.value = value }
}
