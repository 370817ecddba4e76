import DRLSimCore

/// Typed, key-by-key reading of one mapping of a scenario, with unknown-key detection.
///
/// Every key a decoder asks about (present or not) becomes a known key; `finish()` (called for
/// you by `ConfigValue.mapping(_:)`, `ConfigMapping.mapping(_:_:)` and the section machinery)
/// rejects any other key in the file with the closest known key suggested. A required key that
/// is absent while a close misspelling is present is reported as that unknown key.
///
/// Three forms per type:
/// - `try m.duration("interval")`: required, `.missingKey` error when absent;
/// - `try m.duration("interval", default: .minutes(5))`: the default when absent (recorded for
///   `describe`);
/// - `try m.value("interval")?.duration()`: nil when absent.
///
/// A key whose value is an explicit null (`key: ~`) counts as absent.
public final class ConfigMapping {
    /// The mapping's key path.
    public let path: ConfigPath
    /// Where the mapping starts (or its parent, for an absent mapping).
    public let location: SourceLocation
    /// False for a mapping absent from the file (read with defaults only).
    public let isPresent: Bool
    /// The decode pass.
    public let context: DecodingContext
    /// The entries as written.
    public let entries: [ConfigEntry]
    private var known: [String] = []
    private var knownSet: Set<String> = []
    /// The keys of the schemas read with `parameters(_:)` (nil: no schema, any key may be read).
    private var declared: Set<String>?

    /// Declares `keys` as the mapping's schema: `finish()` refuses a key read but not declared.
    func declare(_ keys: [String]) { declared = (declared ?? []).union(keys) }

    /// A reader over `entries` at `path`.
    public init(entries: [ConfigEntry], path: ConfigPath, location: SourceLocation, isPresent: Bool, context: DecodingContext) {
        self.entries = entries
        self.path = path
        self.location = location
        self.isPresent = isPresent
        self.context = context
    }

    /// The keys written in the file, in file order.
    public var writtenKeys: [String] { entries.map(\.key) }

    private func markKnown(_ key: String) {
        if knownSet.insert(key).inserted { known.append(key) }
    }

    /// Declares keys as known without reading them (e.g. keys read by another decoder).
    public func allow(_ keys: String...) { keys.forEach(markKnown) }

    /// True when `key` is written with a non-null value (and marks it known).
    public func contains(_ key: String) -> Bool { value(key) != nil }

    /// The value of `key`, nil when absent or null (marks `key` known).
    public func value(_ key: String) -> ConfigValue? {
        markKnown(key)
        guard let e = entries.first(where: { $0.key == key }), !e.value.isNull else { return nil }
        return ConfigValue(node: e.value, path: path.appending(key), context: context)
    }

    /// The value of `key`; throws `.missingKey` when absent (or `.unknownKey` for a close misspelling).
    public func require(_ key: String) throws -> ConfigValue {
        if let v = value(key) { return v }
        throw missing(key)
    }

    /// The error for a missing required `key`.
    public func missing(_ key: String) -> ScenarioError {
        let unknown = entries.filter { !knownSet.contains($0.key) }
        if let typo = unknown.first(where: { EditDistance.suggestion(for: $0.key, among: [key]) != nil }) {
            return ScenarioError(.unknownKey, at: typo.keyLocation, keyPath: path.appending(typo.key).description,
                                 "unknown key (did you mean '\(key)'?)")
        }
        let what = path.components.isEmpty ? "required key '\(key)' is missing" : "required key '\(key)' is missing in \(path)"
        return ScenarioError(.missingKey, at: location, keyPath: path.appending(key).description, what)
    }

    /// An error at `key`'s value (or at the mapping when `key` is absent or nil).
    public func error(_ key: String?, _ kind: ScenarioError.Kind = .invalidValue, _ message: String) -> ScenarioError {
        if let key, let e = entries.first(where: { $0.key == key }) {
            return ScenarioError(kind, at: e.value.location, keyPath: path.appending(key).description, message)
        }
        return ScenarioError(kind, at: location, keyPath: key.map { path.appending($0).description } ?? path.description, message)
    }

    /// Throws `error(key, .invalidValue, message)` unless `condition` holds.
    public func check(_ condition: Bool, _ key: String?, _ message: @autoclosure () -> String) throws {
        if !condition { throw error(key, .invalidValue, message()) }
    }

