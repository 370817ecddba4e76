import Foundation

extension ResultSet {
    /// Writes the set to `path` through a temporary folder next to it, renamed into place, so
    /// that `path` holds either the previous complete set or the new one, never a partial one.
    /// An existing folder at `path` is replaced.
    public func write(to path: String) throws {
        let fm = FileManager.default
        let dest = URL(fileURLWithPath: path).standardizedFileURL
        let parent = dest.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        let tmp = parent.appendingPathComponent(".\(dest.lastPathComponent).tmp-\(pid)")
        let old = parent.appendingPathComponent(".\(dest.lastPathComponent).old-\(pid)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fm.removeItem(at: tmp)
            try fm.createDirectory(at: tmp, withIntermediateDirectories: false)
            for f in files {
                try Data(f.content.utf8).write(to: tmp.appendingPathComponent(f.name))
            }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dest.path, isDirectory: &isDir) {
                guard isDir.boolValue else { throw ExperimentError("\(path): exists and is not a folder") }
                try? fm.removeItem(at: old)
                try fm.moveItem(at: dest, to: old)
                try fm.moveItem(at: tmp, to: dest)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: tmp, to: dest)
            }
        } catch let e as ExperimentError {
            try? fm.removeItem(at: tmp)
            throw e
        } catch {
            try? fm.removeItem(at: tmp)
            throw ExperimentError("\(path): cannot write results (\(error.localizedDescription))")
        }
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
