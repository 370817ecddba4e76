import DRLSimCore

/// One value of a scenario tree at a known key path, with typed readers that throw
/// `ScenarioError` naming the file, line and key path.
///
/// Every successful scalar read is recorded in the decoding context's trace (for `describe`).
public struct ConfigValue {
    /// The node read.
    public let node: ConfigNode
    /// Its key path from the root.
    public let path: ConfigPath
    /// The decode pass it belongs to.
    public let context: DecodingContext

    /// A value for `node` at `path`.
    public init(node: ConfigNode, path: ConfigPath, context: DecodingContext) {
        self.node = node
        self.path = path
        self.context = context
    }

    /// Where the value is written.
    public var location: SourceLocation { node.location }

    /// An error of `kind` at this value's line and key path.
    public func error(_ kind: ScenarioError.Kind = .invalidValue, _ message: String) -> ScenarioError {
        ScenarioError(kind, at: node.location, keyPath: path.description, message)
    }

    /// The scalar text; throws `.wrongType` for lists, mappings and null.
    public func scalarText(expecting what: String) throws -> String {
        guard let s = node.scalar else { throw error(.wrongType, "expected \(what), found \(node.shapeName)") }
        return s
    }

    private func recorded<T>(_ value: T, _ text: String) -> T {
        context.record(path, text, isDefault: false)
        return value
    }

    /// Records `text` and the number behind it in its base unit.
    private func recorded<T>(_ value: T, _ text: String, number: Double, unit: String) -> T {
        context.recordNumber(path, number, unit: unit)
        return recorded(value, text)
    }

    /// A string.
    public func string() throws -> String {
        let s = try scalarText(expecting: "text")
        return recorded(s, s)
    }

    /// An integer (decimal, `_` separators allowed).
    public func int() throws -> Int {
        let s = try scalarText(expecting: "an integer")
        guard let v = Int(s.replacingOccurrences(of: "_", with: "")) else {
            throw error(.wrongType, "\"\(s)\" is not an integer")
        }
        return recorded(v, s, number: Double(v), unit: "")
    }

    /// An integer within `range`.
    public func int(in range: ClosedRange<Int>) throws -> Int {
        let v = try int()
        guard range.contains(v) else {
            let hi = range.upperBound == Int.max ? "" : " and \(range.upperBound)"
            throw error(.invalidValue, hi.isEmpty ? "\(v) must be at least \(range.lowerBound)" : "\(v) must be between \(range.lowerBound)\(hi)")
        }
        return v
    }

    /// A non-negative 64-bit seed.
    public func uint64() throws -> UInt64 {
        let s = try scalarText(expecting: "a non-negative integer")
        guard let v = UInt64(s.replacingOccurrences(of: "_", with: "")) else {
            throw error(.wrongType, "\"\(s)\" is not a non-negative integer")
        }
        return recorded(v, s)
    }

    /// A finite real number (no unit).
    public func double() throws -> Double {
        let s = try scalarText(expecting: "a number")
        guard let v = Double(s.replacingOccurrences(of: "_", with: "")), v.isFinite else {
            throw error(.wrongType, "\"\(s)\" is not a number")
        }
        return recorded(v, s, number: v, unit: "")
    }

    /// A boolean: `true`/`false` (also `True`, `TRUE`, `yes`, `no`, `on`, `off`).
    public func bool() throws -> Bool {
        let s = try scalarText(expecting: "true or false")
        switch s.lowercased() {
        case "true", "yes", "on": return recorded(true, s)
        case "false", "no", "off": return recorded(false, s)
        default: throw error(.wrongType, "\"\(s)\" is not true or false")
        }
    }

    /// A duration with a unit (`100ms`, `30min`), as integer nanoseconds.
    public func duration() throws -> SimDuration {
        let s = try scalarText(expecting: "a duration (e.g. 100ms)")
        switch Units.parseDuration(s) {
        case .success(let d): return recorded(d, s, number: d.seconds, unit: "s")
        case .failure(let e): throw error(.invalidValue, e.description)
        }
    }

    /// A positive rate in tc spelling (`500mbit`), in bits per second.
    public func rate() throws -> Double {
        let s = try scalarText(expecting: "a rate (e.g. 500mbit)")
        switch Units.parseRate(s) {
        case .success(let r): return recorded(r, s, number: r, unit: "bit/s")
        case .failure(let e): throw error(.invalidValue, e.description)
        }
    }

    /// A size with a unit (`64kb`, `5GiB`, `190MB`), in bytes.
    public func size() throws -> Int64 {
        let s = try scalarText(expecting: "a size (e.g. 5GiB)")
        switch Units.parseSize(s) {
        case .success(let b): return recorded(b, s, number: Double(b), unit: "B")
        case .failure(let e): throw error(.invalidValue, e.description)
        }
    }

    /// One of `choices` (exact match; the closest choice is suggested otherwise).
    public func choice(among choices: [String]) throws -> String {
        let s = try scalarText(expecting: "one of \(choices.joined(separator: ", "))")
        guard choices.contains(s) else {
            throw error(.invalidValue, "\"\(s)\" is not one of \(choices.joined(separator: ", "))\(EditDistance.hint(for: s, among: choices))")
        }
        return recorded(s, s)
    }

    /// A case of a string enum (its raw values are the accepted spellings).
    public func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws -> T where T.RawValue == String {
        let s = try choice(among: T.allCases.map(\.rawValue))
        return T(rawValue: s)!
    }

    /// The elements of a list; a scalar is NOT promoted to a one-element list.
    public func list() throws -> [ConfigValue] {
        guard let items = node.elements else { throw error(.wrongType, "expected a list, found \(node.shapeName)") }
        return items.enumerated().map { ConfigValue(node: $1, path: path.appending(index: $0), context: context) }
    }

    /// Decodes a mapping with `body`, then rejects keys `body` never asked for (with a suggestion).
    public func mapping<T>(_ body: (ConfigMapping) throws -> T) throws -> T {
        guard let entries = node.entries else { throw error(.wrongType, "expected a mapping, found \(node.shapeName)") }
        let m = ConfigMapping(entries: entries, path: path, location: node.location, isPresent: true, context: context)
        let result = try body(m)
        try m.finish()
        return result
    }
}
