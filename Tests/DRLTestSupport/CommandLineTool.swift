import Foundation

/// Runs the built `drlsim` executable for end-to-end tests.
///
/// The binary is looked up in the environment variable `DRLSIM_BIN`, then next to the running
/// test bundle (SwiftPM puts tests and executables in the same build products folder), walking
/// up a few folders (macOS `.xctest` bundles).
public enum CommandLineTool {
    /// The result of one invocation.
    public struct Output: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to stdout.
        public var stdout: String
        /// Everything written to stderr.
        public var stderr: String
        /// The non-empty stderr lines.
        public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// The path of the built `drlsim`, or nil when it cannot be found.
    public static func binary(named name: String = "drlsim") -> String? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["DRLSIM_BIN"], fm.isExecutableFile(atPath: env) { return env }
        var candidates: [URL] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(arg0.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        for b in Bundle.allBundles { candidates.append(b.bundleURL) }
        for start in candidates {
            var dir = start
            for _ in 0..<4 {
                let p = dir.appendingPathComponent(name).path
                if fm.isExecutableFile(atPath: p) { return p }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// Runs `drlsim arguments...` in `directory` and waits for it.
    public static func run(_ arguments: [String], in directory: URL, environment extra: [String: String] = [:]) throws -> Output {
        guard let bin = binary() else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "drlsim binary not found: run 'swift build' first or set DRLSIM_BIN"])
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = arguments
        p.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "dumb"
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        // Read both pipes before waiting so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh temporary folder for one test, removed by `remove()`.
public struct TemporaryFolder: Sendable {
    /// The folder.
    public let url: URL

    /// Creates `/tmp/drlsim-test-<prefix>-<uuid>`.
    public init(_ prefix: String = "t") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("drlsim-test-\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to `name` inside the folder and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL {
        let u = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
        return u
    }

    /// The folder's entries, sorted.
    public func entries(_ sub: String = "") -> [String] {
        let u = sub.isEmpty ? url : url.appendingPathComponent(sub)
        return ((try? FileManager.default.contentsOfDirectory(atPath: u.path)) ?? []).sorted()
    }

    /// The bytes of every file in a sub-folder, by file name (sorted).
    public func files(in sub: String) -> [String: Data] {
        var out: [String: Data] = [:]
        for name in entries(sub) {
            out[name] = FileManager.default.contents(atPath: url.appendingPathComponent(sub).appendingPathComponent(name).path)
        }
        return out
    }

    /// Removes the folder.
    public func remove() { try? FileManager.default.removeItem(at: url) }
}
