import DRLSimCore
/// One sweep point of a scenario, fully decoded: header plus the decoded sections.
public struct ScenarioSpec: Sendable {
    /// The scenario file as named by the user.
    public let file: String
    /// The header (after overrides and this point's sweep values).
    public let header: ScenarioHeader
    /// The sweep point index (0-based; 0 for a scenario without a sweep).
    public let point: Int
    /// This point's value of every swept key, in sweep order.
    public let assignments: [SweepAssignment]
    /// The decoded sections present in this point, in registry (installation) order.
    public let sections: [any ScenarioSection]
    /// Every effective parameter (as written or defaulted), in reading order, with the values
    /// sections derive from the whole point (`ScenarioSection.derivedTrace`) filled in.
    public internal(set) var trace: [TraceEntry]
    /// The tree this point was decoded from (overrides and sweep values applied).
    public let tree: ConfigNode

    /// The plug-ins the point was decoded with (and is installed with).
    public let plugins: Plugins

    /// A decoded point.
    public init(file: String, header: ScenarioHeader, point: Int, assignments: [SweepAssignment],
                sections: [any ScenarioSection], trace: [TraceEntry], tree: ConfigNode, plugins: Plugins = .standard) {
        self.plugins = plugins
        self.file = file
        self.header = header
        self.point = point
        self.assignments = assignments
        self.sections = sections
        self.trace = trace
        self.tree = tree
    }

    /// The decoded section of type `S`, if present.
    public func section<S: ScenarioSection>(_ type: S.Type) -> S? {
        for s in sections { if let x = s as? S { return x } }
        return nil
    }

    /// The source location of the top-level `key` (or line 1 when absent), for section errors.
    public func location(ofKey key: String) -> SourceLocation {
        tree.entries?.first(where: { $0.key == key })?.keyLocation ?? SourceLocation(file: file, line: 1)
    }
}

/// The value a sweep point gives one swept key path.
public struct SweepAssignment: Sendable, Hashable {
    /// The key path as written in `sweep:` (`workload.vms[0].volume.size`).
    public var key: String
    /// The value as written, in YAML flow style (`5GiB`, `{type: tbf, rate: 50mbit}`).
    public var value: String
    /// The value as a number in its base unit (`unit`), when the key holds a quantity or a
    /// number (`wan.rate: 500mbit` -> 5e8, `bit/s`); nil for text, mappings and lists.
    public var number: Double? = nil
    /// `s`, `bit/s`, `B`, or `""` for a plain number; nil with `number`.
    public var unit: String? = nil

    /// An assignment of `value` to `key` (number and unit filled in after decoding).
    public init(key: String, value: String, number: Double? = nil, unit: String? = nil) {
        self.key = key
        self.value = value
        self.number = number
        self.unit = unit
    }

    /// Equal key and value (the number follows from them).
    public static func == (a: SweepAssignment, b: SweepAssignment) -> Bool { a.key == b.key && a.value == b.value }
    public func hash(into h: inout Hasher) { h.combine(key); h.combine(value) }
}
