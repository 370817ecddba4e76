import Foundation
import Testing
import DRLTestSupport

/// `drlsim slurm` through the built binary (issue 8): the printed script, bad input (exit 2, one
/// line, nothing submitted), and `--submit` against stand-in `sbatch`/`scancel` commands that
/// record what they were given. The real Slurm path is Scripts/slurm-integration-test.
struct SlurmCommandTests {
    static let scenario = """
    schema: 1
    name: cli-slurm
    replications: 3
    queue:
      arrival: {type: exponential, mean: 2s}
      service: 1s
      customers: 20

    """

    /// Stand-in Slurm commands in `bin/`: each call of `sbatch` appends its arguments to
    /// `calls.txt`, saves its standard input as `script-<n>.sh` and prints the n-th line of
    /// `ids.txt` (an empty line means: fail with exit 1); `scancel` appends `scancel <args>`.
    func fakeSlurm(in tmp: TemporaryFolder, ids: [String]) throws {
        try tmp.write("ids.txt", ids.joined(separator: "\n") + "\n")
        let dir = tmp.url.path
        try tmp.write("bin/sbatch", """
            #!/bin/bash
            n=$(( $(cat '\(dir)/calls.txt' 2>/dev/null | wc -l) + 1 ))
            echo "sbatch $*" >> '\(dir)/calls.txt'
            cat > '\(dir)/script-'$n.sh
            id=$(sed -n ${n}p '\(dir)/ids.txt')
            [[ -n $id ]] || { echo "sbatch: error: Batch job submission failed: Invalid partition name specified" >&2; exit 1; }
            echo "$id"

            """)
        try tmp.write("bin/scancel", "#!/bin/bash\necho \"scancel $*\" >> '\(dir)/calls.txt'\n")
        for tool in ["sbatch", "scancel"] {
            try FileManager.default.setAttributes([.posixPermissions: 0o755],
                                                  ofItemAtPath: tmp.url.appendingPathComponent("bin/\(tool)").path)
        }
    }

    /// What one drlsim invocation printed and returned.
    struct Invocation {
        var status: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs the built drlsim in `tmp` with `tmp/bin` first in PATH.
    func drlsim(_ arguments: [String], in tmp: TemporaryFolder) throws -> Invocation {
        let bin = try #require(CommandLineTool.binary(), "drlsim not built")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = arguments
        p.currentDirectoryURL = tmp.url
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = tmp.url.appendingPathComponent("bin").path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Invocation(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                          stderr: String(decoding: e, as: UTF8.self))
    }

    func text(_ tmp: TemporaryFolder, _ name: String) -> String {
        (try? String(contentsOf: tmp.url.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    @Test func printsTheScriptAndSubmitsNothing() throws {
        let tmp = try TemporaryFolder("slurm")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.scenario)
        try fakeSlurm(in: tmp, ids: ["7"])
        let r = try drlsim(["slurm", "s.yaml", "--shards", "3", "--out", "res", "--time", "30",
                            "--set", "queue.customers=10"], in: tmp)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("#SBATCH --array=0-2\n"))
        #expect(r.stdout.contains("--shard \"$shard\"/3"))
        #expect(r.stdout.contains("--dependency=afterok:"))
        #expect(r.stdout.contains("--set queue.customers=10"))
        // Paths are absolute so the jobs find them from any folder.
        #expect(r.stdout.contains(" run \(tmp.url.path)/s.yaml "))
        #expect(r.stdout.contains("--out \(tmp.url.path)/res\n"))
        #expect(text(tmp, "calls.txt").isEmpty)
        #expect(tmp.entries() == ["bin", "ids.txt", "s.yaml"])
    }

    @Test func submitsTheArrayThenTheMergeJobAfterIt() throws {
        let tmp = try TemporaryFolder("slurm")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.scenario)
        try fakeSlurm(in: tmp, ids: ["41;cluster", "42"])
        let r = try drlsim(["slurm", "s.yaml", "--shards", "2", "--out", "res", "--partition", "short",
                            "--submit"], in: tmp)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "array_job=41\nmerge_job=42\n")
        #expect(text(tmp, "calls.txt") == "sbatch --parsable\nsbatch --parsable --dependency=afterok:41\n")
        let array = text(tmp, "script-1.sh"), merge = text(tmp, "script-2.sh")
        #expect(array.contains("#SBATCH --array=0-1\n") && array.contains("#SBATCH --partition=short\n"))
        #expect(array.contains(" run \(tmp.url.path)/s.yaml --out \(tmp.url.path)/res-shards/shard-\"$shard\""))
        #expect(merge.contains(" merge \"${shards[@]}\" --out \(tmp.url.path)/res\n"))
        #expect(!merge.contains("--array"))
        // Slurm does not create the folder of --output files: drlsim does, before submitting.
        #expect(tmp.entries("res-shards") == ["logs"])
    }

