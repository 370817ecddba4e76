import Foundation
import Testing

@testable import DRLExperiment

/// The Slurm scripts of `drlsim slurm` (issue 8): directives, shard arguments, the merge
/// dependency, typed option errors, and what the scripts really run under bash.
@Suite struct SlurmScriptTests {
    static let base = SlurmOptions(
        scenarioFile: "/data/scen/mm1.yaml", shards: 4, partition: "short", time: "0:10:00",
        cpusPerTask: 2, outDirectory: "/data/results/mm1", drlsimPath: "/opt/drlsim/bin/drlsim",
        runArguments: ["--set", "duration=10min", "--seed", "11"])

    @Test func arrayScriptHasOneTaskPerShard() throws {
        let script = try SlurmScript(options: Self.base)
        let lines = script.arrayScript.split(separator: "\n").map(String.init)
        #expect(lines.first == "#!/bin/bash")
        #expect(lines.contains("#SBATCH --array=0-3"))
        #expect(lines.contains("#SBATCH --partition=short"))
        #expect(lines.contains("#SBATCH --time=0:10:00"))
        #expect(lines.contains("#SBATCH --cpus-per-task=2"))
        #expect(lines.contains("#SBATCH --job-name=drlsim-mm1"))
        #expect(lines.contains("#SBATCH --output=/data/results/mm1-shards/logs/shard-%a.out"))
        #expect(script.arrayScript.contains("SLURM_ARRAY_TASK_ID"))
        #expect(script.arrayScript.contains("--shard \"$shard\"/4"))
        // Every directive comes before the first command, or sbatch ignores it.
        let firstCommand = try #require(lines.firstIndex { !$0.hasPrefix("#") })
        #expect(lines[firstCommand...].allSatisfy { !$0.hasPrefix("#SBATCH") })
    }

    @Test(arguments: [1, 2, 7, 1000])
    func arrayRangeIsZeroToShardsMinusOne(shards: Int) throws {
        var options = Self.base
        options.shards = shards
        let script = try SlurmScript(options: options)
        #expect(script.arrayScript.contains("#SBATCH --array=0-\(shards - 1)\n"))
        #expect(script.arrayScript.contains("--shard \"$shard\"/\(shards) "))
        #expect(script.mergeScript.contains("k < \(shards);"))
    }

    @Test func optionalDirectivesAreLeftOut() throws {
        let script = try SlurmScript(options: SlurmOptions(
            scenarioFile: "s.yaml", shards: 2, outDirectory: "out"))
        #expect(!script.arrayScript.contains("--partition"))
        #expect(!script.arrayScript.contains("--time"))
        #expect(!script.arrayScript.contains("--cpus-per-task"))
        #expect(!script.mergeScript.contains("--partition"))
        #expect(script.options.resolvedShardDirectory == "out-shards")
    }

    @Test func mergeJobDependsOnTheWholeArray() throws {
        let script = try SlurmScript(options: Self.base)
        #expect(script.mergeSubmitArguments(afterArrayJob: "4711") == ["--parsable", "--dependency=afterok:4711"])
        #expect(script.arraySubmitArguments == ["--parsable"])
        #expect(script.submissionScript.contains("sbatch --parsable --dependency=afterok:\"$array_job\""))
        #expect(!script.mergeScript.contains("--array"))
        #expect(script.mergeScript.contains("#SBATCH --partition=short"))
        #expect(script.mergeScript.contains("#SBATCH --output=/data/results/mm1-shards/logs/merge.out"))
    }

    @Test func badOptionsAreTypedErrors() {
        func error(_ change: (inout SlurmOptions) -> Void) -> SlurmScriptError? {
            var options = Self.base
            change(&options)
            do { _ = try SlurmScript(options: options); return nil } catch { return error }
        }
        #expect(error { $0.shards = 0 } == .shardCount(0))
        #expect(error { $0.shards = -3 } == .shardCount(-3))
        #expect(error { $0.cpusPerTask = 0 } == .cpusPerTask(0))
        #expect(error { $0.partition = "short;rm" } == .partition("short;rm"))
        #expect(error { $0.partition = "" } == .partition(""))
        #expect(error { $0.time = "10min" } == .time("10min"))
        #expect(error { $0.time = "1-2-3" } == .time("1-2-3"))
        #expect(error { $0.time = "1:2:3:4" } == .time("1:2:3:4"))
        #expect(error { $0.outDirectory = "" } == .path(option: "--out", ""))
        #expect(error { $0.shardDirectory = "/a b" } == .path(option: "--shard-dir", "/a b"))
        #expect(error { $0.shardDirectory = "/x/%j" } == .path(option: "--shard-dir", "/x/%j"))
        #expect(error { $0.shardDirectory = "/data/results/mm1" } == .sameDirectory("/data/results/mm1"))
        // Every message is one line.
        #expect(!SlurmScriptError.time("x").description.contains("\n"))
    }

