import Foundation
import Testing
import DRLTestSupport

/// `drlsim report` (issue 17) through the built binary, with stand-in Pythons (`DRLSIM_PYTHON`):
/// the command passes its arguments to `python -m drlsim.report`, turns a missing package into
/// one line naming `pip install ./python` (exit 2), and passes the report module's own one-line
/// errors and exit status on. The report itself is tested in python/tests.
struct ReportCommandTests {
    /// A stand-in Python: records its arguments in `args.txt`, writes `stderr` and exits `status`.
    func fakePython(in tmp: TemporaryFolder, stderr: String, status: Int32) throws -> String {
        let dir = tmp.url.path
        let path = try tmp.write("python", """
            #!/bin/sh
            echo "$@" > '\(dir)/args.txt'
            printf '%s' '\(stderr)' >&2
            exit \(status)

            """)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        return path.path
    }

    @Test func passesTheArgumentsToTheReportModule() throws {
        let tmp = try TemporaryFolder("report")
        defer { tmp.remove() }
        let python = try fakePython(in: tmp, stderr: "", status: 0)
        let r = try CommandLineTool.run(["report", "Results/x", "--out", "rep"], in: tmp.url,
                                        environment: ["DRLSIM_PYTHON": python])
        #expect(r.status == 0, "\(r.stderr)")
        let args = try String(contentsOf: tmp.url.appendingPathComponent("args.txt"), encoding: .utf8)
        #expect(args == "-m drlsim.report Results/x --out rep\n")
    }

    @Test func missingPackageIsOneLineWithTheInstallCommand() throws {
        let tmp = try TemporaryFolder("report")
        defer { tmp.remove() }
        for module in ["drlsim", "pandas"] {
            let python = try fakePython(in: tmp, stderr: "python3: Error while finding module specification for drlsim.report (ModuleNotFoundError: No module named '\(module)')\n", status: 1)
            let r = try CommandLineTool.run(["report", "set"], in: tmp.url, environment: ["DRLSIM_PYTHON": python])
            #expect(r.status == 2)
            #expect(r.stderrLines.count == 1)
            #expect(r.stderr.contains("'\(module)'") && r.stderr.contains("pip install ./python"), "\(r.stderr)")
        }
    }

    @Test func reportErrorsPassThrough() throws {
        let tmp = try TemporaryFolder("report")
        defer { tmp.remove() }
        let python = try fakePython(in: tmp, stderr: "drlsim report: --out mine: not empty and not a previous drlsim report\n", status: 2)
        let r = try CommandLineTool.run(["report", "set", "--out", "mine"], in: tmp.url, environment: ["DRLSIM_PYTHON": python])
        #expect(r.status == 2)
        #expect(r.stderrLines == ["drlsim report: --out mine: not empty and not a previous drlsim report"])
        // a crash (a traceback, exit 1) is cut to its last line
        let crash = try fakePython(in: tmp, stderr: "Traceback (most recent call last):\n  File x\nValueError: boom\n", status: 1)
        let c = try CommandLineTool.run(["report", "set"], in: tmp.url, environment: ["DRLSIM_PYTHON": crash])
        #expect(c.status == 1)
        #expect(c.stderrLines.count == 1 && c.stderr.contains("ValueError: boom"), "\(c.stderr)")
    }

    @Test func noPythonAtAll() throws {
        let tmp = try TemporaryFolder("report")
        defer { tmp.remove() }
        let r = try CommandLineTool.run(["report", "set"], in: tmp.url, environment: ["DRLSIM_PYTHON": tmp.url.path + "/nope"])
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1 && r.stderr.contains("pip install ./python"), "\(r.stderr)")
    }
}
