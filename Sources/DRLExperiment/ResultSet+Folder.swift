import Foundation

extension ResultSet {
    /// Writes the set to `path` through a temporary folder next to it, renamed into place, so
    /// that `path` holds either the previous complete set or the new one, never a partial one.
    /// An existing result set at `path` is replaced; any other non-empty folder is refused
    /// (`checkWritable(to:)`).
    public func write(to path: String) throws {
        try AtomicFolder.replace(path, what: "results", marker: Self.manifestFile) { tmp, _ in
            for f in files {
                try Data(f.content.utf8).write(to: tmp.appendingPathComponent(f.name))
            }
        }
    }

    /// The file every result set folder holds.
    public static let manifestFile = "manifest.txt"

    /// Throws unless `path` may receive a result set: it does not exist, is an empty folder or
    /// holds an earlier result set (a `manifest.txt`). Lets a command refuse before running.
    public static func checkWritable(to path: String) throws {
        if let refused = AtomicFolder.refusal(path, what: "results", marker: manifestFile) { throw refused }
    }

    /// Reads a set written by `write(to:)`.
    public static func read(from path: String) throws -> ResultSet {
        let dir = URL(fileURLWithPath: path)
        guard let mtext = try? String(contentsOf: dir.appendingPathComponent("manifest.txt"), encoding: .utf8) else {
            throw ExperimentError("\(path): not a drlsim result set (no readable manifest.txt)")
        }
        guard let manifest = Manifest(text: mtext) else { throw ExperimentError("\(path)/manifest.txt: malformed manifest") }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        var tables: [TextTable] = []
        for name in names.sorted() where name.hasSuffix(".csv") {
            let tname = String(name.dropLast(4))
            guard let text = try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8),
                  let t = TextTable(name: tname, csv: text) else {
                throw ExperimentError("\(path)/\(name): malformed CSV")
            }
            tables.append(t)
        }
        return ResultSet(manifest: manifest, tables: tables)
    }
}
