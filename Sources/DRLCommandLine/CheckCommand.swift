import ArgumentParser
import Foundation
import DRLScenario
import DRLExperiment

/// `drlsim check [FILE...] [--baselines DIR] [--update] [--results DIR] [--jobs N] [--set k=v ...]`:
/// reruns scenarios and compares their curves against the baselines under `DIR/<scenario name>/`
/// within the tolerances stored there (issue 7 item 6, Docs/check.md).
///
/// Without FILE it checks every baseline in DIR, rerunning the scenario file each one records.
/// A baseline records the `--set` overrides it was made with, and `check` reruns with them
/// (giving other overrides is bad input: the curves would not be comparable). Nothing is
/// written except by `--update`, which rewrites `baseline.yaml` and
/// `curves.csv` atomically and keeps `tolerances.yaml`. Rows stream through a scratch result
/// set (removed afterwards) and the curves are read from it a row at a time.
///
/// Exit status: 0 nothing moved (or `--update` done); 1 a curve moved, appeared or disappeared;
/// 2 bad input (file, missing or malformed baseline, arguments), one line on stderr.
struct CheckCommand: PluginCommand {
    static let configuration = CommandConfiguration(commandName: "check",
        abstract: "Rerun scenarios and compare their curves against stored baselines.",
        discussion: """
            Prints each curve value that moved beyond its tolerance (|new - baseline| > abs + \
            rel * |baseline|, from tolerances.yaml beside the baseline) and exits 1. With \
            --update, writes the baselines instead (keeping tolerances.yaml) and prints what changed.
            """)

    @Argument(help: "Scenario files (default: the file recorded in every baseline under --baselines).")
    var files: [String] = []

    @Option(help: "Folder of the baselines, one sub-folder per scenario name.")
    var baselines: String = "Results/baselines"

    @Flag(help: "Write the baselines from this run instead of comparing (deliberate; review the printed changes).")
    var update = false

    @Option(help: "Compare an existing complete result set (e.g. merged shards) instead of rerunning; one scenario.")
    var results: String?

    @Option(help: "Worker threads running runs in parallel (default: the number of processors).")
    var jobs: Int?

    @OptionGroup var scenario: ScenarioOptions

    /// One scenario to check: its file, the scenario loaded with the effective overrides, and
    /// the stored baseline when there is one.
    private struct Job {
        var file: String
        var scenario: Scenario
        var folder: String
        var stored: (baseline: Baseline, tolerances: ToleranceTable)?
    }

