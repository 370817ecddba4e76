import DRLSimCore

/// Drives a `RestoreThroughput` on a simulator: one pending event at the next completion,
/// cancelled and rescheduled at each arrival (events only at arrivals and completions).
public final class SharedRestores {
    private var server = RestoreThroughput()
    private var waiting: [Int: () -> Void] = [:]
    private var nextID = 0
    private var pending: EventID?
    private let sim: Simulator

    /// Restores sharing the backup site on `sim`.
    public init(sim: Simulator) { self.sim = sim }

    /// Restores in service.
    public var count: Int { server.count }

    /// A restore of `work` (its duration alone) starts now; `completion` runs when it ends.
    public func restore(work: SimDuration, completion: @escaping () -> Void) {
        let id = nextID
        nextID += 1
        waiting[id] = completion
        finish(server.arrive(id, work: work, at: sim.now))
    }

    private func finish(_ done: [Int]) {
        if let e = pending { sim.cancel(e); pending = nil }
        if let t = server.nextCompletion {
            pending = sim.schedule(at: t) { [weak self] s in
                guard let self else { return }
                self.pending = nil
                self.finish(self.server.advance(to: s.now))
            }
        }
        for id in done { waiting.removeValue(forKey: id)?() }
    }
}
