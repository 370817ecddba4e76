import DRLSimCore

extension RecoveryPipeline {
    /// The run ends now (Docs/statistics.md): every recovery or failback not finished gets its
    /// `recovery` row with status `censored`, `rto_s` = the elapsed time since the disaster (a
    /// lower bound; failback: `downtime_s` likewise once the switch-over started) and `reason`
    /// naming the step it was in; its finished steps go to `recovery_steps`. A disaster whose
    /// recovery was not yet notified gives one censored row per policy, so that every disaster
    /// has its rows. Nothing runs afterwards.
    /// - Returns: the number of censored rows written.
    @discardableResult
    public func endRun() -> Int {
        guard !ended else { return 0 }
        ended = true
        censorGroups()
        let now = context.sim.now
        var n = 0
        func s(_ t: SimInstant?) -> RecordValue { .double(t?.seconds ?? .nan) }
        for k in outcomes.indices where !emitted.contains(k) {
            emitted.insert(k)
            let o = outcomes[k]
            let step = currentStep[k]?.name ?? "start"
            var downtime = Double.nan
            if o.kind == .failback, let sw = o.switchStart { downtime = (now - sw).seconds }
            context.recorder.emit(OrchestrationTables.recovery, [
                s(o.disaster), s(o.detected), s(o.notified), s(o.started), s(o.recovered), .double(.nan), s(o.redirected),
                .double((now - o.disaster).seconds), .text(o.kind.rawValue), .text(o.policy), .text("censored"),
                .text("run ended during \(step)"), .double(downtime)])
            for st in o.steps {
                context.recorder.emit(OrchestrationTables.recoverySteps, [
                    s(o.disaster), .text(o.kind.rawValue), .text(o.policy), .text(st.name),
                    .double(st.start.seconds), .double(st.end.seconds), .double(st.duration.seconds)])
            }
            n += 1
        }
        // A disaster the orchestrator was not yet notified of: no outcome exists.
        if let d = disaster, !outcomes.contains(where: { $0.kind == .failover && $0.disaster == d.at }) {
            for p in engine.policies {
                let redirected: SimInstant? = d.spec.stopsBGP && d.at + config.timings.bgpConvergence <= now
                    ? d.at + config.timings.bgpConvergence : nil
                context.recorder.emit(OrchestrationTables.recovery, [
                    s(d.at), .double(.nan), .double(.nan), .double(.nan), .double(.nan), .double(.nan), s(redirected),
                    .double((now - d.at).seconds), .text(RecoveryOutcome.Kind.failover.rawValue), .text(p.name),
                    .text("censored"), .text("run ended before the recovery was notified"), .double(.nan)])
                n += 1
            }
        }
        return n
    }
}
