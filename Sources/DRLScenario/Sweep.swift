import DRLSimCore
/// The `sweep:` section: key paths with lists of values, expanded as a cartesian product.
///
/// Order: axes in the order written; the LAST axis varies fastest (nested loops with the first
/// key outermost). Point `p` takes value `(p / stride_i) % count_i` of axis `i`, where
/// `stride_i` is the product of the counts of the axes after `i`. A scenario without a sweep has
/// one point, 0.
///
/// Linked axes (`link:`, a mapping of key paths to lists of equal length) vary together: they
/// form one factor of the product, and point `p` gives each of them the same index. Several
/// `link:` groups may be written as `link`, `link-2`, ... (any key starting with `link`).
///
/// ```yaml
/// sweep:
///   link:                                    # one factor of 3: index i sets both keys
///     wan.rate: [100mbit, 200mbit, 400mbit]
///     wan.qdisc.classes[1].rate: [60mbit, 120mbit, 240mbit]
///   protection.interval: [2min, 5min]        # 3 x 2 = 6 points
/// ```
public struct Sweep: Sendable {
    /// One swept key.
    public struct Axis: Sendable {
        /// The key path as written.
        public var key: String
        /// The parsed path.
        public var path: ConfigPath
        /// The values, in order.
        public var values: [ConfigNode]
        /// Where the key is written.
        public var location: SourceLocation
        /// The factor of the product this axis belongs to: axes of one `link:` share it.
        public var group: Int = 0
    }

    /// The axes in written order.
    public var axes: [Axis]

    /// An empty sweep (one point).
    public init(axes: [Axis] = []) { self.axes = axes }

    /// The factors of the product: for each group (in written order), its length.
    var factors: [(group: Int, count: Int)] {
        var out: [(group: Int, count: Int)] = []
        for a in axes where !out.contains(where: { $0.group == a.group }) { out.append((a.group, a.values.count)) }
        return out
    }

    /// The number of points (the product of the factor lengths; 1 without axes).
    public var pointCount: Int { factors.reduce(1) { $0 * $1.count } }

    /// The number of points, refused (`.limit`, at the sweep) when the product overflows or
    /// exceeds `limit`: checked before any point is built.
    public func checkedPointCount(limit: Int, file: String) throws -> Int {
        var n = 1
        for f in factors {
            let a = axes.first { $0.group == f.group }!
            let (m, overflow) = n.multipliedReportingOverflow(by: f.count)
            if overflow || m > limit {
                throw ScenarioError(.limit, at: a.location, keyPath: "sweep.\(a.key)",
                                    "the sweep has more than \(limit) points (the product of the axis lengths reaches \(overflow ? "more than 2^63" : String(m)) here); refusing to expand it")
            }
            n = m
        }
        return n
    }

    /// The value index of every axis at `point` (linked axes share theirs).
    public func indices(of point: Int) -> [Int] {
        var byGroup: [Int: Int] = [:]
        var rest = point
        for f in factors.reversed() {
            byGroup[f.group] = rest % f.count
            rest /= f.count
        }
        return axes.map { byGroup[$0.group] ?? 0 }
    }

    /// One swept key: `entry.key` a key path, its value a non-empty list.
    static func decodeAxis(_ e: ConfigEntry, prefix: String, group: Int) throws -> Axis {
        guard let path = ConfigPath(parsing: e.key) else {
            throw ScenarioError(.badPath, at: e.keyLocation, keyPath: "\(prefix)\(e.key)", "malformed key path (expected e.g. wan.rate or workload.vms[0].volume.size)")
        }
        if case .key(let first) = path.components[0], ScenarioHeader.unsweepable.contains(first) {
            throw ScenarioError(.badPath, at: e.keyLocation, keyPath: "\(prefix)\(e.key)", "'\(first)' cannot be swept")
        }
        guard let values = e.value.elements else {
            throw ScenarioError(.wrongType, at: e.value.location, keyPath: "\(prefix)\(e.key)", "expected a list of values, found \(e.value.shapeName)")
        }
        guard !values.isEmpty else {
            throw ScenarioError(.invalidValue, at: e.value.location, keyPath: "\(prefix)\(e.key)", "a swept key needs at least one value")
        }
        return Axis(key: e.key, path: path, values: values, location: e.keyLocation, group: group)
    }

    /// Decodes a `sweep:` node.
    static func decode(_ node: ConfigNode, file: String) throws -> Sweep {
        if node.isNull { return Sweep() }
        guard let entries = node.entries else {
            throw ScenarioError(.wrongType, at: node.location, keyPath: "sweep", "expected a mapping of key paths to lists, found \(node.shapeName)")
        }
        var axes: [Axis] = []
        var group = 0
        for e in entries {
            if e.key.hasPrefix("link") && ConfigPath(parsing: e.key).map({ $0.components.count == 1 }) ?? false {
                guard let members = e.value.entries, !members.isEmpty else {
                    throw ScenarioError(.wrongType, at: e.value.location, keyPath: "sweep.\(e.key)",
                                        "a link group is a mapping of key paths to lists of equal length, found \(e.value.shapeName)")
                }
                var length: (Int, ConfigEntry)? = nil
                for m in members {
                    let axis = try decodeAxis(m, prefix: "sweep.\(e.key).", group: group)
                    if let (n, first) = length, n != axis.values.count {
                        throw ScenarioError(.invalidValue, at: m.value.location, keyPath: "sweep.\(e.key).\(m.key)",
                                            "\(axis.values.count) values, but \(first.key) has \(n): linked keys need lists of equal length")
                    }
                    if length == nil { length = (axis.values.count, m) }
                    axes.append(axis)
                }
            } else {
                axes.append(try decodeAxis(e, prefix: "sweep.", group: group))
            }
            group += 1
        }
        var seen: [String: SourceLocation] = [:]
        for a in axes {
            if let first = seen[a.path.description] {
                throw ScenarioError(.invalidValue, at: a.location, keyPath: "sweep.\(a.key)", "swept twice (first on line \(first.line))")
            }
            seen[a.path.description] = a.location
        }
        return Sweep(axes: axes)
    }
}
