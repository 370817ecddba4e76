import DRLSimCore

/// Typed access to a `QdiscConfig`'s parameters after checking them against the discipline's
/// schema (unknown keys, aliases, kinds, ranges, defaults), with errors naming the key.
public struct QdiscParams {
    /// The resolved parameters (canonical keys, defaults filled in).
    public let values: ParameterValues
    private let raw: [String: ParameterValue]

    /// Checks `params` against `schema`.
    public init(_ params: [String: ParameterValue], schema: ParameterSchema) throws(NetworkConfigError) {
        raw = params
        switch schema.resolve(params) {
        case .success(let v): values = v
        case .failure(.unknown(let k, _)): throw .unknownParameter(key: k)
        case .failure(.missing(let k)): throw .missing(key: k)
        case .failure(.wrongKind(let k, let kind, _)): throw .badValue(key: k, value: params[k]?.description ?? "", expected: kind.expected)
        case .failure(.invalid(let k, let why)): throw .badValue(key: k, value: params[k]?.description ?? "", expected: why)
        }
    }

    /// Checks `config.params` against `schema`.
    public init(_ config: QdiscConfig, schema: ParameterSchema) throws(NetworkConfigError) {
        try self.init(config.params, schema: schema)
    }

    /// A rate parameter.
    public func rate(_ key: String) -> Rate? { values.rate(key).map { Rate(bitsPerSecond: Int64($0.rounded())) } }
    /// A size parameter in bytes.
    public func size(_ key: String) -> Int64? { values.size(key) }
    /// A duration parameter.
    public func time(_ key: String) -> SimDuration? { values.duration(key) }
    /// A count parameter.
    public func count(_ key: String) -> Int64? { values.number(key).map { Int64($0) } }
    /// A probability parameter.
    public func probability(_ key: String) -> Double? { values.number(key) }
    /// A text parameter.
    public func text(_ key: String) -> String? { values.text(key) }
    /// `value` (of parameter `key`) if it is at least `minimum`, else a `badValue` naming the
    /// key and saying what is needed (`expected`); nil passes through.
    public func atLeast(_ key: String, _ value: Int64?, _ minimum: Int64, _ expected: String) throws(NetworkConfigError) -> Int64? {
        guard let value else { return nil }
        guard value >= minimum else { throw .badValue(key: key, value: raw[key]?.description ?? String(value), expected: expected) }
        return value
    }
    /// A required rate parameter.
    public func requiredRate(_ key: String) throws(NetworkConfigError) -> Rate {
        guard let r = rate(key) else { throw .missing(key: key) }
        return r
    }
}

/// Parses tc class ids (`"1:10"`, hexadecimal minor as in tc) into (major, minor).
public enum ClassID {
    /// (major, minor) of `s`; `"1:"` has minor 0.
    public static func parse(_ s: String) throws(NetworkConfigError) -> (major: Int, minor: Int) {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let ma = Int(parts[0], radix: 16) else {
            throw .badValue(key: "classid", value: s, expected: "a class id such as 1:10")
        }
        let mi = parts[1].isEmpty ? 0 : Int(parts[1], radix: 16)
        guard let mi else { throw .badValue(key: "classid", value: s, expected: "a class id such as 1:10") }
        return (ma, mi)
    }
}
