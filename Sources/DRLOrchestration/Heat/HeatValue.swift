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
    public var parameterReferences: [String] {
        switch self {
        case .param(let p): return [p]
        case .list(let l): return l.flatMap(\.parameterReferences)
        case .map(let m): return m.flatMap(\.value.parameterReferences)
        default: return []
        }
    }
    /// Every `get_resource` name referenced inside this value, in order.
    public var resourceReferences: [String] {
        switch self {
        case .resource(let r): return [r]
        case .list(let l): return l.flatMap(\.resourceReferences)
        case .map(let m): return m.flatMap(\.value.resourceReferences)
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
