import Foundation
import DRLSimCore
import DRLScenario

/// A result set: `manifest.txt` plus one CSV per table (`runs`, `timing`, each model table,
/// each summary), as formatted text.
///
/// Built from run results (`build`), or read back from a folder (`read`) for merging; both write
/// the same bytes for the same runs.
public struct ResultSet: Sendable {
    /// The manifest.
    public var manifest: Manifest
    /// The tables, sorted by name.
    public var tables: [TextTable]

    /// A set with the given contents.
    public init(manifest: Manifest, tables: [TextTable]) {
        self.manifest = manifest
        self.tables = tables.sorted { $0.name < $1.name }
    }

    /// The table called `name`.
    public func table(_ name: String) -> TextTable? { tables.first { $0.name == name } }

    /// The manifest for `scenario` with `shard` (`all` or `K/N`).
    public static func manifest(for scenario: Scenario, shard: String) -> Manifest {
        var sums: [Manifest.SummarySpec] = []
        for s in scenario.points.first?.sections ?? [] {
            for r in s.summaries { sums.append(.init(table: r.table, column: r.column, output: r.output)) }
        }
        // The file's base name only: the same scenario run from another folder (or by absolute
        // path, as Slurm tasks do) must give the same bytes.
        let raw = scenario.file.split(separator: "/").last.map(String.init) ?? scenario.file
        // One line whatever the file is called (a newline would break the manifest).
        let base = String(raw.map { $0.isNewline || ($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) ? "?" : $0 })
        return Manifest(version: DRLSimVersion.current, scenario: scenario.name, file: base,
                        fingerprint: scenario.fingerprint, seed: scenario.header.seed, points: scenario.points.count,
                        replications: scenario.replications, shard: shard, summaries: sums)
    }

    /// The `runs` and `timing` tables of `sorted` (results in run order): one row per run.
    static func runTables(scenario: Scenario, sorted: [RunResult]) -> (runs: TextTable, timing: TextTable) {
        let sweptKeys = scenario.sweep.axes.map(\.key)
        var runs = TextTable(name: "runs", columns: ["scenario", "seed", "duration_s", "events"] + sweptKeys, rows: [])
        var timing = TextTable(name: "timing", columns: ["wall_s", "events_per_s"], rows: [])
        for r in sorted {
            let spec = scenario.points[r.point]
            runs.rows.append(.init(run: r.run, point: r.point, replication: r.replication,
                                   cells: [scenario.name, String(scenario.header.seed), CSV.number(r.durationSeconds), String(r.events)]
                                       + spec.assignments.map(\.value)))
            let eps = r.wallSeconds > 0 ? Double(r.events) / r.wallSeconds : 0
            timing.rows.append(.init(run: r.run, point: r.point, replication: r.replication,
                                     cells: [CSV.number(r.wallSeconds), CSV.number(eps)]))
        }
        return (runs, timing)
    }

    /// Refuses a model table named like one drlsim writes itself.
    static func checkReserved(_ name: String) throws {
        if ["runs", "timing", "manifest"].contains(name) {
            throw ExperimentError("a model declared the reserved table name '\(name)'")
        }
    }

    /// Formats `results` (in run order) of `scenario`; adds summaries when `shard == "all"`.
    public static func build(scenario: Scenario, results: [RunResult], shard: String = "all") throws -> ResultSet {
        let sorted = results.sorted(by: { $0.run < $1.run })
        let (runs, timing) = runTables(scenario: scenario, sorted: sorted)
        var tables: [TextTable] = []
        for r in sorted {
            for t in r.tables {
                try checkReserved(t.name)
                let i: Int
                if let j = tables.firstIndex(where: { $0.name == t.name }) {
                    i = j
                    guard tables[i].columns == t.columns else {
                        throw ExperimentError("table '\(t.name)' has columns \(t.columns) in run \(r.run) but \(tables[i].columns) before")
                    }
                } else {
                    tables.append(TextTable(name: t.name, columns: t.columns, rows: []))
                    i = tables.count - 1
                }
                for row in t.rows {
                    tables[i].rows.append(.init(run: r.run, point: r.point, replication: r.replication, cells: row.map(CSV.cell)))
                }
            }
        }
        if !scenario.sweep.axes.isEmpty {
            tables.append(pointsTable(scenario))
        }
        var set = ResultSet(manifest: manifest(for: scenario, shard: shard), tables: [runs, timing] + tables)
        if shard == "all" { try set.addSummaries() }
        return set
    }

