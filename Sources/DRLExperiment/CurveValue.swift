/// One number of a baseline: a statistic of one curve at one sweep point.
///
/// A curve is `table.column[group]` (e.g. `protection.duration_s[action=image-copy;status=completed]`);
/// its identity across runs is the sweep point's swept values (not the point index, which
/// changes when a sweep gains a value), the curve and the statistic.
public struct CurveValue: Sendable, Hashable {
    /// The sweep point index (informational; not part of the identity).
    public var point: Int
    /// The swept keys' values at this point, in the order of `CurveSet.sweptKeys`.
    public var pointValues: [String]
    /// The table.
    public var table: String
    /// The summarised column.
    public var column: String
    /// The group: `key=value` pairs of the group-by columns joined by `;` (empty: no grouping).
    public var group: String
    /// The statistic (`mean`, `p10`, `p50`, `p90`, `count`).
    public var statistic: String
    /// The value (NaN when no finite sample exists).
    public var value: Double

    /// A value with every field given.
    public init(point: Int, pointValues: [String], table: String, column: String, group: String,
                statistic: String, value: Double) {
        self.point = point
        self.pointValues = pointValues
        self.table = table
        self.column = column
        self.group = group
        self.statistic = statistic
        self.value = value
    }

    /// `table.column` or `table.column[group]`.
    public var curve: String { group.isEmpty ? "\(table).\(column)" : "\(table).\(column)[\(group)]" }
}

/// The curves of one result set (or one baseline): the swept keys and every value.
public struct CurveSet: Sendable, Equatable {
    /// The swept keys, in sweep order (the columns of `runs.csv` after `events`).
    public var sweptKeys: [String]
    /// The values, ordered by point, then spec order, then group, then statistic.
    public var values: [CurveValue]

    /// A set with the given contents.
    public init(sweptKeys: [String], values: [CurveValue]) {
        self.sweptKeys = sweptKeys
        self.values = values
    }

    /// The point as `key=value, key=value` (`-` without a sweep).
    public func pointText(_ v: CurveValue) -> String {
        guard !sweptKeys.isEmpty else { return "-" }
        return zip(sweptKeys, v.pointValues).map { "\($0)=\($1)" }.joined(separator: ", ")
    }

    /// The identity of `v` within this set: point text, curve and statistic.
    public func identity(_ v: CurveValue) -> String { pointText(v) + "\u{0}" + v.curve + "\u{0}" + v.statistic }

    /// The fixed columns of `curves.csv` after `point` and the swept keys.
    public static let columns = ["table", "column", "group", "statistic", "value"]

    /// `curves.csv`: `point`, one column per swept key, then `table, column, group, statistic, value`.
    /// Values use `CSV.number` (shortest round trip), so reading them back gives the same doubles.
    public var csv: String {
        var s = CSV.line(["point"] + sweptKeys + Self.columns)
        for v in values {
            s += CSV.line([String(v.point)] + v.pointValues + [v.table, v.column, v.group, v.statistic, CSV.number(v.value)])
        }
        return s
    }

    /// Parses `curves.csv` text; nil when the header or a row is malformed.
    public init?(csv text: String) {
        let rows = CSV.parse(text)
        guard let header = rows.first, header.count >= 1 + Self.columns.count, header.first == "point",
              Array(header.suffix(Self.columns.count)) == Self.columns else { return nil }
        let keys = Array(header[1..<(header.count - Self.columns.count)])
        var values: [CurveValue] = []
        for r in rows.dropFirst() {
            guard r.count == header.count, let point = Int(r[0]) else { return nil }
            let tail = Array(r.suffix(Self.columns.count))
            guard let value = Double(tail[4]) else { return nil }
            values.append(CurveValue(point: point, pointValues: Array(r[1..<(1 + keys.count)]), table: tail[0],
                                     column: tail[1], group: tail[2], statistic: tail[3], value: value))
        }
        self.init(sweptKeys: keys, values: values)
    }
}
