import DRLSimCore

/// Extracts the curves of a result set, table-driven by a list of `CurveSpec`.
///
/// Per sweep point and spec, rows are split by the values of the spec's group-by columns (groups
/// in ascending text order); each group gives one curve whose samples are the rows' values
/// (`rows`) or per-replication sums (`sumPerReplication`, a replication of the point without a
/// row in the group counting 0). Cells that are not finite numbers are not samples. With
/// `minus`, a sample is the row's difference of the two columns (both finite). Statistics come
/// from `DRLSimCore.Statistics` (GSL).
public struct CurveExtractor: Sendable {
    /// The specs applied, in order.
    public var specs: [CurveSpec]

    /// An extractor of `specs` (default: `CurveSpec.defaults`).
    public init(specs: [CurveSpec] = CurveSpec.defaults) { self.specs = specs }

    /// The curves of `set`.
    public func curves(of set: ResultSet) -> CurveSet {
        // In-memory rows: visiting them cannot fail.
        try! curves(in: set.lookup)
    }

    /// The curves of the tables `tables` finds (in memory, or streamed from a result folder's
    /// files: one pass per spec, holding the samples only).
    public func curves(in tables: TableLookup) throws -> CurveSet {
        // Swept keys and their values per point, from runs.csv.
        var keys: [String] = []
        var pointValues: [Int: [String]] = [:]
        var replications: [Int: [Int]] = [:]
        let fixed = 4  // scenario, seed, duration_s, events
        if let runs = tables("runs") {
            keys = Array(runs.columns.dropFirst(fixed))
            try runs.forEachRow { r in
                if pointValues[r.point] == nil { pointValues[r.point] = Array(r.cells.dropFirst(fixed)) }
                replications[r.point, default: []].append(r.replication)
            }
        }
        var values: [CurveValue] = []
        // point -> spec index -> values, so output is ordered by point first.
        var perPoint: [Int: [[CurveValue]]] = [:]
        for (si, spec) in specs.enumerated() {
            guard let t = tables(spec.table), let vc = t.columns.firstIndex(of: spec.column) else { continue }
            var mc: Int?
            if let minus = spec.minus {
                guard let i = t.columns.firstIndex(of: minus) else { continue }
                mc = i
            }
            let gcols = spec.groupBy.compactMap { g in t.columns.firstIndex(of: g).map { (g, $0) } }
            // point -> group -> replication -> samples
            var data: [Int: [String: [Int: [Double]]]] = [:]
            try t.forEachRow { row in
                let group = gcols.map { "\($0.0)=\(row.cells[$0.1])" }.joined(separator: ";")
                var v = Double(row.cells[vc]).flatMap { $0.isFinite ? $0 : nil }
                if let mc, let x = v { v = Double(row.cells[mc]).flatMap { $0.isFinite ? x - $0 : nil } }
                var reps = data[row.point, default: [:]][group, default: [:]]
                if let v { reps[row.replication, default: []].append(v) } else if reps[row.replication] == nil { reps[row.replication] = [] }
                data[row.point, default: [:]][group] = reps
            }
            for point in data.keys.sorted() {
                let groups = data[point]!
                for group in groups.keys.sorted() {
                    let reps = groups[group]!
                    let samples: [Double]
                    switch spec.sampling {
                    case .rows:
                        samples = reps.keys.sorted().flatMap { reps[$0]! }
                    case .sumPerReplication:
                        let all = Set(replications[point] ?? []).union(reps.keys).sorted()
                        samples = all.map { (reps[$0] ?? []).reduce(0, +) }
                    }
                    // Censored durations are lower bounds: only how many there are is a curve.
                    let censored = group.split(separator: ";").contains("status=censored")
                    for stat in spec.statistics where !censored || stat == .count {
                        let v = CurveValue(point: point, pointValues: pointValues[point] ?? Array(repeating: "", count: keys.count),
                                           table: spec.table, column: spec.curveColumn, group: group,
                                           statistic: stat.rawValue, value: Self.statistic(stat, samples))
                        if perPoint[point] == nil { perPoint[point] = Array(repeating: [], count: specs.count) }
                        perPoint[point]![si].append(v)
                    }
                }
            }
        }
        for point in perPoint.keys.sorted() { values += perPoint[point]!.flatMap { $0 } }
        return CurveSet(sweptKeys: keys, values: values)
    }

    /// `stat` of `samples` (NaN for an empty sample, except `count`).
    public static func statistic(_ stat: CurveSpec.Statistic, _ samples: [Double]) -> Double {
        switch stat {
        case .count: return Double(samples.count)
        case .mean: return Statistics.mean(samples)
        case .p10: return Statistics.quantile(samples, 0.1)
        case .p50: return Statistics.quantile(samples, 0.5)
        case .p90: return Statistics.quantile(samples, 0.9)
        }
    }
}
