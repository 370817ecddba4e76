import Foundation

/// Replaces a folder atomically: fill a temporary sibling, then rename it into place.
///
/// The destination holds either its previous complete contents or the new ones, never a
/// mixture; on any error the temporary folder is removed and the destination is untouched.
/// Used by result sets and baselines (interface.md: "nothing half-written").
enum AtomicFolder {
    /// Fills a fresh temporary folder with `fill(tmp, dest)` and renames it to `path`.
    /// - Parameter what: names the content in error messages ("results", "baseline").
    static func replace(_ path: String, what: String, fill: (_ tmp: URL, _ dest: URL) throws -> Void) throws {
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
            try fill(tmp, dest)
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
            throw ExperimentError("\(path): cannot write \(what) (\(error.localizedDescription))")
        }
    }
}