    private func read<T>(_ key: String, _ def: T?, _ render: (T) -> String, _ parse: (ConfigValue) throws -> T) throws -> T {
        if let v = value(key) { return try parse(v) }
        guard let def else { throw missing(key) }
        context.record(path.appending(key), render(def), isDefault: true)
        return def
    }

    /// A string (required unless `default` is given).
    public func string(_ key: String, default def: String? = nil) throws -> String {
        try read(key, def, { ConfigNode.flowScalar($0) }) { try $0.string() }
    }
    /// An integer.
    public func int(_ key: String, default def: Int? = nil) throws -> Int {
        try read(key, def, { String($0) }) { try $0.int() }
    }
    /// An integer within `range`.
    public func int(_ key: String, in range: ClosedRange<Int>, default def: Int? = nil) throws -> Int {
        try read(key, def, { String($0) }) { try $0.int(in: range) }
    }
    /// A real number without unit.
    public func double(_ key: String, default def: Double? = nil) throws -> Double {
        try read(key, def, { Units.formatNumber($0) }) { try $0.double() }
    }
    /// A boolean.
    public func bool(_ key: String, default def: Bool? = nil) throws -> Bool {
        try read(key, def, { String($0) }) { try $0.bool() }
    }
    /// A duration (`100ms`).
    public func duration(_ key: String, default def: SimDuration? = nil) throws -> SimDuration {
        try read(key, def, Units.formatDuration) { try $0.duration() }
    }
    /// A positive rate in bits per second (`500mbit`).
    public func rate(_ key: String, default def: Double? = nil) throws -> Double {
        try read(key, def, Units.formatRate) { try $0.rate() }
    }
    /// A size in bytes (`64kb`, `5GiB`).
    public func size(_ key: String, default def: Int64? = nil) throws -> Int64 {
        try read(key, def, Units.formatSize) { try $0.size() }
    }
    /// One of `choices`.
    public func choice(_ key: String, among choices: [String], default def: String? = nil) throws -> String {
        try read(key, def, { $0 }) { try $0.choice(among: choices) }
    }
    /// A case of a string enum.
    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, default def: T? = nil) throws -> T where T.RawValue == String {
        try read(key, def, { $0.rawValue }) { try $0.choice(T.self) }
    }
    /// A probability distribution (see `ConfigValue.distribution(_:)`).
    public func distribution(_ key: String, _ dimension: QuantityDimension, default def: Distribution? = nil) throws -> Distribution {
        try read(key, def, { DistributionSpec.render($0, dimension) }) { try $0.distribution(dimension) }
    }

    /// A list (required unless `default` is given; the default is usually `[]`).
    public func list(_ key: String, default def: [ConfigValue]? = nil) throws -> [ConfigValue] {
        if let v = value(key) { return try v.list() }
        guard let def else { throw missing(key) }
        return def
    }

    /// Decodes the nested mapping `key` with `body`; when absent, `body` reads an empty mapping
    /// (so every key takes its default). Unknown keys inside are rejected afterwards.
    public func mapping<T>(_ key: String, _ body: (ConfigMapping) throws -> T) throws -> T {
        if let v = value(key) { return try v.mapping(body) }
        let m = ConfigMapping(entries: [], path: path.appending(key), location: location, isPresent: false, context: context)
        return try body(m)
    }

    /// Decodes the nested mapping `key` with `body`, or returns nil when it is absent.
    public func optionalMapping<T>(_ key: String, _ body: (ConfigMapping) throws -> T) throws -> T? {
        guard let v = value(key) else { return nil }
        return try v.mapping(body)
    }

    /// Rejects keys never asked for, naming the first one with the closest known key.
    public func finish() throws {
        if let declared, let undeclared = known.first(where: { !declared.contains($0) }) {
            throw ScenarioError(.assembly, at: location, keyPath: path.appending(undeclared).description,
                                "internal: the decoder reads '\(undeclared)', which the schema of \(path) does not declare")
        }
        for e in entries where !knownSet.contains(e.key) {
            throw ScenarioError(.unknownKey, at: e.keyLocation, keyPath: path.appending(e.key).description,
                                "unknown key\(EditDistance.hint(for: e.key, among: known))")
        }
    }
}
