import Foundation

/// Progress of a batch of runs, shared by the worker threads: runs done, events, the simulated
/// time of each run in progress, and an ETA.
///
/// Workers call `runStarted`, `advanced` (after each of a run's 100 slices) and `runFinished`;
/// `snapshot()` gives a consistent view. The ETA extrapolates the wall time so far by the
/// fraction of work done, counting a run in progress by its simulated-time fraction (runs
/// without a duration count when they finish). Progress never changes results: slicing a run
/// executes the same events in the same order (`RunAssembly.execute(progress:)`).
public final class ProgressReport: @unchecked Sendable {
    /// A consistent view of the progress.
    public struct Snapshot: Sendable, Equatable {
        /// Runs finished.
        public var runsDone: Int
        /// Runs in the batch.
        public var runsTotal: Int
        /// Events executed so far, finished and running runs together.
        public var events: Int
        /// Wall seconds since the batch started.
        public var elapsedSeconds: Double
        /// Estimated wall seconds left (nil until anything is done).
        public var etaSeconds: Double?
        /// The lowest-numbered run in progress, its simulated time and duration (seconds).
        public var current: (run: Int, simulated: Double, duration: Double?)?

        public static func == (a: Snapshot, b: Snapshot) -> Bool {
            a.runsDone == b.runsDone && a.runsTotal == b.runsTotal && a.events == b.events
                && a.elapsedSeconds == b.elapsedSeconds && a.etaSeconds == b.etaSeconds
                && a.current?.run == b.current?.run && a.current?.simulated == b.current?.simulated
        }

        /// Events per wall second so far.
        public var eventsPerSecond: Double { elapsedSeconds > 0 ? Double(events) / elapsedSeconds : 0 }

        /// One terminal line: `12/108 runs, 5.9 M events/s, ETA 1m12s; run 13 at 412 of 1800 s simulated`.
        public var line: String {
            var s = "\(runsDone)/\(runsTotal) runs, \(String(format: "%.1f", eventsPerSecond / 1e6)) M events/s"
            if let eta = etaSeconds { s += ", ETA \(Self.clock(eta))" }
            if let c = current {
                s += "; run \(c.run) at \(Int(c.simulated)) s simulated"
                if let d = c.duration { s += " of \(Int(d))" }
            }
            return s
        }

        /// One JSON object (a line of `--progress json`).
        public func json(scenario: String) -> String {
            var fields = ["\"scenario\":\(Self.quoted(scenario))", "\"runs_done\":\(runsDone)", "\"runs_total\":\(runsTotal)",
                          "\"events\":\(events)", "\"events_per_s\":\(Int(eventsPerSecond))",
                          "\"elapsed_s\":\(String(format: "%.1f", elapsedSeconds))"]
            fields.append("\"eta_s\":" + (etaSeconds.map { String(format: "%.1f", $0) } ?? "null"))
            if let c = current {
                fields.append("\"run\":\(c.run)")
                fields.append("\"simulated_s\":\(String(format: "%.1f", c.simulated))")
                fields.append("\"duration_s\":" + (c.duration.map { String(format: "%.1f", $0) } ?? "null"))
            }
            return "{" + fields.joined(separator: ",") + "}"
        }

        static func clock(_ s: Double) -> String {
            let t = Int(s.rounded())
            if t >= 3600 { return "\(t / 3600)h\(String(format: "%02d", (t % 3600) / 60))m" }
            if t >= 60 { return "\(t / 60)m\(String(format: "%02d", t % 60))s" }
            return "\(t)s"
        }

        static func quoted(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                default:
                    if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
                }
            }
            return out + "\""
        }
    }

    private let lock = NSLock()
    private let total: Int
    private let duration: Double?
    private let start = ContinuousClock.now
    private var done = 0
    private var finishedEvents = 0
    private var running: [Int: (simulated: Double, events: Int)] = [:]

    /// Progress of `runs` runs of `duration` simulated seconds each (nil: until no event is left).
    public init(runs: Int, duration: Double?) {
        self.total = runs
        self.duration = duration
    }

    /// A worker started `run`.
    public func runStarted(_ run: Int) {
        lock.lock(); defer { lock.unlock() }
        running[run] = (0, 0)
    }

    /// `run` reached `simulated` seconds after `events` events.
    public func advanced(_ run: Int, simulated: Double, events: Int) {
        lock.lock(); defer { lock.unlock() }
        running[run] = (simulated, events)
    }

    /// `run` finished after `events` events.
    public func runFinished(_ run: Int, events: Int) {
        lock.lock(); defer { lock.unlock() }
        running[run] = nil
        done += 1
        finishedEvents += events
    }

    /// The current view.
    public func snapshot() -> Snapshot {
        lock.lock(); defer { lock.unlock() }
        let e = ContinuousClock.now - start
        let elapsed = Double(e.components.seconds) + Double(e.components.attoseconds) * 1e-18
        var fraction = Double(done)
        if let duration, duration > 0 {
            for r in running.values { fraction += min(1, r.simulated / duration) }
        }
        let eta: Double? = fraction > 0 && total > 0 ? elapsed * (Double(total) - fraction) / fraction : nil
        let current = running.keys.min().map { (run: $0, simulated: running[$0]!.simulated, duration: duration) }
        return Snapshot(runsDone: done, runsTotal: total, events: finishedEvents + running.values.reduce(0) { $0 + $1.events },
                        elapsedSeconds: elapsed, etaSeconds: eta, current: current)
    }
}
