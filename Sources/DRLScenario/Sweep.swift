/// The `sweep:` section: key paths with lists of values, expanded as a cartesian product.
///
/// Order: axes in the order written; the LAST axis varies fastest (nested loops with the first
/// key outermost). Point `p` takes value `(p / stride_i) % count_i` of axis `i`, where
/// `stride_i` is the product of the counts of the axes after `i`. A scenario without a sweep has
/// one point, 0.
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
    }

    /// The axes in written order.
    public var axes: [Axis]

    /// An empty sweep (one point).
    public init(axes: [Axis] = []) { self.axes = axes }

    /// The number of points (the product of the axis lengths; 1 without axes).
    public var pointCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// The number of points, refused (`.limit`, at the sweep) when the product overflows or
    /// exceeds `limit`: checked before any point is built.
    public func checkedPointCount(limit: Int, file: String) throws -> Int {
        var n = 1
        for a in axes {
            let (m, overflow) = n.multipliedReportingOverflow(by: a.values.count)
            if overflow || m > limit {
                throw ScenarioError(.limit, at: a.location, keyPath: "sweep.\(a.key)",
                                    "the sweep has more than \(limit) points (the product of the axis lengths reaches \(overflow ? "more than 2^63" : String(m)) here); refusing to expand it")
            }
            n = m
        }
        return n
    }

    /// The value index of every axis at `point`.
    public func indices(of point: Int) -> [Int] {
        var result = [Int](repeating: 0, count: axes.count)
        var rest = point
        for i in axes.indices.reversed() {
            let n = axes[i].values.count
            result[i] = rest % n
            rest /= n
        }
        return result
    }

    /// Decodes a `sweep:` node.
    static func decode(_ node: ConfigNode, file: String) throws -> Sweep {
        if node.isNull { return Sweep() }
        guard let entries = node.entries else {
            throw ScenarioError(.wrongType, at: node.location, keyPath: "sweep", "expected a mapping of key paths to lists, found \(node.shapeName)")
        }
        var axes: [Axis] = []
        for e in entries {
            guard let path = ConfigPath(parsing: e.key) else {
                throw ScenarioError(.badPath, at: e.keyLocation, keyPath: "sweep.\(e.key)", "malformed key path (expected e.g. wan.rate or workload.vms[0].volume.size)")
            }
            if case .key(let first) = path.components[0], ScenarioHeader.unsweepable.contains(first) {
                throw ScenarioError(.badPath, at: e.keyLocation, keyPath: "sweep.\(e.key)", "'\(first)' cannot be swept")
            }
            guard let values = e.value.elements else {
                throw ScenarioError(.wrongType, at: e.value.location, keyPath: "sweep.\(e.key)", "expected a list of values, found \(e.value.shapeName)")
            }
            guard !values.isEmpty else {
                throw ScenarioError(.invalidValue, at: e.value.location, keyPath: "sweep.\(e.key)", "a swept key needs at least one value")
            }
            axes.append(Axis(key: e.key, path: path, values: values, location: e.keyLocation))
        }
        return Sweep(axes: axes)
    }
}
