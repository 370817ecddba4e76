import Foundation
import DRLScenario

extension ResultSet {
    /// The file every result set folder holds.
    public static let manifestFile = "manifest.txt"

    /// Largest CSV file `read(from:)` accepts (bytes); a bound on memory, far above real sets.
    public static let maxFileBytes = 4 << 30

    /// What a result-set folder looks like to `AtomicFolder`: a `manifest.txt` whose first line
    /// is a result-set format line, and no file drlsim does not write (only the manifest and the
    /// CSV files it lists; `*.csv` for a format-1 manifest, which lists none).
    static let folderKind = AtomicFolder.Kind(what: "results") { url, names in
        guard names.contains(manifestFile) else {
            return "holds no drlsim manifest.txt (found \(names.prefix(3).joined(separator: ", "))\(names.count > 3 ? ", ..." : ""))"
        }
        let mpath = url.appendingPathComponent(manifestFile)
        guard let size = (try? FileManager.default.attributesOfItem(atPath: mpath.path))?[.size] as? Int, size < 1 << 20,
              let text = try? String(contentsOf: mpath, encoding: .utf8), Manifest.isManifest(text) else {
            return "its manifest.txt was not written by drlsim (first line is not 'format: \(Manifest.format)')"
        }
        let listed = Set(Manifest(text: text)?.files.map(\.name) ?? [])
        for n in names where n != manifestFile {
            let ok = listed.isEmpty ? n.hasSuffix(".csv") : listed.contains(n)
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: url.appendingPathComponent(n).path, isDirectory: &isDir)
            if !ok || isDir.boolValue { return "holds '\(n)', which drlsim did not write" }
        }
        return nil
    }

    /// Writes the set to `path` through a temporary folder next to it, renamed into place, so
    /// that `path` holds either the previous complete set or the new one, never a partial one.
    /// The manifest (with every CSV's checksum) is written last. An existing result set at `path`
    /// is replaced; anything else is refused (`checkWritable(to:)`).
    public func write(to path: String) throws {
        try AtomicFolder.replace(path, kind: Self.folderKind) { tmp, _ in
            let (manifestText, csvFiles) = filesWithChecks()
            for f in csvFiles {
                try Data(f.content.utf8).write(to: tmp.appendingPathComponent(f.name))
            }
            try Data(manifestText.utf8).write(to: tmp.appendingPathComponent(Self.manifestFile))
        }
    }

    /// Throws unless `path` may receive a result set (`AtomicFolder.refusal`) and a folder can be
    /// created next to it; lets a command refuse before running.
    /// `estimatedBytes`, when given, must fit in the free space there.
    public static func checkWritable(to path: String, estimatedBytes: Int64 = 0) throws {
        try AtomicFolder.preflight(path, kind: folderKind, estimatedBytes: estimatedBytes)
    }

    /// A rough size of `scenario`'s result set: its binned rows (`RunCostEstimate`) at about 100
    /// bytes each, for every run; 0 when nothing can be estimated.
    public static func estimatedBytes(of scenario: Scenario) -> Int64 {
        var total: Int64 = 0
        for p in scenario.points {
            let rows = RunCostEstimate(spec: p).binnedRows
            let (b, o) = rows.multipliedReportingOverflow(by: 100 * Int64(scenario.replications))
            total = o ? .max : total.addingReportingOverflow(b).overflow ? .max : total + b
        }
        return total
    }

    /// Undoes an unfinished `write(to: path)` of this process (for an interrupt handler).
    public static func abandonWrite(to path: String) { AtomicFolder.abandon(path) }

    /// Reads a set written by `write(to:)`, verified: the manifest's first line, every CSV's
    /// row count, size and checksum against the manifest, every CSV parsed completely against its
    /// header, no CSV the manifest does not list, and every row's run within the manifest's range.
    /// - Throws: `ExperimentError` naming the file (and line) of the first problem.
    public static func read(from path: String) throws -> ResultSet {
        let dir = URL(fileURLWithPath: path)
        let (manifest, names, verified) = try openFolder(path)
        var tables: [TextTable] = []
        for name in names {
            let fpath = dir.appendingPathComponent(name).path
            let text: String
            do { text = try boundedText(fpath, max: maxFileBytes) } catch {
                throw ExperimentError("\(fpath): \(error)")
            }
            let check = manifest.files.first { $0.name == name }
            if verified, let check, let bytes = check.bytes, let fnv = check.fnv {
                let actual = text.utf8.count
                if actual != bytes {
                    throw ExperimentError("\(fpath): \(actual) bytes, the manifest says \(bytes) (truncated or changed)")
                }
                if Fingerprint.fnv1a64Hex(text) != fnv {
                    throw ExperimentError("\(fpath): checksum differs from the manifest (the file was changed)")
                }
            }
            let table: TextTable
            switch TextTable.parse(name: String(name.dropLast(4)), csv: text) {
            case .success(let t): table = t
            case .failure(let e): throw ExperimentError("\(fpath):\(e.line): \(e.message)")
            }
            if verified, let check, check.rows != table.rows.count {
                throw ExperimentError("\(fpath): \(table.rows.count) rows, the manifest says \(check.rows)")
            }
            for (i, r) in table.rows.enumerated() where r.run != -1 {
                guard r.run >= 0, r.run < manifest.runCount else {
                    throw ExperimentError("\(fpath):\(i + 2): run \(r.run) outside the manifest's 0..<\(manifest.runCount)")
                }
                guard r.point >= 0, r.point < manifest.points, r.replication >= 0, r.replication < manifest.replications,
                      r.run == r.point * manifest.replications + r.replication else {
                    throw ExperimentError("\(fpath):\(i + 2): run \(r.run) does not match point \(r.point), replication \(r.replication)")
                }
            }
            tables.append(table)
        }
        return ResultSet(manifest: manifest, tables: tables)
    }

    /// The manifest of the result folder `path` and its CSV file names (sorted), checked: the
    /// manifest's first line and fields, and (for a manifest that lists its files, `verified`)
    /// no CSV it does not list and none it lists missing.
    static func openFolder(_ path: String) throws -> (manifest: Manifest, names: [String], verified: Bool) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw ExperimentError("\(path): no such result folder")
        }
        let mpath = URL(fileURLWithPath: path).appendingPathComponent(manifestFile).path
        guard let mtext = try? boundedText(mpath, max: 1 << 20) else {
            throw ExperimentError("\(path): not a drlsim result set (no readable manifest.txt)")
        }
        guard Manifest.isManifest(mtext) else {
            throw ExperimentError("\(mpath):1: not a drlsim manifest (first line is not 'format: \(Manifest.format)')")
        }
        guard let manifest = Manifest(text: mtext) else {
            throw ExperimentError("\(mpath): malformed manifest (a field is missing or out of range)")
        }
        let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".csv") }.sorted()
        let verified = manifest.formatRead == Manifest.format
        if verified {
            let listed = Set(manifest.files.map(\.name))
            if let extra = names.first(where: { !listed.contains($0) }) {
                throw ExperimentError("\(path)/\(extra): not listed in manifest.txt; refusing the set")
            }
            if let missing = manifest.files.first(where: { !names.contains($0.name) }) {
                throw ExperimentError("\(path)/\(missing.name): listed in manifest.txt but missing")
            }
        }
        return (manifest, names, verified)
    }

    /// Writes `t` as `<name>.csv` into `folder` and notes its check (no digest for timing.csv).
    static func writeTable(_ t: TextTable, in folder: URL, checks: inout [String: Manifest.FileCheck]) throws {
        let name = "\(t.name).csv", content = t.csv
        try Data(content.utf8).write(to: folder.appendingPathComponent(name))
        checks[name] = Manifest.FileCheck(name: name, rows: t.rows.count, content: content, withDigest: name != "timing.csv")
    }

    /// The manifest text (with every CSV's check) and the CSV files, sorted by name.
    func filesWithChecks() -> (manifest: String, csv: [(name: String, content: String)]) {
        var m = manifest
        var csv: [(name: String, content: String)] = []
        for t in tables {
            let name = "\(t.name).csv", content = t.csv
            csv.append((name, content))
        }
        csv.sort { $0.name < $1.name }
        m.files = csv.map { f in
            let rows = tables.first { "\($0.name).csv" == f.name }?.rows.count ?? 0
            return Manifest.FileCheck(name: f.name, rows: rows, content: f.content, withDigest: f.name != "timing.csv")
        }
        return (m.text, csv)
    }

    /// A file's UTF-8 text, refused when larger than `max` bytes or not UTF-8.
    static func boundedText(_ path: String, max: Int) throws -> String {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: path), let size = attrs[.size] as? Int else {
            throw ExperimentError("missing or unreadable")
        }
        guard size <= max else { throw ExperimentError("\(size) bytes exceeds the limit of \(max) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else { throw ExperimentError("unreadable") }
        guard let s = String(data: data, encoding: .utf8) else { throw ExperimentError("not UTF-8 text") }
        return s
    }
}
