/// A plug-in's parameters after `ParameterSchema.resolve` (or scenario decoding): canonical
/// keys, typed values, defaults filled in. Typed getters for plug-in factories.
public struct ParameterValues: Sendable, Hashable {
    /// Values by canonical key.
    public var values: [String: ParameterValue]
    /// Keys the user wrote (the others hold defaults).
    public var written: Set<String>

    /// Values `values`, of which `written` were written.
    public init(_ values: [String: ParameterValue] = [:], written: Set<String> = []) {
        self.values = values; self.written = written
    }

    /// The value of `key`, if set.
    public subscript(key: String) -> ParameterValue? { values[key] }

    /// A rate in bits per second.
    public func rate(_ key: String) -> Double? { if case .rate(let r)? = values[key] { return r }; return nil }
    /// A size in bytes.
    public func size(_ key: String) -> Int64? { if case .size(let b)? = values[key] { return b }; return nil }
    /// A duration.
    public func duration(_ key: String) -> SimDuration? { if case .duration(let d)? = values[key] { return d }; return nil }
    /// A whole number (a count).
    public func count(_ key: String) -> Int? { if case .number(let x)? = values[key] { return Int(x) }; return nil }
    /// A number (count, probability).
    public func number(_ key: String) -> Double? { if case .number(let x)? = values[key] { return x }; return nil }
    /// A boolean.
    public func bool(_ key: String) -> Bool? { if case .bool(let b)? = values[key] { return b }; return nil }
    /// Text (or a choice).
    public func text(_ key: String) -> String? { if case .text(let s)? = values[key] { return s }; return nil }
    /// A list of names.
    public func names(_ key: String) -> [String]? { if case .names(let n)? = values[key] { return n }; return nil }
    /// Numbers by name.
    public func weights(_ key: String) -> [String: Double]? { if case .weights(let w)? = values[key] { return w }; return nil }
}
