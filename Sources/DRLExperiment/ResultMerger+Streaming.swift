import Foundation
import DRLScenario

extension ResultMerger {
    /// What `merge(folders:allowPartial:to:)` wrote.
    public struct Merged: Sendable {
        /// The merged manifest.
        public var manifest: Manifest
        /// Runs in the merged set.
        public var runs: Int
    }

    /// One shard folder as the streaming merge sees it.
    struct Shard {
        var path: String
        var manifest: Manifest
        /// Tables by name (header read; rows streamed).
        var tables: [String: CSVFileTable]
        /// The runs of its `runs.csv`.
        var runs: [Int]
        /// Per table, its runs (>= 0) in order of first appearance.
        var runsSeen: [String: [Int]]
        /// False when some table's rows are not in run order (the merge then sorts in memory).
        var ordered: Bool
    }

    /// Merges the result folders `paths` into `out` like `merge(_:allowPartial:)` followed by
    /// `write(to:)` (the same bytes, the same refusals), without holding the sets: every file is
    /// verified in one streaming pass (checksum, size and rows against its manifest, every line
    /// parsed, runs in range), then each table is written as a k-way merge of the shards' files
    /// by run (each shard's rows are in run order, as drlsim writes them; stable: a run's rows
    /// keep their order), and the summaries are computed from the merged files a row at a time.
    /// Memory: one row per shard and the summaries' samples. Shards whose rows are not in run
    /// order (not written by drlsim) are merged in memory instead.
    public static func merge(folders paths: [String], allowPartial: Bool = false, to out: String) throws -> Merged {
        guard !paths.isEmpty else { throw ExperimentError("merge: no result sets given") }
        var shards: [Shard] = []
        for p in paths { shards.append(try verify(p)) }
        if shards.contains(where: { !$0.ordered }) {
            let sets = try paths.map { (path: $0, set: try ResultSet.read(from: $0)) }
            let merged = try merge(sets, allowPartial: allowPartial)
            try merged.write(to: out)
            return Merged(manifest: merged.manifest, runs: merged.table("runs")?.rows.count ?? 0)
        }
        let m0 = shards[0].manifest
        try checkCompatible(shards.map { ($0.path, $0.manifest) })
        var owner: [Int: String] = [:]
        for s in shards {
            guard s.tables["runs"] != nil else { throw ExperimentError("\(s.path): no runs.csv") }
            for r in s.runs {
                guard r >= 0, r < m0.runCount else { throw ExperimentError("\(s.path)/runs.csv: run \(r) out of range 0..<\(m0.runCount)") }
                if let o = owner[r] {
                    throw ExperimentError("\(s.path): run \(r) is also in \(o) (duplicate run); refusing to merge")
                }
                owner[r] = s.path
            }
        }
        let outputs = Set(m0.summaries.map(\.output))
        for s in shards {
            for name in s.tables.keys.sorted() where name != "runs" && !outputs.contains(name) {
                if let r = s.runsSeen[name]?.first(where: { owner[$0] != s.path }) {
                    throw ExperimentError("\(s.path)/\(name).csv: a row of run \(r), which is not in the set's runs.csv; refusing to merge")
                }
            }
        }
        let missingCount = try missingRuns(owner: owner, runCount: m0.runCount, allowPartial: allowPartial)
        // Layout: points kept once (checked equal), every other table's columns equal across shards.
        let summaryNames = outputs.union([DRSummary.table])
        var columns: [String: [String]] = [:]
        var points: TextTable?
        for (index, s) in shards.enumerated() {
            if let pts = s.tables["points"] {
                let t = try read(pts)
                if index == 0 { points = t } else if let p0 = shards[0].tables["points"], try read(p0) != t {
                    throw ExperimentError("\(s.path)/points.csv: differs from \(shards[0].path)/points.csv; refusing to merge")
                }
            }
            for name in s.tables.keys.sorted() where !summaryNames.contains(name) && name != "points" {
                let c = s.tables[name]!.columns
                if let existing = columns[name], existing != c {
                    throw ExperimentError("\(s.path)/\(name).csv: columns differ from the other sets")
                }
                columns[name] = c
            }
        }
        var manifest = m0
        manifest.shard = missingCount == 0 ? "all" : "partial"
        var runsWritten = 0
        try AtomicFolder.replace(out, kind: ResultSet.folderKind) { tmp, _ in
            var checks: [String: Manifest.FileCheck] = [:]
            func writeText(_ t: TextTable) throws { try ResultSet.writeTable(t, in: tmp, checks: &checks) }
            if let points { try writeText(points) }
            for name in columns.keys.sorted() {
                let fname = "\(name).csv"
                let file = try ChecksummedFile(tmp.appendingPathComponent(fname))
                var buffer = CSV.line(["run", "point", "replication"] + columns[name]!)
                func drain(_ force: Bool) throws {
                    guard force || buffer.utf8.count >= 1 << 20 else { return }
                    try file.write(Data(buffer.utf8))
                    buffer = ""
                }
                // K-way merge by run; ties go to the earlier shard (a stable sort by run).
                var cursors: [CSVFileTable.Cursor?] = try shards.map { try $0.tables[name]?.makeCursor() }
                var heads: [TextTable.Row?] = try cursors.indices.map { try cursors[$0]?.next() }
                var rows = 0
                while true {
                    var best: Int?
                    for i in heads.indices {
                        guard let h = heads[i] else { continue }
                        if best == nil || h.run < heads[best!]!.run { best = i }
                    }
                    guard let b = best else { break }
                    let r = heads[b]!
                    let id = [r.run < 0 ? "all" : String(r.run), String(r.point), r.replication < 0 ? "all" : String(r.replication)]
                    buffer += CSV.line(id + r.cells)
                    rows += 1
                    try drain(false)
                    heads[b] = try cursors[b]!.next()
                }
                try drain(true)
                if name == "runs" { runsWritten = rows }
                checks[fname] = file.check(rows: rows, withDigest: name != "timing")
            }
            if missingCount == 0 {
                let written = Set(columns.keys)
                let sums = try ResultSet.summaries(manifest: manifest, tables: { name in
                    guard written.contains(name) else { return name == "points" ? points : nil }
                    return try? CSVFileTable(name: name, path: tmp.appendingPathComponent("\(name).csv").path)
                })
                for t in sums { try writeText(t) }
            }
            manifest.files = checks.keys.sorted().map { checks[$0]! }
            try Data(manifest.text.utf8).write(to: tmp.appendingPathComponent(ResultSet.manifestFile))
        }
        return Merged(manifest: manifest, runs: runsWritten)
    }