    func run(plugins: Plugins) throws {
        let jobs = self.jobs ?? ProcessInfo.processInfo.activeProcessorCount
        guard jobs >= 1 else { throw CLIError(description: "drlsim check: --jobs \(jobs): must be at least 1") }
        let work = try plan(plugins: plugins)
        let clock = ContinuousClock()
        var reports: [CheckReport] = []
        for job in work {
            let start = clock.now
            let s = job.scenario
            let curves: CurveSet, resultFingerprint: String
            if let results {
                // Streamed: the files are verified and read a row at a time (bounded memory).
                let folder = try ResultFolder.open(results)
                try checkLayout(of: folder.manifest, at: results, against: job)
                curves = try CurveExtractor().curves(in: folder.lookup)
                resultFingerprint = folder.manifest.fingerprint
            } else {
                let runner = ExperimentRunner(scenario: s, jobs: jobs)
                let total = runner.index.count, step = max(1, total / 100), name = s.name
                // Rows stream to a scratch spool and a scratch result set, read back a row at a
                // time for the curves (memory: the simulated world and the curves' samples).
                let spool = try ResultSpool()
                let out = try runner.execute(spool: spool) { done, all in
                    if done == all || done % step == 0 { Console.progress("\(name): \(done)/\(all) runs") }
                }
                Console.endProgress()
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("drlsim-check-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: scratch) }
                let path = scratch.appendingPathComponent("set").path
                try ResultSet.write(scenario: s, results: out, spool: spool, to: path, everySummaryInput: true)
                let folder = try ResultFolder.open(path)
                curves = try CurveExtractor().curves(in: folder.lookup)
                resultFingerprint = folder.manifest.fingerprint
            }
            let wall = (clock.now - start).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))
            let runsText = results == nil ? "\(s.runCount) run\(s.runCount == 1 ? "" : "s") in \(wall)" : "results \(results!)"
            let fingerprint = results == nil ? s.fingerprint : resultFingerprint
            if let stored = job.stored, stored.baseline.fingerprint != fingerprint {
                print("\(s.name): note: the scenario input (file text or overrides) changed since the baseline (fingerprint \(stored.baseline.fingerprint) -> \(fingerprint))")
            }
            let report = CheckReport.compare(scenario: s.name, baseline: job.stored?.baseline.curves ?? CurveSet(sweptKeys: [], values: []),
                                             new: curves, tolerances: job.stored?.tolerances ?? ToleranceTable())
            if update {
                let baseline = Baseline(scenario: s.name, file: job.file, version: DRLSimVersion.current, fingerprint: fingerprint,
                                        seed: s.header.seed, points: s.points.count, replications: s.replications,
                                        overrides: s.overrides, curves: curves)
                try baseline.write(to: job.folder)
                let moved = report.changes.filter { $0.kind == .moved }.count
                let appeared = report.changes.filter { $0.kind == .appeared }.count
                let gone = report.changes.filter { $0.kind == .disappeared }.count
                if job.stored == nil {
                    print("\(s.name): \(runsText); created \(job.folder): \(curves.values.count) values")
                } else {
                    print("\(s.name): \(runsText); \(report.passed ? "unchanged" : "updated") \(job.folder): \(curves.values.count) values (\(moved) moved, \(appeared) appeared, \(gone) disappeared)")
                }
                if job.stored != nil { reports.append(report) }
            } else {
                print("\(s.name): \(runsText); \(report.compared) values compared, \(report.changes.count) changed")
                reports.append(report)
            }
        }
        let table = CheckReport.table(reports)
        if !table.isEmpty { print(table, terminator: "") }
        let changed = reports.reduce(0) { $0 + $1.changes.count }
        let compared = reports.reduce(0) { $0 + $1.compared }
        let failing = reports.filter { !$0.passed }.map(\.scenario)
        if update {
            print("check --update: \(work.count) baseline\(work.count == 1 ? "" : "s") written, \(changed) value\(changed == 1 ? "" : "s") changed")
        } else if failing.isEmpty {
            print("check: passed: \(work.count) scenario\(work.count == 1 ? "" : "s"), \(compared) values within tolerance")
        } else {
            // The hint reruns exactly this check: a custom baselines folder is part of it.
            let folder = baselines == "Results/baselines" ? "" : "--baselines \(Self.shellWord(baselines)) "
            let files = work.filter { failing.contains($0.scenario.name) }.map { Self.shellWord($0.file) }.joined(separator: " ")
            print("check: FAILED: \(changed) value\(changed == 1 ? "" : "s") changed in \(failing.joined(separator: ", ")) (\(compared) compared); if the change is intended, run: drlsim check --update \(folder)\(files)")
            throw ExitCode(1)
        }
    }

    /// Loads every scenario and baseline before anything runs (bad input exits 2, nothing written).
    private func plan(plugins: Plugins) throws -> [Job] {
        var files = self.files
        if let results {
            guard files.count <= 1 else { throw CLIError(description: "drlsim check: --results compares one result set; give at most one FILE") }
            if files.isEmpty {
                let set = try ResultFolder.open(results)
                let folder = (baselines as NSString).appendingPathComponent(set.manifest.scenario)
                guard Baseline.exists(at: folder) else {
                    throw CLIError(description: "drlsim check: \(folder): no baseline for scenario \(set.manifest.scenario); give its FILE with --update to create one")
                }
                files = [try Baseline.read(from: folder).baseline.file]
            }
        } else if files.isEmpty {
            files = try recordedFiles()
        }
        var out: [Job] = []
        for file in files {
            // The name decides the folder; the baseline then decides the overrides.
            let named = try Scenario.load(file: file, overrides: scenario.all, limits: scenario.limits, plugins: plugins)
            let folder = (baselines as NSString).appendingPathComponent(named.name)
            let stored = Baseline.exists(at: folder) ? try Baseline.read(from: folder) : nil
            var overrides = scenario.all
            if let stored {
                if overrides.isEmpty { overrides = stored.baseline.overrides }
                else if !update && overrides != stored.baseline.overrides {
                    throw CLIError(description: "drlsim check: \(file): the baseline in \(folder) was made with overrides [\(stored.baseline.overrides.joined(separator: ", "))], not [\(overrides.joined(separator: ", "))]; check without --set, or rewrite it with --update")
                }
            } else if !update {
                throw CLIError(description: "drlsim check: \(folder): no baseline for scenario \(named.name) (\(file)); create it with: drlsim check --update \(file)")
            }
            let s = overrides == scenario.all ? named : try Scenario.load(file: file, overrides: overrides, limits: scenario.limits, plugins: plugins)
            if let i = out.firstIndex(where: { $0.folder == folder }) {
                throw CLIError(description: "drlsim check: \(file): scenario \(s.name) is also in \(out[i].file) (one baseline per scenario name)")
            }
            if results == nil { try ExperimentRunner(scenario: s).checkAssembly() }
            out.append(Job(file: file, scenario: s, folder: folder, stored: stored))
        }
        return out
    }

    /// `word` quoted for a POSIX shell when it holds anything but safe characters.
    static func shellWord(_ word: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=+,:@%")
        if !word.isEmpty, word.allSatisfy(safe.contains) { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The scenario files recorded in every baseline under `baselines`, in folder-name order.
    private func recordedFiles() throws -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: baselines)) ?? []
        let folders = names.sorted().map { (baselines as NSString).appendingPathComponent($0) }.filter(Baseline.exists(at:))
        guard !folders.isEmpty else {
            throw CLIError(description: "drlsim check: no baselines in \(baselines); create them with: drlsim check --update FILE...")
        }
        return try folders.map { try Baseline.read(from: $0).baseline.file }
    }

    /// Refuses a result set that is not a complete set of the job's scenario and run layout.
    private func checkLayout(of m: Manifest, at path: String, against job: Job) throws {
        let s = job.scenario
        guard m.shard == "all" else {
            throw CLIError(description: "drlsim check: \(path): shard \(m.shard) is not a complete result set; merge the shards first (drlsim merge)")
        }
        guard m.scenario == s.name else {
            throw CLIError(description: "drlsim check: \(path): results of scenario \(m.scenario), not \(s.name) (\(job.file))")
        }
        guard m.seed == s.header.seed, m.points == s.points.count, m.replications == s.replications else {
            throw CLIError(description: "drlsim check: \(path): seed \(m.seed), \(m.points) point(s) x \(m.replications) replication(s), but the baseline's scenario has seed \(s.header.seed), \(s.points.count) x \(s.replications) (overrides [\(s.overrides.joined(separator: ", "))])")
        }
    }
}
