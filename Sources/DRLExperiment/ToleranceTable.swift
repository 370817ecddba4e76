import DRLScenario

/// The tolerances of one baseline (`tolerances.yaml`): a default and rules by curve selector.
///
/// ```yaml
/// default: {rel: 1.0e-9, abs: 1.0e-12}
/// curves:
///   traffic: {rel: 0.001}                                  # every curve of a table
///   protection.duration_s: {rel: 0.01, abs: 0.1}           # one column, every group
///   "protection.duration_s[action=image-copy;status=completed]@p90": {rel: 0.05}
///   queue@count: {abs: 0}                                  # one statistic of a table
/// ```
/// A selector is `TABLE`, `TABLE.COLUMN` or `TABLE.COLUMN[GROUP]`, optionally followed by
/// `@STATISTIC`. The most specific matching rule wins (group over column over table; with a
/// statistic over without); a rule's missing `rel` or `abs` is the default's.
public struct ToleranceTable: Sendable, Equatable {
    /// One rule.
    public struct Rule: Sendable, Equatable {
        /// The selector as written.
        public var selector: String
        /// Table.
        public var table: String
        /// Column, or nil for every column.
        public var column: String?
        /// Group text, or nil for every group.
        public var group: String?
        /// Statistic, or nil for every statistic.
        public var statistic: String?
        /// The tolerance.
        public var tolerance: Tolerance

        /// How specific the rule is (higher wins).
        public var specificity: Int {
            (group != nil ? 6 : column != nil ? 4 : 2) + (statistic != nil ? 1 : 0)
        }

        /// Whether the rule applies to `v`.
        public func matches(_ v: CurveValue) -> Bool {
            table == v.table && (column == nil || column == v.column) && (group == nil || group == v.group)
                && (statistic == nil || statistic == v.statistic)
        }

        /// Parses `selector`; nil when malformed.
        public init?(selector: String, tolerance: Tolerance) {
            self.selector = selector
            self.tolerance = tolerance
            var rest = Substring(selector)
            statistic = nil
            if let at = rest.lastIndex(of: "@"), !rest[at...].contains("]") {
                let s = String(rest[rest.index(after: at)...])
                guard CurveSpec.Statistic(rawValue: s) != nil else { return nil }
                statistic = s
                rest = rest[..<at]
            }
            group = nil
            if let open = rest.firstIndex(of: "[") {
                guard rest.last == "]" else { return nil }
                group = String(rest[rest.index(after: open)..<rest.index(before: rest.endIndex)])
                rest = rest[..<open]
            }
            let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard let t = parts.first, !t.isEmpty else { return nil }
            table = String(t)
            column = parts.count > 1 ? String(parts[1]) : nil
            if column == "" { return nil }
            if group != nil && column == nil { return nil }
        }
    }

    /// The default tolerance.
    public var defaultTolerance: Tolerance
    /// The rules, as written.
    public var rules: [Rule]

    /// A table with the given contents.
    public init(defaultTolerance: Tolerance = .strict, rules: [Rule] = []) {
        self.defaultTolerance = defaultTolerance
        self.rules = rules
    }

    /// The tolerance of `v`: the most specific matching rule's, else the default.
    public func tolerance(for v: CurveValue) -> Tolerance {
        var best: Rule?
        for r in rules where r.matches(v) {
            if best == nil || r.specificity > best!.specificity { best = r }
        }
        return best?.tolerance ?? defaultTolerance
    }

    /// The text of a new baseline's `tolerances.yaml` (the default, commented examples).
    public static func template(default d: Tolerance = .strict) -> String {
        """
        # Tolerances of this drlsim check baseline (Docs/check.md). A curve value has moved when
        #   |new - baseline| > abs + rel * |baseline|.
        # `curves` keys select TABLE, TABLE.COLUMN or TABLE.COLUMN[GROUP], optionally followed by
        # @STATISTIC (mean, p10, p50, p90, count); the most specific matching key wins, and a
        # missing rel or abs is taken from `default`. `drlsim check --update` keeps this file.
        default: {rel: \(CSV.number(d.rel)), abs: \(CSV.number(d.abs))}
        curves:
          # traffic: {rel: 1.0e-3}
          # protection.duration_s: {rel: 0.01, abs: 0.1}
          # "protection.duration_s[action=image-copy;status=completed]@p90": {rel: 0.05}

        """
    }

    /// Parses `tolerances.yaml` text read from `file` (for messages).
    /// - Throws: `ExperimentError` naming the file, line and key.
    public static func parse(yaml: String, file: String) throws -> ToleranceTable {
        let root: ConfigNode?
        do { root = try ConfigNode.parse(yaml: yaml, file: file) } catch let e as ScenarioError {
            throw ExperimentError(e.description)
        }
        guard let root else { return ToleranceTable() }
        func fail(_ node: ConfigNode, _ key: String, _ message: String) -> ExperimentError {
            ExperimentError("\(file):\(node.location.line): \(key): \(message)")
        }
        guard let entries = root.entries else { throw fail(root, "", "expected a mapping with 'default' and 'curves'") }
        func tolerance(_ node: ConfigNode, _ key: String, base: Tolerance) throws -> Tolerance {
            guard let es = node.entries else { throw fail(node, key, "expected {rel: R, abs: A}, found \(node.shapeName)") }
            var t = base
            for e in es {
                guard let s = e.value.scalar, let x = Double(s), x.isFinite, x >= 0 else {
                    throw fail(e.value, "\(key).\(e.key)", "expected a non-negative number")
                }
                switch e.key {
                case "rel": t.rel = x
                case "abs": t.abs = x
                default: throw fail(e.value, "\(key).\(e.key)", "unknown key (expected rel or abs)")
                }
            }
            return t
        }
        var table = ToleranceTable()
        if let d = entries.first(where: { $0.key == "default" }) {
            table.defaultTolerance = try tolerance(d.value, "default", base: .strict)
        }
        for e in entries {
            switch e.key {
            case "default": continue
            case "curves":
                if e.value.isNull { continue }
                guard let rules = e.value.entries else { throw fail(e.value, "curves", "expected a mapping of curve selectors") }
                for r in rules {
                    let t = try tolerance(r.value, "curves.\(r.key)", base: table.defaultTolerance)
                    guard let rule = Rule(selector: r.key, tolerance: t) else {
                        throw fail(r.value, "curves.\(r.key)", "not a curve selector (expected TABLE, TABLE.COLUMN or TABLE.COLUMN[GROUP], optionally @mean/p10/p50/p90/count)")
                    }
                    table.rules.append(rule)
                }
            default:
                throw fail(e.value, e.key, "unknown key (expected default or curves)")
            }
        }
        return table
    }
}
