/// A problem in a network or qdisc configuration, naming the offending key.
public enum NetworkConfigError: Error, Equatable, Sendable, CustomStringConvertible {
    /// `key` has a value that cannot be used (`expected` says what would be).
    case badValue(key: String, value: String, expected: String)
    /// A required parameter is missing.
    case missing(key: String)
    /// A parameter the discipline does not know.
    case unknownParameter(key: String)
    /// No discipline registered under `type`.
    case unknownType(String)
    /// A site name or index that does not exist.
    case unknownSite(String)
    /// Some other inconsistency.
    case invalid(String)

    /// The same error with `prefix.` prepended to its key path.
    public func prefixed(_ prefix: String) -> NetworkConfigError {
        func join(_ k: String) -> String { k.isEmpty ? prefix : "\(prefix).\(k)" }
        switch self {
        case .badValue(let k, let v, let e): return .badValue(key: join(k), value: v, expected: e)
        case .missing(let k): return .missing(key: join(k))
        case .unknownParameter(let k): return .unknownParameter(key: join(k))
        default: return self
        }
    }

    /// A readable form.
    public var description: String {
        switch self {
        case .badValue(let k, let v, let e): "\(k): \"\(v)\" is not valid (expected \(e))"
        case .missing(let k): "\(k): required"
        case .unknownParameter(let k): "\(k): unknown parameter"
        case .unknownType(let t): "unknown qdisc type \"\(t)\""
        case .unknownSite(let s): "unknown site \"\(s)\""
        case .invalid(let m): m
        }
    }
}
