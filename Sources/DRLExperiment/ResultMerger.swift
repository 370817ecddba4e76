/// Joins partial result sets (shards) into one set, byte-identical to an unsharded run except
/// for `timing.csv` when the union is complete.
///
/// Refuses sets of different scenarios (name or fingerprint of file text and overrides),
/// drlsim versions, seeds or run counts; reports duplicate runs always and missing runs unless
/// partial output is allowed. Summary tables are recomputed from the merged rows.
public enum ResultMerger {
    /// Merges `sets` (each with the folder it came from, for messages).
    public static func merge(_ sets: [(path: String, set: ResultSet)], allowPartial: Bool = false) throws -> ResultSet {
        guard let first = sets.first else { throw ExperimentError("merge: no result sets given") }
        let m0 = first.set.manifest
        try checkCompatible(sets.map { ($0.path, $0.set.manifest) })
        // Runs present, duplicates (a dictionary: a manifest may declare many runs but a set holds few).
        var owner: [Int: String] = [:]
        for (path, s) in sets {
            guard let runs = s.table("runs") else { throw ExperimentError("\(path): no runs.csv") }
            for r in runs.rows {
                guard r.run >= 0, r.run < m0.runCount else { throw ExperimentError("\(path)/runs.csv: run \(r.run) out of range 0..<\(m0.runCount)") }
                if let o = owner[r.run] {
                    throw ExperimentError("\(path): run \(r.run) is also in \(o) (duplicate run); refusing to merge")
                }
                owner[r.run] = path
            }
        }
        for (path, s) in sets {
            for t in s.tables where t.name != "runs" && !Set(m0.summaries.map(\.output)).contains(t.name) {
                if let r = t.rows.first(where: { $0.run >= 0 && owner[$0.run] != path }) {
                    throw ExperimentError("\(path)/\(t.name).csv: a row of run \(r.run), which is not in the set's runs.csv; refusing to merge")
                }
            }
        }
        let missingCount = try missingRuns(owner: owner, runCount: m0.runCount, allowPartial: allowPartial)
        // Tables: concatenate, order by run (stable within a run).
        let summaryNames = Set(m0.summaries.map(\.output)).union([DRSummary.table])   // recomputed below
        var merged: [String: (columns: [String], rows: [(Int, TextTable.Row)])] = [:]
        var seq = 0
        for (index, (path, s)) in sets.enumerated() {
            // `points.csv` describes the sweep, the same in every shard: kept once, checked equal.
            if let pts = s.table("points") {
                if index == 0 { merged["points"] = (pts.columns, pts.rows.map { r -> (Int, TextTable.Row) in seq += 1; return (seq, r) }) }
                else if let first = sets[0].set.table("points"), first != pts {
                    throw ExperimentError("\(path)/points.csv: differs from \(sets[0].path)/points.csv; refusing to merge")
                }
            }
            for t in s.tables where !summaryNames.contains(t.name) && t.name != "points" {
                if let existing = merged[t.name], existing.columns != t.columns {
                    throw ExperimentError("\(path)/\(t.name).csv: columns differ from the other sets")
                }
                var entry = merged[t.name] ?? (t.columns, [])
                for r in t.rows { entry.rows.append((seq, r)); seq += 1 }
                merged[t.name] = entry
            }
        }
        let tables = merged.keys.sorted().map { name -> TextTable in
            let e = merged[name]!
            let rows = e.rows.sorted { ($0.1.run, $0.0) < ($1.1.run, $1.0) }.map(\.1)
            return TextTable(name: name, columns: e.columns, rows: rows)
        }
        var manifest = m0
        manifest.shard = missingCount == 0 ? "all" : "partial"
        var result = ResultSet(manifest: manifest, tables: tables)
        if missingCount == 0 { try result.addSummaries() }
        return result
    }

    /// Refuses sets of different scenarios (name or fingerprint), versions, seeds or run layouts
    /// than the first (`manifests`: each set's folder and manifest, in order).
    static func checkCompatible(_ manifests: [(path: String, manifest: Manifest)]) throws {
        guard let (firstPath, m0) = manifests.first else { return }
        for (path, m) in manifests.dropFirst() {
            func differ(_ what: String, _ a: String, _ b: String) -> ExperimentError {
                ExperimentError("\(path): \(what) \(b) differs from \(firstPath) (\(a)); refusing to merge")
            }
            if m.scenario != m0.scenario { throw differ("scenario", m0.scenario, m.scenario) }
            if m.fingerprint != m0.fingerprint { throw differ("scenario fingerprint (file text or --set)", m0.fingerprint, m.fingerprint) }
            if m.version != m0.version { throw differ("drlsim version", m0.version, m.version) }
            if m.seed != m0.seed { throw differ("seed", String(m0.seed), String(m.seed)) }
            if m.points != m0.points || m.replications != m0.replications {
                throw differ("run layout", "\(m0.points)x\(m0.replications)", "\(m.points)x\(m.replications)")
            }
        }
    }

    /// How many of `runCount` runs no set holds (`owner`: run -> set); throws naming the first
    /// ten unless `allowPartial`.
    static func missingRuns(owner: [Int: String], runCount: Int, allowPartial: Bool) throws -> Int {
        var missing: [Int] = []
        for r in 0..<runCount where owner[r] == nil {
            missing.append(r)
            if missing.count > 10 { break }
        }
        let missingCount = runCount - owner.count
        if !missing.isEmpty && !allowPartial {
            let shown = missing.prefix(10).map(String.init).joined(separator: ", ")
            throw ExperimentError("merge: \(missingCount) of \(runCount) runs missing (\(shown)\(missingCount > 10 ? ", ..." : "")); use --allow-partial to merge anyway")
        }
        return missingCount
    }
}
