import DRLSimCore

extension ProtectionService {
    /// Ends the run now (Docs/statistics.md, "What a duration means"): an action that started
    /// at this instant (due at the run's end) is dropped without a row, since it has no
    /// duration at all; every other running action gets a `censored` row whose `end_s` is now
    /// and whose `duration_s` is the elapsed time, a lower bound of its duration. Auxiliary
    /// uploads stop and DRBD halts, as in `abortAll`.
    /// - Returns: the censored records, in start order.
    @discardableResult
    public func censorRunning() -> [ProtectionRecord] {
        let now = sim.now
        var out: [ProtectionRecord] = []
        for r in running {
            if r.start >= now {
                dropWithoutRow(r)
            } else {
                finish(r, status: .censored)
                if let rec = records.last, rec.status == .censored { out.append(rec) }
            }
        }
        for p in auxiliary { p.abort() }
        auxiliary.removeAll()
        for d in drbd { d.device.halt() }
        haltFluid()
        return out
    }

    /// Stops `r` (pipeline, channel, timer, VM slow-down) and forgets it: no row, no completion.
    func dropWithoutRow(_ r: ProtectionRun) {
        guard let i = running.firstIndex(where: { $0 === r }) else { return }
        running.remove(at: i)
        r.pipeline?.abort()
        r.channel?.abort()
        if let t = r.timer { sim.cancel(t) }
        r.vm?.setSpeed(1)
    }
}
