import DRLSimCore
import Foundation
import DRLScenario

/// Replaces a folder atomically and only when it is drlsim's own: fill a temporary sibling,
/// then rename it into place.
///
/// The destination holds either its previous complete contents or the new ones, never a
/// mixture; on any error the temporary folder is removed and the destination is untouched.
/// Used by result sets and baselines (interface.md: "nothing half-written").
///
/// Never deletes what drlsim did not write (`refusal`): an empty path, `/`, the home folder,
/// the current folder or one of its ancestors, a folder holding `.git`, and any non-empty folder
/// that `kind` does not recognise as its own (by the first line of its marker file, and with no
/// file in it that drlsim does not write) are refused before anything runs.
///
/// Temporary folders are named `.NAME.drlsim-tmp-PID` and `.NAME.drlsim-old-PID` and hold a
/// `.drlsim-partial` file from their creation on; the marker file (manifest) is written last.
/// Leftovers of an interrupted write (a killed process) are removed by the next write into the
/// same place when their process is gone, and are never mistaken for a result set.
enum AtomicFolder {
    /// What a folder of one kind looks like.
    struct Kind: Sendable {
        /// The content's name in messages ("results", "baseline").
        var what: String
        /// Why the existing, non-empty folder `url` is not one of ours, or nil when it is.
        var foreign: @Sendable (_ url: URL, _ names: [String]) -> String?
    }

    /// The file inside every temporary folder while it is being filled.
    static let partialMarker = ".drlsim-partial"

