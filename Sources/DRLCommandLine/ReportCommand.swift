import ArgumentParser
import Foundation

/// `drlsim report RESULTS_DIR [--out DIR]`: tables and figures of any result set, drawn by the
/// Python package in `python/` (`python3 -m drlsim.report`, Docs/python.md). This command only
/// finds a Python that has the package and passes the arguments on; the report module reads the
/// set, checks `--out` against the data-safety rules (a new or empty folder, or a previous
/// report: `report.md` whose first line is `<!-- drlsim-report 1 -->`) and writes it.
///
/// Python: `$DRLSIM_PYTHON` when set; else the repository's `.venv-notebooks/bin/python`
/// (Scripts/setup-python; the checkout holding this executable or the current folder) when it
/// has the package, then `python3` from `PATH`. Without the package (or pandas, matplotlib,
/// numpy): one line naming `pip install ./python`, exit 2.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report",
        abstract: "Write report.md and report.html (tables and figures) for a result set.",
        discussion: "Needs the Python package: pip install ./python (Docs/python.md).")

    @Argument(help: "A result folder written by 'drlsim run' or 'drlsim merge'.")
    var results: String

    @Option(help: "Report folder (default RESULTS-report): new, empty, or holding a previous report.")
    var out: String?

    func run() throws {
        var arguments = ["-m", "drlsim.report", results]
        if let out { arguments += ["--out", out] }
        let candidates = Self.pythons()
        for (index, python) in candidates.enumerated() {
            let (status, errors) = try Self.execute(python, arguments)
            if status == 0 { return }
            let missing = Self.missingModule(errors)
            if missing != nil, index + 1 < candidates.count { continue }
            if let missing {
                throw CLIError(description: "drlsim report: Python module '\(missing)' not found for \(python.joined(separator: " ")): install the package with 'pip install ./python' (Docs/python.md)")
            }
            let lines = errors.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
            if status == 2, lines.count == 1 { throw CLIError(description: lines[0], status: 2) }
            throw CLIError(description: "drlsim report: \(python.joined(separator: " ")) failed (exit \(status)): \(lines.last ?? "no message")",
                           status: status == 2 ? 2 : 1)
        }
    }

    /// The Python interpreters to try, in order (each as a command line prefix).
    static func pythons() -> [[String]] {
        let env = ProcessInfo.processInfo.environment
        if let p = env["DRLSIM_PYTHON"], !p.isEmpty { return [[p]] }
        var found: [[String]] = []
        for start in [executablePath(), FileManager.default.currentDirectoryPath] {
            if let root = repositoryRoot(from: start) {
                let venv = root + "/.venv-notebooks/bin/python"
                if FileManager.default.isExecutableFile(atPath: venv), !found.contains([venv]) { found.append([venv]) }
            }
        }
        found.append(["/usr/bin/env", "python3"])
        return found
    }

    /// The module a Python error says is missing, when it is the package or its dependencies.
    static func missingModule(_ stderr: String) -> String? {
        for line in stderr.split(separator: "\n").reversed() {
            for name in ["drlsim", "pandas", "matplotlib", "numpy"] {
                if line.contains("No module named '\(name)") || line.contains("No module named \(name)") { return name }
            }
        }
        if stderr.contains("No such file or directory"), stderr.contains("python") { return "python3" }
        return nil
    }

    private static func executablePath() -> String {
        let arg0 = CommandLine.arguments.first ?? ""
        let url = URL(fileURLWithPath: arg0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return url.resolvingSymlinksInPath().path
    }

    /// The folder holding `Package.swift` and `Sources/drlsim` at or above `start`.
    static func repositoryRoot(from start: String) -> String? {
        var url = URL(fileURLWithPath: start).standardizedFileURL
        for _ in 0..<64 {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path),
               FileManager.default.fileExists(atPath: url.appendingPathComponent("Sources/drlsim").path) {
                return url.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
        return nil
    }

    /// Runs `python arguments` with stdout passed through; returns its status and stderr.
    private static func execute(_ python: [String], _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python[0])
        process.arguments = Array(python.dropFirst()) + arguments
        let stderr = Pipe()
        process.standardError = stderr
        do { try process.run() } catch {
            throw CLIError(description: "drlsim report: cannot run \(python.joined(separator: " ")): \(error.localizedDescription) (install Python 3.11+ and 'pip install ./python')")
        }
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: err, as: UTF8.self))
    }
}
