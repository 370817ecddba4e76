import Foundation

/// Replaces a folder atomically: fill a temporary sibling, then rename it into place.
///
/// The destination holds either its previous complete contents or the new ones, never a
/// mixture; on any error the temporary folder is removed and the destination is untouched.
/// Used by result sets and baselines (interface.md: "nothing half-written").
///
/// A folder is only replaced if it is ours: empty (dot files aside) or holding `marker` (the
/// file every folder of that kind has, e.g. `manifest.txt`). Anything else (`--out .`, a
/// folder of the user's files) is refused, so a mistyped `--out` never deletes user data.
enum AtomicFolder {
    /// Why `path` may not be replaced by a folder of `what` marked by `marker`, or nil if it may
    /// (it does not exist, is an empty folder, or holds `marker`).
    static func refusal(_ path: String, what: String, marker: String) -> ExperimentError? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return nil }
        guard isDir.boolValue else { return ExperimentError("\(path): exists and is not a folder") }
        let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }
        if names.isEmpty || names.contains(marker) { return nil }
        return ExperimentError("\(path): exists and is not a drlsim \(what) folder (no \(marker)); "
                               + "refusing to replace it: choose another output folder or remove it")
    }

    /// Fills a fresh temporary folder with `fill(tmp, dest)` and renames it to `path`.
    /// - Parameters:
    ///   - what: names the content in error messages ("results", "baseline").
    ///   - marker: the file that marks an existing folder at `path` as replaceable (`refusal`).
    static func replace(_ path: String, what: String, marker: String,
                        fill: (_ tmp: URL, _ dest: URL) throws -> Void) throws {
        if let refused = refusal(path, what: what, marker: marker) { throw refused }
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