    /// Why `path` may not be replaced by a folder of `kind`, or nil if it may.
    static func refusal(_ path: String, kind: Kind) -> ExperimentError? {
        let fm = FileManager.default
        guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
            return ExperimentError("the output path is empty; refusing to write \(kind.what) there")
        }
        let dest = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        let destPath = dest.path
        if destPath == "/" || dest.pathComponents.count <= 1 {
            return ExperimentError("\(path): is the root folder; refusing to write \(kind.what) there")
        }
        var protected: [(String, String)] = []
        for home in [NSHomeDirectory(), ProcessInfo.processInfo.environment["HOME"] ?? ""] where !home.isEmpty {
            protected.append((URL(fileURLWithPath: home).standardizedFileURL.resolvingSymlinksInPath().path, "the home folder"))
        }
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).standardizedFileURL.resolvingSymlinksInPath().path
        for (p, name) in protected where p == destPath {
            return ExperimentError("\(path): is \(name); refusing to write \(kind.what) there (choose a subfolder)")
        }
        if cwd == destPath || cwd.hasPrefix(destPath.hasSuffix("/") ? destPath : destPath + "/") {
            return ExperimentError("\(path): is the current folder or holds it; refusing to write \(kind.what) there (choose a subfolder)")
        }
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: destPath, isDirectory: &isDir) else { return nil }
        guard isDir.boolValue else { return ExperimentError("\(path): exists and is not a folder") }
        guard let names = try? fm.contentsOfDirectory(atPath: destPath) else {
            return ExperimentError("\(path): cannot list the folder; refusing to replace it")
        }
        if names.isEmpty { return nil }
        if names.contains(".git") {
            return ExperimentError("\(path): holds .git (a repository); refusing to replace it")
        }
        if let why = kind.foreign(dest, names.sorted()) {
            return ExperimentError("\(path): \(why); refusing to replace a folder drlsim did not write (choose another output folder)")
        }
        return nil
    }

    /// Checks `path` and that a temporary folder can be made next to it (parent writable, name
    /// not too long), before any run: throws the problem, leaves nothing behind.
    /// `estimatedBytes` (when known) must fit in the file system's free space.
    static func preflight(_ path: String, kind: Kind, estimatedBytes: Int64 = 0) throws {
        if let refused = refusal(path, kind: kind) { throw refused }
        let (tmp, _) = try temporaries(path)
        let fm = FileManager.default
        if estimatedBytes > 0 {
            var probe = tmp.deletingLastPathComponent()
            while !fm.fileExists(atPath: probe.path), probe.pathComponents.count > 1 { probe = probe.deletingLastPathComponent() }
            if let free = (try? fm.attributesOfFileSystem(forPath: probe.path))?[.systemFreeSize] as? Int64, free < estimatedBytes {
                throw ExperimentError("\(path): about \(estimatedBytes >> 20) MiB of results expected but only \(free >> 20) MiB free on that file system")
            }
        }
        for c in URL(fileURLWithPath: path).standardizedFileURL.pathComponents where c.utf8.count + 30 > 255 {
            throw ExperimentError("\(path): the folder name '\(ErrorText.value(c, limit: 40))' is too long (at most 225 bytes)")
        }
        // A parent that does not exist yet is created at writing; its nearest existing ancestor
        // must be a writable folder.
        var ancestor = tmp.deletingLastPathComponent()
        while !fm.fileExists(atPath: ancestor.path), ancestor.pathComponents.count > 1 { ancestor = ancestor.deletingLastPathComponent() }
        if ancestor.path != tmp.deletingLastPathComponent().path {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: ancestor.path, isDirectory: &isDir), isDir.boolValue, access(ancestor.path, W_OK) == 0 else {
                throw ExperimentError("\(path): cannot write \(kind.what) there (\(ancestor.path) is not a writable folder)")
            }
            return
        }
        removeLeftovers(of: URL(fileURLWithPath: path).standardizedFileURL)
        var created = false   // remove only what this call created
        do {
            try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: false)
            created = true
            try Data().write(to: tmp.appendingPathComponent(partialMarker))
        } catch {
            if created { try? FileManager.default.removeItem(at: tmp) }
            throw ExperimentError("\(path): cannot write \(kind.what) there (\(shortReason(error)))")
        }
        try? FileManager.default.removeItem(at: tmp)
    }

    /// Fills a fresh temporary folder with `fill(tmp, dest)` and renames it to `path`.
    /// `fill` must write the marker file (the manifest) last.
    static func replace(_ path: String, kind: Kind, fill: (_ tmp: URL, _ dest: URL) throws -> Void) throws {
        if let refused = refusal(path, kind: kind) { throw refused }
        let fm = FileManager.default
        let dest = URL(fileURLWithPath: path).standardizedFileURL
        let (tmp, old) = try temporaries(path)
        var created = false   // the catch removes only a temporary folder this call created
        do {
            try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
            removeLeftovers(of: dest)
            try fm.createDirectory(at: tmp, withIntermediateDirectories: false)
            created = true
            try Data().write(to: tmp.appendingPathComponent(partialMarker))
            try fill(tmp, dest)
            try fm.removeItem(at: tmp.appendingPathComponent(partialMarker))
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: dest.path, isDirectory: &isDir) {
                guard isDir.boolValue else { throw ExperimentError("\(path): exists and is not a folder") }
                try fm.moveItem(at: dest, to: old)
                // The old folder is ours (checked above); mark it so a kill here is cleaned later.
                try? Data().write(to: old.appendingPathComponent(partialMarker))
                try fm.moveItem(at: tmp, to: dest)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: tmp, to: dest)
            }
        } catch let e as ExperimentError {
            if created { try? fm.removeItem(at: tmp) }
            throw e
        } catch {
            if created { try? fm.removeItem(at: tmp) }
            throw ExperimentError("\(path): cannot write \(kind.what) (\(shortReason(error)))")
        }
    }

    /// Undoes this process's unfinished write into `path` (after an interrupt): removes its
    /// temporary folder and, if the previous contents were moved aside and not yet replaced,
    /// moves them back.
    static func abandon(_ path: String) {
        guard let (tmp, old) = try? temporaries(path) else { return }
        let fm = FileManager.default
        let dest = URL(fileURLWithPath: path).standardizedFileURL
        try? fm.removeItem(at: tmp)
        if fm.fileExists(atPath: old.path) {
            if !fm.fileExists(atPath: dest.path), (try? fm.moveItem(at: old, to: dest)) != nil {
                try? fm.removeItem(at: dest.appendingPathComponent(partialMarker))
            } else {
                try? fm.removeItem(at: old)
            }
        }
    }

    /// The temporary and old-copy siblings of `path` for this process.
    static func temporaries(_ path: String) throws -> (tmp: URL, old: URL) {
        let dest = URL(fileURLWithPath: path).standardizedFileURL
        let parent = dest.deletingLastPathComponent()
        let pid = ProcessInfo.processInfo.processIdentifier
        let name = dest.lastPathComponent
        return (parent.appendingPathComponent(".\(name).drlsim-tmp-\(pid)"),
                parent.appendingPathComponent(".\(name).drlsim-old-\(pid)"))
    }

    /// Removes `.NAME.drlsim-tmp-PID` / `.NAME.drlsim-old-PID` siblings of `dest` whose process
    /// is gone (or is this one, before it made its own) and that hold the partial marker (so
    /// they are certainly drlsim's own).
    static func removeLeftovers(of dest: URL) {
        let fm = FileManager.default
        let parent = dest.deletingLastPathComponent()
        let prefixes = [".\(dest.lastPathComponent).drlsim-tmp-", ".\(dest.lastPathComponent).drlsim-old-"]
        guard let names = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for n in names {
            guard let prefix = prefixes.first(where: { n.hasPrefix($0) }),
                  let pid = Int32(n.dropFirst(prefix.count)) else { continue }
            // A live process (EPERM: alive but another user's) keeps its folder. Our own PID is
            // only found before this process made its temporaries (called first in `replace`
            // and `preflight`): then it is a leftover of a killed run that had the same PID
            // (containers and clusters reuse PIDs), and holding the marker it is drlsim's.
            if pid != ProcessInfo.processInfo.processIdentifier && (kill(pid, 0) == 0 || errno == EPERM) { continue }
            let url = parent.appendingPathComponent(n)
            guard fm.fileExists(atPath: url.appendingPathComponent(partialMarker).path) else { continue }
            try? fm.removeItem(at: url)
        }
    }

    /// A short, one-line reason from a Foundation error.
    static func shortReason(_ error: any Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(u.code)) {
            return String(cString: strerror(code.rawValue))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return ns.localizedDescription
    }
}
