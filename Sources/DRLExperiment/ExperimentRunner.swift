import Foundation
import DRLSimCore
import DRLScenario

/// Runs the runs of a scenario (sweep points x replications), sequentially or on `jobs` threads.
///
/// Each run gets a fresh `RunAssembly` (new `Simulator`, `Recorder`, streams seeded from the
/// scenario seed and the replication), installs the point's sections, runs to `duration` (or
/// until no event is left) and returns its tables. A run is single-threaded; parallelism is only
/// across runs, and results are returned in run order, so the output does not depend on `jobs`.
public struct ExperimentRunner: Sendable {
    /// The scenario.
    public let scenario: Scenario
    /// Worker threads (>= 1).
    public let jobs: Int

    /// The most worker threads a run uses, whatever `--jobs` asks: runs are CPU-bound, so more
    /// threads than 4 per processor only add memory and contention.
    public static var maxJobs: Int { max(1, min(256, 4 * ProcessInfo.processInfo.activeProcessorCount)) }

    /// Threads for `runs` runs when `requested` were asked for: at least 1, at most the runs and `maxJobs`.
    public static func workerCount(requested: Int, runs: Int) -> Int {
        max(1, min(requested, runs, maxJobs))
    }

    /// A runner of `scenario` on `jobs` threads.
    public init(scenario: Scenario, jobs: Int = 1) {
        self.scenario = scenario
        self.jobs = max(1, jobs)
    }

    /// The run numbering of the scenario.
    public var index: RunIndex { RunIndex(points: scenario.points.count, replications: scenario.replications) }

    /// Executes one run.
    /// - Throws: `ScenarioError` from a section's `install` (e.g. a missing component).
    /// - Parameter spool: when given, the run's rows stream into it as they are recorded
    ///   (`ResultSpool`) and the result's tables carry columns only.
    public func execute(run r: Int, report: ProgressReport? = nil, spool: ResultSpool? = nil) throws -> RunResult {
        let point = index.point(of: r), replication = index.replication(of: r)
        let clock = ContinuousClock()
        let start = clock.now
        let assembly = RunAssembly(spec: scenario.points[point], replication: replication)
        let writer = spool?.writer(run: r, point: point, replication: replication)
        if let writer, let spool {
            assembly.recorder.spillThreshold = spool.spillThreshold
            assembly.recorder.spill = { table, rows in writer.append(table, rows) }
        }
        try assembly.install()
        if let report {
            report.runStarted(r)
            assembly.execute { now, events in report.advanced(r, simulated: now.seconds, events: events) }
            report.runFinished(r, events: assembly.sim.eventsExecuted)
        } else {
            assembly.execute()
        }
        let elapsed = clock.now - start
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rec = assembly.recorder
        if let writer {
            rec.flush()
            rec.spill = nil
            try writer.close()
        }
        let tables = rec.tableOrder.map { RecordedTable(name: $0, columns: rec.columns[$0] ?? [], rows: rec.rows[$0] ?? []) }
        return RunResult(run: r, point: point, replication: replication, durationSeconds: assembly.sim.now.seconds,
                         events: assembly.sim.eventsExecuted, wallSeconds: wall, tables: tables)
    }

    /// Installs every point once without running it (catches assembly errors for `validate`).
    public func checkAssembly() throws {
        for spec in scenario.points {
            let assembly = RunAssembly(spec: spec, replication: 0)
            defer { assembly.context.close() }
            try assembly.install()
        }
    }

    /// Executes `runs` (default: all) and returns their results in ascending run order.
    ///
    /// - Parameter progress: called after each finished run with (finished, total), from the
    ///   worker thread that finished it.
    /// - Throws: the error of the lowest-numbered failing run.
    ///   - report: receives in-run progress (simulated time, events) and finished runs.
    ///   - spool: streams every run's rows to disk (`ResultSpool`) instead of returning them.
    public func execute(runs: [Int]? = nil, report: ProgressReport? = nil, spool: ResultSpool? = nil,
                        progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [RunResult] {
        let selected = (runs ?? Array(0..<index.count)).sorted()
        if jobs == 1 || selected.count <= 1 {
            var out: [RunResult] = []
            out.reserveCapacity(selected.count)
            for (i, r) in selected.enumerated() {
                out.append(try execute(run: r, report: report, spool: spool))
                progress?(i + 1, selected.count)
            }
            return out
        }
        let state = SharedRunState(count: selected.count)
        let runner = self
        let workers = Self.workerCount(requested: jobs, runs: selected.count)
        WorkerThreads.run(count: workers, stackSize: 16 << 20) {
            while let slot = state.nextSlot() {
                let result = Result { try runner.execute(run: selected[slot], report: report, spool: spool) }
                let done = state.store(result, at: slot)
                progress?(done, selected.count)
            }
        }
        return try state.results()
    }
}

/// The work queue and result slots shared by the worker threads (guarded by a lock).
final class SharedRunState: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var done = 0
    private var failed = false
    private var slots: [Result<RunResult, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next slot to run, or nil when all are taken or a run failed.
    func nextSlot() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard !failed, next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    /// Stores a result; returns the number of finished runs.
    func store(_ r: Result<RunResult, any Error>, at slot: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[slot] = r
        if case .failure = r { failed = true }
        done += 1
        return done
    }

    /// The results in slot order, or the first failure.
    func results() throws -> [RunResult] {
        lock.lock(); defer { lock.unlock() }
        var out: [RunResult] = []
        for s in slots {
            switch s {
            case .success(let r)?: out.append(r)
            case .failure(let e)?: throw e
            case nil: continue
            }
        }
        return out
    }
}
