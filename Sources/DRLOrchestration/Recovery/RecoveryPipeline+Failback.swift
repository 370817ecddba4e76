import DRLSimCore
import DRLNetwork
import DRLCloud

extension RecoveryPipeline {
    /// Failback (beyond the paper, which only sketched it): the primary is marked operating now;
    /// protect back from the backup and move each recovered policy home.
    ///
    /// Steps: restore the targets (WAN, hosts) -> `reverse-sync` (over the backup -> primary
    /// WAN: a VM snapshot image if the VM was protected by snapshot; for DRBD volumes the bytes
    /// written at the backup since recovery plus the primary's diverged, lost bytes (DRBD's
    /// bitmap resync after a split brain); for snapshot volumes the whole volume) ->
    /// `switch-over` (the service stops at the backup: downtime starts) -> `final-sync` (what was
    /// written during the reverse sync) -> `metadata-read` -> per member: `drbd-manage`,
    /// `volume-restore` or `image-import` at the primary -> `stack-create` -> `vm-boot` ->
    /// `floating-ip` -> `bgp-convergence` (the primary announces, the backup withdraws) ->
    /// `first-response`. Row kind `failback`; `downtime_s` is the interruption.
    public func failback() {
        let now = context.sim.now
        for t in targets { t.restore(at: now) }
        for p in engine.policies {
            var o = RecoveryOutcome(kind: .failback, policy: p.name, disaster: now)
            o.detected = now; o.notified = now
            let failover = outcomes.last { $0.kind == .failover && $0.policy == p.name && $0.failure == nil && $0.responsive != nil }
            outcomes.append(o)
            let k = outcomes.count - 1
            guard let f = failover else {
                outcomes[k].failure = .noRecoveryPoint(policy: p.name)
                run(k, [])
                continue
            }
            run(k, failbackSteps(p, outcome: k, failover: f))
        }
    }

    private func syncBytes(_ p: WorkloadPolicy, workload: TenantWorkload, failover f: RecoveryOutcome, since: SimInstant) -> Int64 {
        let now = context.sim.now
        let dp = engine.dataPaths
        var total: Int64 = 0
        for m in p.members {
            switch m.action {
            case .vmSnapshot: total += workload.vm(m.resource)?.snapshotBytes ?? 0
            case .volumeReplication:
                total += dp.bytesWritten(to: m.resource, by: now) - dp.bytesWritten(to: m.resource, by: since)
                // the diverged bytes: what the recovery point at the disaster lost (its rpo row)
                total += recoveryPointsAtDisaster.first { $0.resource == m.resource.raw }?.lostBytes ?? 0
            case .volumeSnapshot: total += workload.volume(m.resource)?.sizeBytes ?? 0
            default: break
            }
        }
        return total
    }

    private func transfer(_ bytes: Int64, _ p: WorkloadPolicy, _ done: @escaping (SimDuration, RecoveryFailure?) -> Void) {
        _ = engine.dataPaths.syncBack(bytes: bytes, trafficClass: TrafficClassName.replication) { outcome in
            if case .aborted(_, let reason) = outcome { done(.zero, .missingResource("failback sync aborted: \(reason)")) } else { done(.zero, nil) }
        }
    }

    private func failbackSteps(_ p: WorkloadPolicy, outcome k: Int, failover f: RecoveryOutcome) -> [Step] {
        let t = config.timings
        let workload = engine.workload(of: p.tenant) ?? TenantWorkload(tenant: p.tenant)
        let template = engine.generator.template(for: workload, include: Set(p.members.map(\.resource)))
        var syncStart = SimInstant.zero
        var steps: [Step] = []
        steps.append(("reverse-sync", { [unowned self] done in
            syncStart = self.context.sim.now
            self.outcomes[k].started = syncStart
            self.transfer(self.syncBytes(p, workload: workload, failover: f, since: f.recovered ?? f.disaster), p, done)
        }))
        steps.append(("switch-over", { [unowned self] done in
            self.outcomes[k].switchStart = self.context.sim.now
            done(.zero, nil)
        }))
        steps.append(("final-sync", { [unowned self] done in
            let now = self.context.sim.now
            let delta = p.members.filter { $0.kind == .volume }.reduce(Int64(0)) {
                $0 + self.engine.dataPaths.bytesWritten(to: $1.resource, by: now) - self.engine.dataPaths.bytesWritten(to: $1.resource, by: syncStart)
            }
            self.transfer(delta, p, done)
        }))
        steps.append(("metadata-read", { done in done(t.metadataRead, nil) }))
        for m in p.members {
            let step: String
            let d: SimDuration
            switch m.action {
            case .volumeReplication: (step, d) = ("drbd-manage", t.drbdManage)
            case .volumeSnapshot: (step, d) = ("volume-restore", t.volumeRestore(bytes: workload.volume(m.resource)?.sizeBytes ?? 0))
            case .vmSnapshot: (step, d) = ("image-import", t.imageImport(bytes: workload.vm(m.resource)?.snapshotBytes ?? 0))
            default: (step, d) = ("image-reuse", .zero)
            }
            steps.append(("\(step):\(m.resource.raw)", { done in done(d, nil) }))
        }
        steps.append(("stack-create", { [unowned self] done in self.stackCreated(needing: t.stackCreate(template), done) }))
        steps += bootSteps({ workload.vms.filter { v in p.members.contains { $0.resource == v.id } } }) { [unowned self] in
            self.outcomes[k].recovered = $0
        }
        steps.append(("bgp-convergence", { [unowned self] done in
            let c = t.bgpConvergence
            self.outcomes[k].redirected = self.context.sim.now + c
            done(c, nil)
        }))
        steps.append(("first-response", { done in done(t.firstResponse, nil) }))
        return steps
    }
}
