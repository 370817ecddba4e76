import Foundation

/// The curves of one scenario under two WAN models (`drlsim compare FILE --models packet,flow`,
/// issue 16 item 2): every curve value the reference model's result set has (`CurveExtractor`:
/// protection times, traffic per class, RPO and RTO quantiles, write throttling, ...) matched
/// with the other model's, their difference, and whether it is within the tolerance
/// (`|other - reference| <= abs + rel x |reference|`, as `drlsim check`'s `Tolerance`).
public struct ModelComparison: Sendable, Equatable {
    /// One compared value.
    public struct Row: Sendable, Equatable {
        /// The sweep point (`key=value` list).
        public var point: String
        /// The curve (`table.column[group]`).
        public var curve: String
        /// The statistic (`mean`, `p95`, ...).
        public var statistic: String
        /// The reference model's value (nil: only the other model has the curve).
        public var reference: Double?
        /// The other model's value (nil: only the reference has it).
        public var other: Double?
        /// Whether the two agree within the tolerance (a missing side never agrees).
        public var within: Bool
        /// `(other - reference) / |reference|` (nil when a side is missing or the reference is 0).
        public var relative: Double? {
            guard let r = reference, let o = other, r != 0 else { return nil }
            return (o - r) / Swift.abs(r)
        }
    }

    /// The reference model's name (`packet`).
    public var reference: String
    /// The other model's name (`flow`).
    public var other: String
    /// The tolerance applied.
    public var tolerance: Tolerance
    /// Every compared value, in the reference's curve order, then the other's extra curves.
    public var rows: [Row]

    /// Values compared on both sides.
    public var compared: Int { rows.filter { $0.reference != nil && $0.other != nil }.count }
    /// Values beyond the tolerance (or present on one side only).
    public var failures: [Row] { rows.filter { !$0.within } }
    /// Whether every value agrees.
    public var passed: Bool { failures.isEmpty }

    /// Compares `other` against `reference` value by value.
    public static func compare(reference: CurveSet, other: CurveSet, names: (String, String), tolerance: Tolerance) -> ModelComparison {
        var index: [String: Int] = [:]
        for (i, v) in other.values.enumerated() where index[other.identity(v)] == nil { index[other.identity(v)] = i }
        var seen = Set<Int>()
        var rows: [Row] = []
        for r in reference.values {
            let point = reference.pointText(r)
            if other.sweptKeys == reference.sweptKeys, let i = index[reference.identity(r)], !seen.contains(i) {
                seen.insert(i)
                let o = other.values[i].value
                rows.append(Row(point: point, curve: r.curve, statistic: r.statistic, reference: r.value, other: o,
                                within: tolerance.allows(baseline: r.value, new: o)))
            } else {
                rows.append(Row(point: point, curve: r.curve, statistic: r.statistic, reference: r.value, other: nil, within: false))
            }
        }
        for (i, o) in other.values.enumerated() where !seen.contains(i) {
            rows.append(Row(point: other.pointText(o), curve: o.curve, statistic: o.statistic, reference: nil, other: o.value, within: false))
        }
        return ModelComparison(reference: names.0, other: names.1, tolerance: tolerance, rows: rows)
    }

    /// Per curve and statistic (all sweep points together): the largest |relative difference|,
    /// how many points were compared and how many are beyond the tolerance; worst first.
    public func perCurve() -> [(curve: String, statistic: String, worst: Double, points: Int, failures: Int)] {
        var order: [String] = []
        var acc: [String: (curve: String, statistic: String, worst: Double, points: Int, failures: Int)] = [:]
        for r in rows {
            let k = r.curve + "\u{0}" + r.statistic
            if acc[k] == nil { order.append(k); acc[k] = (r.curve, r.statistic, 0, 0, 0) }
            acc[k]!.points += 1
            if !r.within { acc[k]!.failures += 1 }
            let d = r.relative.map(Swift.abs) ?? (r.reference == r.other ? 0 : .infinity)
            acc[k]!.worst = Swift.max(acc[k]!.worst, d)
        }
        return order.map { acc[$0]! }.sorted { ($0.failures > 0 ? 1 : 0, $0.worst) > ($1.failures > 0 ? 1 : 0, $1.worst) }
    }

    /// A text table of `perCurve()`, the `limit` worst curves.
    public func curveTable(limit: Int) -> String {
        var lines = [["", "curve", "stat", "points", "beyond", "largest diff"]]
        for c in perCurve().prefix(limit) {
            lines.append([c.failures > 0 ? "!" : "", c.curve, c.statistic, "\(c.points)", "\(c.failures)",
                          c.worst.isFinite ? String(format: "%.2f%%", c.worst * 100) : "missing"])
        }
        let widths = (0..<lines[0].count).map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { l in
            l.enumerated().map { c, x in x.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }

    /// A text table of the `limit` largest differences (failures first, then by |relative|).
    public func table(limit: Int) -> String {
        func key(_ r: Row) -> Double { r.relative.map(Swift.abs) ?? (r.reference == nil || r.other == nil ? .infinity : 0) }
        let ordered = rows.sorted { a, b in
            if a.within != b.within { return !a.within }
            return key(a) > key(b)
        }
        func num(_ x: Double?) -> String { x.map { String(format: "%.6g", $0) } ?? "-" }
        var lines = [["", "point", "curve", "stat", reference, other, "diff"]]
        for r in ordered.prefix(limit) {
            lines.append([r.within ? "" : "!", r.point, r.curve, r.statistic, num(r.reference), num(r.other),
                          r.relative.map { String(format: "%+.2f%%", $0 * 100) } ?? (r.reference == r.other ? "0" : "-")])
        }
        let widths = (0..<lines[0].count).map { c in lines.map { $0[c].count }.max() ?? 0 }
        return lines.map { l in
            l.enumerated().map { c, x in x.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n") + "\n"
    }
}