    @Test(arguments: ["10", "10:30", "2:00:00", "1-0", "1-12:00", "2-00:00:30", "UNLIMITED", "infinite"])
    func slurmTimeFormatsAreAccepted(time: String) throws {
        var options = Self.base
        options.time = time
        _ = try SlurmScript(options: options)
    }

    @Test func jobIDIsReadFromParsableOutput() throws {
        #expect(try SlurmScript.jobID(fromParsable: "123\n") == "123")
        #expect(try SlurmScript.jobID(fromParsable: "456;cluster\n") == "456")
        #expect(throws: SlurmScriptError.unparsableJobID("Submitted batch job 7")) {
            try SlurmScript.jobID(fromParsable: "Submitted batch job 7\n")
        }
        #expect(throws: SlurmScriptError.self) { try SlurmScript.jobID(fromParsable: "") }
    }

    @Test func shellQuoting() {
        #expect(SlurmScript.shellQuote("/a/b-c_d.yaml") == "/a/b-c_d.yaml")
        #expect(SlurmScript.shellQuote("a b") == "'a b'")
        #expect(SlurmScript.shellQuote("it's") == "'it'\\''s'")
        #expect(SlurmScript.shellQuote("") == "''")
        #expect(SlurmScript.shellQuote("$HOME") == "'$HOME'")
    }

    // MARK: - The scripts under bash, with a stand-in drlsim that prints its arguments

    /// Runs `script` with bash and `environment`, returning its standard output.
    private func runBash(_ script: String, environment: [String: String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A temporary folder with an executable `drlsim` that prints each argument on its own line.
    private func fakeDrlsim() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("slurm-script-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let tool = dir.appendingPathComponent("drlsim")
        try "#!/bin/bash\nprintf '%s\\n' \"$@\"\n".write(to: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool.path)
        return dir
    }

    @Test func arrayTaskRunsItsShardWithQuotedArguments() throws {
        let dir = try fakeDrlsim()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = Self.base
        options.drlsimPath = dir.appendingPathComponent("drlsim").path
        options.scenarioFile = "/my scenarios/it's.yaml"
        options.runArguments = ["--set", "workload.vms[0].name=a b"]
        let script = try SlurmScript(options: options)
        let (status, out) = try runBash(script.arrayScript,
                                        environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_CPUS_PER_TASK": "2"])
        #expect(status == 0)
        #expect(out.split(separator: "\n").map(String.init) == [
            "run", "/my scenarios/it's.yaml", "--out", "/data/results/mm1-shards/shard-2",
            "--shard", "2/4", "--jobs", "2", "--set", "workload.vms[0].name=a b",
        ])
        // Outside an array task the script refuses to run rather than running shard "".
        let (refused, _) = try runBash(script.arrayScript, environment: [:])
        #expect(refused != 0)
    }

    @Test func mergeJobMergesEveryShardInOrder() throws {
        let dir = try fakeDrlsim()
        defer { try? FileManager.default.removeItem(at: dir) }
        var options = Self.base
        options.drlsimPath = dir.appendingPathComponent("drlsim").path
        options.shards = 3
        let (status, out) = try runBash(try SlurmScript(options: options).mergeScript, environment: [:])
        #expect(status == 0)
        #expect(out.split(separator: "\n").map(String.init) == [
            "merge", "/data/results/mm1-shards/shard-0", "/data/results/mm1-shards/shard-1",
            "/data/results/mm1-shards/shard-2", "--out", "/data/results/mm1",
        ])
    }

    @Test func submissionScriptIsValidBash() throws {
        let script = try SlurmScript(options: Self.base)
        let (status, _) = try runBash("bash -n <<'EOF'\n\(script.submissionScript)EOF\n", environment: [:])
        #expect(status == 0)
        // The embedded job scripts are passed through unchanged (quoted here-documents).
        #expect(script.submissionScript.contains(script.arrayScript + "DRLSIM_ARRAY\n"))
        #expect(script.submissionScript.contains(script.mergeScript + "DRLSIM_MERGE\n"))
    }
}
