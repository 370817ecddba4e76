import Foundation
import DRLScenario

extension ResultSet {
    /// The tables the streaming writer's summaries read besides those `summaries` name:
    /// every input of `DRSummary` (DRSummary.swift, DRSummary+Groups.swift), the per-VM recovery
    /// tables too, so `drlsim run`'s dr_summary is the one `build` and `merge` compute.
    static let summaryInputs = ["protection", "rpo", "recovery", "writes", "recovery_groups", "recovery_vms"]

    /// Writes the result set of `results` (runs executed with `spool`) to `path`, the same bytes
    /// as `build(scenario:results:shard:)` followed by `write(to:)`, without holding the rows:
    /// each table's file is the header plus the runs' spooled parts concatenated in run order,
    /// checksummed while it is copied; the summaries (`summaries` of the manifest and
    /// `DRSummary`'s) read their tables back from the written files one row at a time
    /// (`CSVFileTable`), holding only their samples.
    /// Atomic like `write(to:)`.
    /// The summaries read the tables the manifest's summaries name and `summaryInputs`
    /// (all of `DRSummary`'s), so `dr_summary.csv` is the one `build` computes.
    /// `everySummaryInput` lets them read every table written (the same dr_summary; kept for
    /// `drlsim check`'s call).
    public static func write(scenario: Scenario, results: [RunResult], spool: ResultSpool, shard: String = "all",
                             to path: String, everySummaryInput: Bool = false) throws {
        let sorted = results.sorted { $0.run < $1.run }
        let (runs, timing) = runTables(scenario: scenario, sorted: sorted)
        var layout: [(name: String, columns: [String])] = []
        for r in sorted {
            for t in r.tables {
                try checkReserved(t.name)
                if let e = layout.first(where: { $0.name == t.name }) {
                    guard e.columns == t.columns else {
                        throw ExperimentError("table '\(t.name)' has columns \(t.columns) in run \(r.run) but \(e.columns) before")
                    }
                } else {
                    layout.append((t.name, t.columns))
                }
            }
        }
        var small = [runs, timing]
        if !scenario.sweep.axes.isEmpty { small.append(pointsTable(scenario)) }
        var manifest = manifest(for: scenario, shard: shard)
        try AtomicFolder.replace(path, kind: folderKind) { tmp, _ in
            var checks: [String: Manifest.FileCheck] = [:]
            func writeText(_ t: TextTable) throws { try writeTable(t, in: tmp, checks: &checks) }
            for t in small { try writeText(t) }
            for (table, columns) in layout {
                let name = "\(table).csv"
                let out = try ChecksummedFile(tmp.appendingPathComponent(name))
                try out.write(Data(CSV.line(["run", "point", "replication"] + columns).utf8))
                var rows = 0
                for r in sorted {
                    guard let part = spool.part(run: r.run, table: table) else { continue }
                    let input = try FileHandle(forReadingFrom: part.url)
                    defer { try? input.close() }
                    while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(chunk) }
                    rows += part.rows
                }
                checks[name] = out.check(rows: rows)
            }
            if shard == "all" {
                // Summaries read their tables from the files just written, a row at a time.
                // The manifest's summaries' tables and `DRSummary`'s (`summaryInputs`, the
                // per-VM recovery tables included, as `build` and `merge` read them).
                let all = Set(layout.map(\.name))
                let written = everySummaryInput ? all : all.intersection(manifest.summaries.map(\.table) + summaryInputs)
                let summaries = try summaries(manifest: manifest, tables: { name in
                    if name == "runs" { return runs }
                    guard written.contains(name) else { return nil }
                    return try? CSVFileTable(name: name, path: tmp.appendingPathComponent("\(name).csv").path)
                })
                for t in summaries { try writeText(t) }
            }
            manifest.files = checks.keys.sorted().map { checks[$0]! }
            try Data(manifest.text.utf8).write(to: tmp.appendingPathComponent(manifestFile))
        }
    }

    /// `TextTable.parse` for a file this writer produced: when the text holds no quote and no
    /// carriage return (no quoted cell), lines and cells are split on the UTF-8 bytes directly
    /// (same cells, several times faster than the general parser); otherwise the general parser.
    static func readBack(name: String, csv text: String) -> Result<TextTable, TextTable.ParseError> {
        let utf8 = text.utf8
        guard text.hasSuffix("\n"), !utf8.contains(UInt8(ascii: "\"")), !utf8.contains(13) else {
            return TextTable.parse(name: name, csv: text)
        }
        var lines = utf8.split(separator: 10, omittingEmptySubsequences: false)
        lines.removeLast()   // after the final line break
        func cells(_ line: Substring.UTF8View) -> [String] {
            line.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { String(Substring($0)) }
        }
        guard let first = lines.first else { return TextTable.parse(name: name, csv: text) }
        let header = cells(first)
        guard header.count >= 3, Array(header[0..<3]) == ["run", "point", "replication"] else {
            return .failure(.init(line: 1, message: "header does not start with run,point,replication"))
        }
        var rows: [TextTable.Row] = []
        rows.reserveCapacity(lines.count - 1)
        for (i, l) in lines.dropFirst().enumerated() {
            let r = cells(l)
            guard r.count == header.count else {
                return .failure(.init(line: i + 2, message: "\(r.count) cells, the header has \(header.count)"))
            }
            let run = r[0] == "all" ? -1 : Int(r[0]), rep = r[2] == "all" ? -1 : Int(r[2])
            guard let run, let point = Int(r[1]), let rep else {
                return .failure(.init(line: i + 2, message: "run, point and replication must be integers"))
            }
            rows.append(.init(run: run, point: point, replication: rep, cells: Array(r[3...])))
        }
        return .success(TextTable(name: name, columns: Array(header[3...]), rows: rows))
    }
}
