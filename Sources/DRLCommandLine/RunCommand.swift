import ArgumentParser
import Foundation
import DRLScenario
import DRLExperiment

/// `drlsim run FILE... [--out DIR] [--seed N] [--replications N] [--jobs N] [--set k=v ...] [--shard K/N]`.
///
/// Every file is loaded and assembled before anything runs, so bad input exits 2 with nothing
/// written. Each scenario's set goes to `--out DIR` (one file) or `DIR/<name>/` (several files),
/// default `Results/<name>/`, through a temporary folder renamed into place.
struct RunCommand: PluginCommand {
    static let configuration = CommandConfiguration(commandName: "run",
        abstract: "Run every sweep point and replication of each scenario and write the CSV files.")

    @Argument(help: "Scenario files.")
    var files: [String]

    @Option(help: "Output folder (default Results/<scenario name>/; with several files DIR/<name>/).")
    var out: String?

    @Option(help: "Worker threads running runs in parallel (default: the number of processors).")
    var jobs: Int?

    @Option(help: ArgumentHelp("Run only the runs whose index r has r % N == K and write a partial set (merge shards with 'drlsim merge').", valueName: "K/N"))
    var shard: String?

    @Flag(help: "With --shard: rerun even when the shard's complete results already exist.")
    var force = false

    @Option(help: ArgumentHelp("Progress on stderr: terminal (a line rewritten in place; the default when stderr is a terminal), json (one JSON object per line, every second: for batch and cluster logs), none.", valueName: "terminal|json|none"))
    var progress: ProgressStyle?

    @Flag(name: .shortAndLong, help: "No progress and no summary line (errors are still printed).")
    var quiet = false

    @OptionGroup var scenario: ScenarioOptions

    func run(plugins: Plugins) throws {
        var selected: Shard?
        if let shard {
            switch Shard.parse(shard) {
            case .success(let s): selected = s
            case .failure(let e): throw CLIError(description: "drlsim: \(e.message)")
            }
        }
        let requested = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard requested >= 1 else { throw CLIError(description: "drlsim: --jobs \(requested): must be at least 1") }
        // More threads than runs or than a sane multiple of the processors only adds contention.
        let jobs = min(requested, ExperimentRunner.maxJobs)

        let scenarios = try scenario.load(files, plugins: plugins)
        var destinations: [String] = []
        for s in scenarios {
            let dest: String
            if let out { dest = scenarios.count == 1 ? out : (out as NSString).appendingPathComponent(s.name) }
            else { dest = ("Results" as NSString).appendingPathComponent(s.name) }
            if let i = destinations.firstIndex(of: dest) {
                throw CLIError(description: "\(s.file): writes to \(dest) like \(scenarios[i].file) (same scenario name); use separate runs with --out")
            }
            destinations.append(dest)
            try ResultSet.checkWritable(to: dest, estimatedBytes: ResultSet.estimatedBytes(of: s))  // refuse before running, not after
            try ExperimentRunner(scenario: s, jobs: jobs).checkAssembly()
        }

        let interrupts = Interrupts(destinations: destinations)
        defer { withExtendedLifetime(interrupts) {} }
        for (s, dest) in zip(scenarios, destinations) {
            let runner = ExperimentRunner(scenario: s, jobs: jobs)
            let shardText = selected?.description ?? "all"
            if selected != nil, !force, let existing = try? ResultSet.read(from: dest),
               existing.manifest.describesSameRuns(as: ResultSet.manifest(for: s, shard: shardText)) {
                Console.error("\(s.name): shard \(shardText) already complete in \(dest); skipping (use --force to rerun)")
                continue
            }
            let runs = selected.map { $0.runs(of: runner.index.count) }
            let total = runs?.count ?? runner.index.count
            let name = s.name
            let clock = ContinuousClock()
            let start = clock.now
            let style: ProgressStyle = quiet ? .none : (progress ?? (Console.isTerminal ? .terminal : .none))
            let report = ProgressReport(runs: total, duration: s.points.first?.header.duration?.seconds)
            let printer = ProgressPrinter(report: report, style: style, scenario: name)
            // Rows stream to a scratch spool while the runs record them; the result files are
            // assembled from it (memory grows with what is simulated, not with what is recorded).
            let spool = try ResultSpool()
            let results = try runner.execute(runs: runs, report: style == .none ? nil : report, spool: spool)
            printer.finish()
            try ResultSet.write(scenario: s, results: results, spool: spool, shard: shardText, to: dest)
            let wall = clock.now - start
            let events = results.reduce(0) { $0 + $1.events }
            if quiet { continue }
            print("\(name): \(total) run\(total == 1 ? "" : "s") (\(s.points.count) point\(s.points.count == 1 ? "" : "s") x \(s.replications) replication\(s.replications == 1 ? "" : "s")\(selected.map { ", shard \($0)" } ?? "")), \(events) events in \(wall.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))) -> \(dest)")
        }
    }
}
