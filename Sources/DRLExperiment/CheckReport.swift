import Foundation

/// The comparison of new curves against a baseline: every value compared, the changes listed.
///
/// Values are matched by identity (swept values, curve, statistic), never by position, so a
/// sweep point added in the middle shows as appeared curves only. Changes are in baseline order,
/// then the appeared values in new order.
public struct CheckReport: Sendable, Equatable {
    /// The scenario.
    public var scenario: String
    /// Values compared (present in both).
    public var compared: Int
    /// The changes.
    public var changes: [CurveChange]

    /// Whether nothing moved, appeared or disappeared.
    public var passed: Bool { changes.isEmpty }

    /// A report with the given contents.
    public init(scenario: String, compared: Int, changes: [CurveChange]) {
        self.scenario = scenario
        self.compared = compared
        self.changes = changes
    }

    /// Compares `new` against `baseline` with `tolerances`.
    public static func compare(scenario: String, baseline: CurveSet, new: CurveSet, tolerances: ToleranceTable) -> CheckReport {
        var index: [String: Int] = [:]
        for (i, v) in new.values.enumerated() where index[new.identity(v)] == nil { index[new.identity(v)] = i }
        var seen = Set<Int>()
        var compared = 0
        var changes: [CurveChange] = []
        for b in baseline.values {
            let point = baseline.pointText(b)
            // A new set with other swept keys matches nothing.
            let key = baseline.identity(b)
            let tol = tolerances.tolerance(for: b)
            if new.sweptKeys == baseline.sweptKeys, let i = index[key], !seen.contains(i) {
                seen.insert(i)
                compared += 1
                let n = new.values[i]
                if !tol.allows(baseline: b.value, new: n.value) {
                    changes.append(CurveChange(scenario: scenario, point: point, curve: b.curve, statistic: b.statistic,
                                               baseline: b.value, new: n.value, allowed: tol.limit(around: b.value), kind: .moved))
                }
            } else {
                changes.append(CurveChange(scenario: scenario, point: point, curve: b.curve, statistic: b.statistic,
                                           baseline: b.value, new: nil, allowed: tol.limit(around: b.value), kind: .disappeared))
            }
        }
        for (i, n) in new.values.enumerated() where !seen.contains(i) {
            changes.append(CurveChange(scenario: scenario, point: new.pointText(n), curve: n.curve, statistic: n.statistic,
                                       baseline: nil, new: n.value, allowed: nil, kind: .appeared))
        }
        return CheckReport(scenario: scenario, compared: compared, changes: changes)
    }

    /// The changes of `reports` as an aligned text table (header and one line per change), or
    /// the empty string when nothing changed. Numbers in shortest round-trip form.
    public static func table(_ reports: [CheckReport]) -> String {
        var rows: [[String]] = [["scenario", "point", "curve", "statistic", "baseline", "new", "delta", "tolerance"]]
        for r in reports {
            for c in r.changes {
                let delta: String
                switch c.kind {
                case .moved: delta = c.delta.map { signed($0) + relative($0, c.baseline!) } ?? "-"
                case .appeared: delta = "appeared"
                case .disappeared: delta = "disappeared"
                }
                rows.append([c.scenario, c.point, c.curve, c.statistic, c.baseline.map(CSV.number) ?? "-",
                             c.new.map(CSV.number) ?? "-", delta, c.allowed.map { "±" + String(format: "%.3g", $0) } ?? "-"])
            }
        }
        guard rows.count > 1 else { return "" }
        var widths = Array(repeating: 0, count: rows[0].count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        var out = ""
        for r in rows {
            let cells = r.enumerated().map { i, c in i == r.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
            out += cells.joined(separator: "  ") + "\n"
        }
        return out
    }

    private static func signed(_ d: Double) -> String { d > 0 ? "+" + CSV.number(d) : CSV.number(d) }

    /// ` (+3.04%)`: the delta relative to a non-zero finite baseline, 3 significant digits.
    private static func relative(_ d: Double, _ baseline: Double) -> String {
        guard baseline != 0, baseline.isFinite, d.isFinite else { return "" }
        return " (" + String(format: "%+.3g", 100 * d / Swift.abs(baseline)) + "%)"
    }
}