    /// `points.csv`: per sweep point and swept key, the value as written and as a number in its
    /// base unit (`s`, `bit/s`, `B`, `""` for plain numbers; empty for text and mappings), so
    /// that readers need no unit tables (the Python package joins it to every table).
    static func pointsTable(_ scenario: Scenario) -> TextTable {
        var t = TextTable(name: "points", columns: ["key", "value", "number", "unit"], rows: [])
        for p in scenario.points {
            for a in p.assignments {
                t.rows.append(.init(run: -1, point: p.point, replication: -1,
                                    cells: [a.key, a.value, a.number.map(CSV.number) ?? "", a.unit ?? ""]))
            }
        }
        return t
    }

    /// Adds the manifest's summary tables: per point, the mean, sd and Student-t 95 %/99 %
    /// confidence intervals across replications of the per-replication mean of a column; and,
    /// for a DR result set, `dr_summary` (`DRSummary`).
    public mutating func addSummaries() throws {
        let added = try Self.summaries(manifest: manifest, tables: lookup)
        self = ResultSet(manifest: manifest, tables: tables.filter { t in !added.contains { $0.name == t.name } } + added)
    }

    /// The summary tables of `manifest` over the tables `tables` finds (`addSummaries`), each
    /// input read in one pass: per point and replication a running mean (`RunningMean`, the
    /// same double as `Statistics.mean` of the column), so the memory is one accumulator per
    /// replication, whatever the tables' lengths; `DRSummary` holds its samples only.
    public static func summaries(manifest: Manifest, tables: TableLookup) throws -> [TextTable] {
        var added: [TextTable] = []
        for spec in manifest.summaries {
            guard let t = tables(spec.table) else { continue }
            guard let c = t.columns.firstIndex(of: spec.column) else {
                throw ExperimentError("summary of \(spec.table).\(spec.column): no such column")
            }
            // Per point, per replication: the mean of the column over the replication's rows.
            var perPoint: [Int: [Int: RunningMean]] = [:]
            try t.forEachRow { row in
                let v = Double(row.cells[c]) ?? .nan
                perPoint[row.point, default: [:]][row.replication, default: RunningMean()].add(v)
            }
            var out = TextTable(name: spec.output, columns: ["table", "column", "replications", "mean", "sd",
                                                            "ci95_low", "ci95_high", "ci99_low", "ci99_high"], rows: [])
            for point in perPoint.keys.sorted() {
                let reps = perPoint[point]!
                let means = reps.keys.sorted().map { reps[$0]!.mean }
                let ci95 = Statistics.confidenceInterval(means, level: 0.95)
                let ci99 = Statistics.confidenceInterval(means, level: 0.99)
                out.rows.append(.init(run: -1, point: point, replication: -1, cells: [
                    spec.table, spec.column, String(means.count), CSV.number(ci95.mean),
                    CSV.number(Statistics.standardDeviation(means)),
                    CSV.number(ci95.lower), CSV.number(ci95.upper), CSV.number(ci99.lower), CSV.number(ci99.upper),
                ]))
            }
            added.append(out)
        }
        // Every DR result set: RPO, RTO, protection times, throttling (Docs/statistics.md).
        if let dr = try DRSummary.table(in: tables) { added.append(dr) }
        return added
    }

    /// The files of the set: `manifest.txt` (with every CSV's check) and `<table>.csv`, sorted by name.
    public var files: [(name: String, content: String)] {
        let (m, csv) = filesWithChecks()
        return ([(ResultSet.manifestFile, m)] + csv).sorted { $0.0 < $1.0 }
    }
}