    @Test func aRejectedMergeJobCancelsTheArray() throws {
        let tmp = try TemporaryFolder("slurm")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.scenario)
        try fakeSlurm(in: tmp, ids: ["41", ""])
        let r = try drlsim(["slurm", "s.yaml", "--shards", "2", "--out", "res", "--submit"], in: tmp)
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderrLines.first?.contains("Invalid partition name") == true)
        #expect(r.stderrLines.first?.contains("cancelled array job 41") == true)
        #expect(text(tmp, "calls.txt").hasSuffix("scancel 41\n"))
        #expect(r.stdout.isEmpty)
    }

    /// An array job sbatch rejects: exit 2, one line, and no log folder left behind.
    @Test func aRejectedArrayLeavesNothingBehind() throws {
        let tmp = try TemporaryFolder("slurm")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.scenario)
        try fakeSlurm(in: tmp, ids: [""])
        let r = try drlsim(["slurm", "s.yaml", "--shards", "2", "--out", "res", "--submit"], in: tmp)
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(!tmp.entries().contains("res-shards"), "\(tmp.entries())")
    }

    /// The printed script, run with bash against stand-in commands, cancels the array when
    /// sbatch rejects the merge job (Docs/cluster.md) and exits non-zero.
    @Test func thePrintedScriptCancelsTheArrayWhenTheMergeIsRejected() throws {
        let tmp = try TemporaryFolder("slurm")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.scenario)
        try fakeSlurm(in: tmp, ids: ["41", ""])
        let printed = try drlsim(["slurm", "s.yaml", "--shards", "2", "--out", "res"], in: tmp)
        #expect(printed.status == 0)
        try tmp.write("submit.sh", printed.stdout)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [tmp.url.appendingPathComponent("submit.sh").path]
        p.currentDirectoryURL = tmp.url
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = tmp.url.appendingPathComponent("bin").path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(text(tmp, "calls.txt").hasSuffix("scancel 41\n"), "\(text(tmp, "calls.txt"))")
    }

    @Test(arguments: [
        (["--shards", "0"], "--shards"), (["--shards", "-2"], "--shards"), (["--shards", "x"], "--shards"),
        (["--shards", "4"], "4 shards for 3 runs"), (["--shards", "2", "--time", "5min"], "--time"),
        (["--shards", "2", "--cpus-per-task", "0"], "--cpus-per-task"),
        (["--shards", "2", "--partition", "a b"], "--partition"),
        (["--shards", "2", "--set", "queue.nope=1"], "queue.nope"),
    ])
    func badInputExitsTwoWithOneLineAndSubmitsNothing(extra: [String], expected: String) throws {
        let tmp = try TemporaryFolder("slurm")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.scenario)
        try fakeSlurm(in: tmp, ids: ["7", "8"])
        let r = try drlsim(["slurm", "s.yaml", "--out", "res", "--submit"] + extra, in: tmp)
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1, "\(r.stderr)")
        #expect(r.stderrLines.first?.contains(expected) == true, "\(r.stderr)")
        #expect(text(tmp, "calls.txt").isEmpty)
        #expect(!tmp.entries().contains("res-shards"))
    }
}
