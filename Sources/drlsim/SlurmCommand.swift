import ArgumentParser
import Foundation
import DRLScenario
import DRLExperiment

/// `drlsim slurm FILE --shards N [--partition P] [--time T] [--cpus-per-task C] --out DIR [--submit]`.
///
/// By default prints the array script and the merge script (users adapt them to their site);
/// `--write` writes them to `DIR.shards/slurm/`; `--submit` writes and submits the array job and
/// the dependent merge job with `sbatch --parsable`.
struct SlurmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "slurm",
        abstract: "Write (and with --submit submit) a Slurm array job running a scenario's shards, plus a dependent merge job.")

    @Argument(help: "A scenario file.")
    var file: String

    @Option(help: "Number of shards (array tasks).")
    var shards: Int

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Slurm time limit per task (e.g. 01:00:00).")
    var time: String?

    @Option(help: "CPUs per task (each task's --jobs).")
    var cpusPerTask: Int = 1

    @Option(help: "Final result folder (shards go to DIR.shards/).")
    var out: String

    @Flag(help: "Write the scripts to DIR.shards/slurm/ and submit them with sbatch.")
    var submit = false

    @Flag(help: "Write the scripts to DIR.shards/slurm/ without submitting (run them with sbatch, or with bash setting SLURM_ARRAY_TASK_ID).")
    var write = false

    @OptionGroup var scenario: ScenarioOptions

    func run() throws {
        guard shards >= 1 else { throw CLIError(description: "drlsim: --shards \(shards): must be at least 1") }
        guard cpusPerTask >= 1 else { throw CLIError(description: "drlsim: --cpus-per-task \(cpusPerTask): must be at least 1") }
        let s = try Scenario.load(file: file, overrides: scenario.all)
        try ExperimentRunner(scenario: s).checkAssembly()
        let cwd = FileManager.default.currentDirectoryPath
        func absolute(_ p: String) -> String { p.hasPrefix("/") ? p : (cwd as NSString).appendingPathComponent(p) }
        var pass: [String] = []
        for o in scenario.overrides { pass += ["--set", o] }
        if let seed = scenario.seed { pass += ["--seed", String(seed)] }
        if let r = scenario.replications { pass += ["--replications", String(r)] }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.resolvingSymlinksInPath().path
        let script = SlurmScript(executable: absolute(exe), file: absolute(file), name: s.name, passThrough: pass,
                                 shards: shards, out: URL(fileURLWithPath: absolute(out)).standardizedFileURL.path,
                                 partition: partition, time: time, cpusPerTask: cpusPerTask, workingDirectory: cwd)
        guard submit || write else {
            print("# --- array job (\(script.shards) shards of \(s.runCount) runs): mkdir -p \(SlurmScript.quote(script.slurmFolder)), then sbatch this file")
            print(script.arrayScript)
            print("# --- merge job: sbatch --dependency=afterok:<array job id> this file")
            print(script.mergeScript, terminator: "")
            return
        }
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: script.slurmFolder, withIntermediateDirectories: true)
            try script.arrayScript.write(toFile: script.slurmFolder + "/array.sbatch", atomically: true, encoding: .utf8)
            try script.mergeScript.write(toFile: script.slurmFolder + "/merge.sbatch", atomically: true, encoding: .utf8)
        } catch {
            throw CLIError(description: "\(script.slurmFolder): cannot write the scripts (\(error.localizedDescription))")
        }
        guard submit else {
            print("\(s.name): wrote \(script.slurmFolder)/array.sbatch and merge.sbatch (\(shards) shards)")
            return
        }
        let arrayID = try sbatch([script.slurmFolder + "/array.sbatch"])
        let mergeID = try sbatch(["--dependency=afterok:\(arrayID)", script.slurmFolder + "/merge.sbatch"])
        print("\(s.name): submitted array job \(arrayID) (\(shards) shards) and merge job \(mergeID) -> \(script.out)")
    }

    /// Runs `sbatch --parsable args` and returns the job id.
    func sbatch(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sbatch", "--parsable"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        do { try p.run() } catch { throw CLIError(description: "drlsim: cannot run sbatch (\(error.localizedDescription))") }
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw CLIError(description: "drlsim: sbatch failed: \(e.split(separator: "\n").first ?? "exit \(p.terminationStatus)")")
        }
        // --parsable prints "jobid" or "jobid;cluster".
        return String(o.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ";").first ?? "")
    }
}