    /// A whole (small) table read from its file.
    static func read(_ t: CSVFileTable) throws -> TextTable {
        var rows: [TextTable.Row] = []
        try t.forEachRow { rows.append($0) }
        return TextTable(name: t.name, columns: t.columns, rows: rows)
    }

    /// Verifies the result folder `path` like `ResultSet.read(from:)` (the same refusals), one
    /// file at a time in one streaming pass each, and notes its runs and row order.
    static func verify(_ path: String) throws -> Shard {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: path)
        let (manifest, names, verified) = try ResultSet.openFolder(path)
        var shard = Shard(path: path, manifest: manifest, tables: [:], runs: [], runsSeen: [:], ordered: true)
        for name in names {
            let fpath = dir.appendingPathComponent(name).path
            let table = String(name.dropLast(4))
            if let size = (try? fm.attributesOfItem(atPath: fpath))?[.size] as? Int, size > ResultSet.maxFileBytes {
                throw ExperimentError("\(fpath): \(size) bytes exceeds the limit of \(ResultSet.maxFileBytes) bytes")
            }
            let t = try CSVFileTable(name: table, path: fpath)
            var seen: [Int] = [], seenSet: Set<Int> = [], last = Int.min, ordered = true
            var cursor = try t.makeCursor()
            while let r = try cursor.next() {
                if r.run < last { ordered = false }
                last = r.run
                if table == "runs" { shard.runs.append(r.run) }
                guard r.run != -1 else { continue }
                let line = cursor.line
                guard r.run >= 0, r.run < manifest.runCount else {
                    throw ExperimentError("\(fpath):\(line): run \(r.run) outside the manifest's 0..<\(manifest.runCount)")
                }
                guard r.point >= 0, r.point < manifest.points, r.replication >= 0, r.replication < manifest.replications,
                      r.run == r.point * manifest.replications + r.replication else {
                    throw ExperimentError("\(fpath):\(line): run \(r.run) does not match point \(r.point), replication \(r.replication)")
                }
                if seenSet.insert(r.run).inserted { seen.append(r.run) }
            }
            let scan = cursor.result
            if verified, let check = manifest.files.first(where: { $0.name == name }) {
                if let bytes = check.bytes, let fnv = check.fnv {
                    if scan.bytes != bytes {
                        throw ExperimentError("\(fpath): \(scan.bytes) bytes, the manifest says \(bytes) (truncated or changed)")
                    }
                    if scan.fnv != fnv { throw ExperimentError("\(fpath): checksum differs from the manifest (the file was changed)") }
                }
                if check.rows != scan.rows { throw ExperimentError("\(fpath): \(scan.rows) rows, the manifest says \(check.rows)") }
            }
            shard.tables[table] = t
            shard.runsSeen[table] = seen
            if !ordered { shard.ordered = false }
        }
        return shard
    }
}
