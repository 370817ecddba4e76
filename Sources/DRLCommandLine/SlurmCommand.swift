import ArgumentParser
import DRLExperiment
import DRLScenario
import Foundation

/// `drlsim slurm FILE --shards N --out DIR [--submit]`: runs a scenario's sweep on a Slurm
/// cluster as an array job of N shards plus a merge job that waits for all of them (issue 8).
///
/// Without `--submit` it prints a submission script (both job scripts in here-documents) for
/// users to adapt to their site. With `--submit` it submits the array with `sbatch --parsable`,
/// then the merge job with `--dependency=afterok:<array job>`, and prints `array_job=<id>` and
/// `merge_job=<id>`. The scenario is loaded and assembled with its overrides first, like
/// `drlsim run` does, so bad input prints one line on stderr and exits 2 before anything waits
/// in a queue.
/// The scripts come from `SlurmScript`; the layout is documented in Docs/cluster.md.
struct SlurmCommand: PluginCommand {
    /// The subcommand's name and help.
    static let configuration = CommandConfiguration(
        commandName: "slurm",
        abstract: "Run a scenario's sweep on Slurm: an array job of shards and a merge job.",
        discussion: """
            Shard K of N runs the runs whose index % N == K into <shard-dir>/shard-K (default \
            shard dir: <out>-shards); the merge job joins them into --out once every shard has \
            succeeded. Without --submit the submission script is printed and nothing is submitted.
            """)

    @Argument(help: "The scenario file (must be readable from the compute nodes).")
    var file: String

    // Numbers are read as text and checked in `run()`, so that `--shards 0`, `--shards -1` and
    // `--shards x` all get the same one-line error and exit 2.
    @Option(parsing: .unconditional, help: "Number of shards, one array task each (--array=0-(N-1)).")
    var shards: String

    @Option(help: "Slurm partition for both jobs (default: the cluster's default partition).")
    var partition: String?

    @Option(help: "Time limit per task and for the merge job, in sbatch's format (e.g. 2:00:00).")
    var time: String?

    @Option(name: .customLong("cpus-per-task"), parsing: .unconditional,
            help: "CPUs per array task; each shard runs with --jobs C.")
    var cpusPerTask: String?

    @Option(help: "Folder of the merged result set.")
    var out: String

    @Option(name: .customLong("shard-dir"), help: "Folder of the shard result sets and Slurm logs (default: <out>-shards).")
    var shardDir: String?

    @Option(name: .customLong("drlsim"), help: "The drlsim executable the jobs run (default: this one).")
    var drlsimPath: String?

    /// `--set`, `--seed`, `--replications`, passed to every shard as `--set` overrides.
    @OptionGroup var scenario: ScenarioOptions

    @Flag(help: "Submit the jobs with sbatch instead of printing the script.")
    var submit = false

    /// Renders the scripts and prints or submits them.
    func run(plugins: Plugins) throws {
        let script: SlurmScript
        do {
            script = try SlurmScript(options: try options())
        } catch let error as SlurmScriptError {
            throw Self.fail(error.description)
        }
        // Fail here, not in N array tasks after a wait in the queue.
        let loaded = try Scenario.load(file: file, overrides: scenario.all, limits: scenario.limits, plugins: plugins)
        try ExperimentRunner(scenario: loaded, jobs: 1).checkAssembly()
        guard script.options.shards <= loaded.runCount else {
            throw Self.fail("--shards: \(script.options.shards) shards for \(loaded.runCount) runs of \(file) would leave shards without runs")
        }
        guard submit else {
            print(script.submissionScript, terminator: "")
            return
        }
        // The folders drlsim creates for the logs, removed again if nothing gets submitted.
        let fm = FileManager.default
        var created: [String] = []
        var folder = script.logDirectory
        while !folder.isEmpty, folder != "/", !fm.fileExists(atPath: folder) {
            created.append(folder)
            folder = (folder as NSString).deletingLastPathComponent
        }
        do {
            try fm.createDirectory(atPath: script.logDirectory, withIntermediateDirectories: true)
        } catch {
            throw Self.fail("--shard-dir: cannot create \(script.logDirectory): \(error.localizedDescription)")
        }
        let arrayJob: String
        do {
            arrayJob = try SlurmScript.jobID(
                fromParsable: try Self.sbatch(script.arraySubmitArguments, script: script.arrayScript))
        } catch {
            for f in created { try? fm.removeItem(atPath: f) }  // innermost first
            throw Self.fail(Self.reason(error))
        }
        let mergeJob: String
        do {
            mergeJob = try SlurmScript.jobID(fromParsable: try Self.sbatch(
                script.mergeSubmitArguments(afterArrayJob: arrayJob), script: script.mergeScript))
        } catch {
            // Leave no array behind whose results nobody merges.
            _ = try? Self.execute(["scancel", arrayJob], input: nil)
            throw Self.fail("\(Self.reason(error)); cancelled array job \(arrayJob)")
        }
        print("array_job=\(arrayJob)")
        print("merge_job=\(mergeJob)")
    }

    /// The command line turned into script options, with paths made absolute so the jobs find
    /// them whatever folder they start in.
    private func options() throws -> SlurmOptions {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), !isDirectory.boolValue,
              FileManager.default.isReadableFile(atPath: file)
        else { throw Self.fail("\(file): no such readable scenario file") }
        let runArguments = scenario.all.flatMap { ["--set", $0] }
        guard let shardCount = Int(shards) else {
            throw Self.fail("--shards: \"\(shards)\" is not a shard count (expected an integer >= 1)")
        }
        var cpus: Int?
        if let cpusPerTask {
            guard let n = Int(cpusPerTask) else {
                throw Self.fail("--cpus-per-task: \"\(cpusPerTask)\" is not a CPU count (expected an integer >= 1)")
            }
            cpus = n
        }
        return SlurmOptions(
            scenarioFile: Self.absolute(file), shards: shardCount, partition: partition, time: time,
            cpusPerTask: cpus, outDirectory: Self.absolute(out),
            shardDirectory: shardDir.map(Self.absolute),
            drlsimPath: drlsimPath.map { $0.contains("/") ? Self.absolute($0) : $0 } ?? Self.currentExecutable(),
            runArguments: runArguments)
    }

    /// The one-line bad-input error `drlsim slurm: <message>` (exit 2, printed by `DRLSim`).
    private static func fail(_ message: String) -> CLIError {
        CLIError(description: "drlsim slurm: " + message.split(whereSeparator: \.isNewline).joined(separator: "; "))
    }

    /// `path` made absolute against the current folder, with `.` and `..` removed.
    private static func absolute(_ path: String) -> String {
        let url = path.hasPrefix("/")
            ? URL(fileURLWithPath: path)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(path)
        var result = url.standardizedFileURL.path
        while result.count > 1, result.hasSuffix("/") { result.removeLast() }
        return result
    }

    /// The absolute path of the running drlsim, so jobs run the same build.
    private static func currentExecutable() -> String {
        if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return target
        }
        return absolute(CommandLine.arguments[0])
    }

    /// A submission step that failed, with the reason to print.
    private struct SubmissionFailure: Error {
        var message: String
    }

    /// The one-line reason of a failed submission step.
    private static func reason(_ error: any Error) -> String {
        switch error {
        case let e as SubmissionFailure: return e.message
        case let e as SlurmScriptError: return e.description
        default: return "\(error)"
        }
    }

    /// Runs `sbatch arguments` with `script` on standard input and returns its standard output.
    /// - Throws: `SubmissionFailure` with sbatch's message when sbatch fails.
    private static func sbatch(_ arguments: [String], script: String) throws -> String {
        let (status, output, errors) = try execute(["sbatch"] + arguments, input: script)
        guard status == 0 else {
            let reason = errors.trimmingCharacters(in: .whitespacesAndNewlines)
            throw SubmissionFailure(message: "sbatch failed (exit \(status)): \(reason.isEmpty ? output : reason)")
        }
        return output
    }

    /// Runs `command` (looked up in PATH) and returns its exit status, stdout and stderr.
    private static func execute(_ command: [String], input: String?) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        do { try process.run() } catch {
            throw SubmissionFailure(message: "cannot run \(command[0]): \(error.localizedDescription)")
        }
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try? stdin.fileHandleForWriting.close()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
