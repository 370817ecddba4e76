import DRLSimCore
import DRLCloud

/// The steps the policy-wide failover (`RecoveryPipeline`), the per-VM failover in priority
/// groups (`RecoveryPipeline+Groups`) and failback (`RecoveryPipeline+Failback`) share, each
/// written once: the outcome a verdict opens, `orchestrator` and `metadata-read`, one member's
/// `failover:<resource>`, `key-pairs`, `template-remap`, Heat's stack timeout, `vm-boot` and
/// `floating-ip`, `redirect-wait` and `first-response`.
extension RecoveryPipeline {
    /// Opens the failover outcome of policy `p` for a verdict at `detectedAt` (the orchestrator
    /// notified now; traffic redirected once BGP converged after the disaster, unless the
    /// disaster leaves BGP running) and returns its index.
    func openFailover(_ p: WorkloadPolicy, detectedAt: SimInstant) -> Int {
        var o = RecoveryOutcome(kind: .failover, policy: p.name, disaster: disaster?.at ?? detectedAt)
        o.detected = detectedAt; o.notified = context.sim.now
        if disaster?.spec.stopsBGP ?? true { o.redirected = o.disaster + config.timings.bgpConvergence }
        outcomes.append(o)
        return outcomes.count - 1
    }

    /// `orchestrator` (recovery start latency) and `metadata-read` (the newest ready execution
    /// of `p` and its template into `state`; none: no recovery point).
    func startSteps(_ p: WorkloadPolicy, outcome k: Int, state: RecoveryState) -> [Step] {
        let t = config.timings
        return [
            ("orchestrator", { done in done(t.recoveryStartLatency, nil) }),
            ("metadata-read", { [unowned self] done in
                self.outcomes[k].started = self.context.sim.now
                guard let ex = self.engine.newestReady(p.name), let tpl = ex.template else { done(.zero, .noRecoveryPoint(policy: p.name)); return }
                state.execution = ex; state.template = tpl
                self.outcomes[k].container = ex.container
                done(t.metadataRead, nil)
            }),
        ]
    }

    /// `failover:<resource>` of member `i` of `p`: its action plans the failover (Dragon's loop
    /// over the actions, orbit-software.md §3); the IDs it creates go into `state.mapping`, an
    /// in-stack restore into `state.inStack`, and the step is renamed after the plan
    /// (`renamed`, e.g. `image-import:<resource>`). With `restores`, the plan's `transfer` goes
    /// through the backup site's shared restore throughput after its fixed overhead (per-VM
    /// recovery); without, the step takes the plan's duration.
    func failoverStep(_ p: WorkloadPolicy, member i: Int, workload: TenantWorkload, state: RecoveryState,
                      restores: SharedRestores? = nil, renamed: @escaping (String) -> Void) -> Step {
        let m = p.members[i], t = config.timings
        return ("failover:\(m.resource.raw)", { [unowned self] done in
            guard let ex = state.execution else { done(.zero, .noRecoveryPoint(policy: p.name)); return }
            guard let a = self.engine.registry.action(named: m.action) else { done(.zero, .unknownAction(m.action.rawValue)); return }
            let ctx = FailoverContext(workload: workload, timings: t, dataPaths: self.engine.dataPaths, now: self.context.sim.now,
                                      newID: { [unowned self] in self.newID($0) })
            switch a.failover(ex.actions[i], context: ctx) {
            case .failure(let f): done(.zero, f)
            case .success(let plan):
                if let im = plan.image { state.mapping.images[im.primary] = im.backup }
                if let v = plan.volume { state.mapping.volumes[v.primary] = v.backup }
                if let r = plan.inStack { state.inStack.append((r.primaryVolume, "backup-of-\(r.primaryVolume)", r.bytes, r.duration)) }
                renamed("\(plan.step):\(m.resource.raw)")
                guard let restores, plan.transfer > .zero else { done(plan.duration, nil); return }
                self.context.sim.schedule(after: plan.duration - plan.transfer) { _ in
                    restores.restore(work: plan.transfer) { done(.zero, nil) }
                }
            }
        })
    }

    /// `key-pairs`: one key-pair import per key pair of the template.
    func keyPairsStep(_ state: RecoveryState) -> Step {
        let t = config.timings
        return ("key-pairs", { done in done(t.keyPair * Int64(state.template?.count(of: .keyPair) ?? 0), nil) })
    }

    /// `template-remap`: the backup's floating IPs into the mapping, the in-stack restores into
    /// `template` (Dragon's process_recover_template: a volume gets its backup_id), then every
    /// primary ID remapped; the result is `state.template`. No template: no recovery point.
    func remapStep(_ p: WorkloadPolicy, workload: TenantWorkload, state: RecoveryState,
                   template: @escaping () -> HeatTemplate?) -> Step {
        let t = config.timings
        return ("template-remap", { [unowned self] done in
            let addresses = self.config.backupFloatingIPs ?? workload.vms.compactMap(\.floatingIP)
            for a in addresses.sorted() { state.mapping.floatingIPsByAddress[a] = "fip-backup-\(a)" }
            guard var tpl = template() else { done(.zero, .noRecoveryPoint(policy: p.name)); return }
            for v in state.inStack {
                let before = Set(tpl.resources.map(\.name))
                tpl = tpl.restoringVolume(primaryID: v.volume, backupID: v.backupID, sizeBytes: v.bytes)
                for n in tpl.resources.map(\.name) where !before.contains(n) { state.restores[n] = v.duration }
            }
            let restored = tpl
            switch Result(catching: { () throws(TemplateError) -> HeatTemplate in try restored.remapped(with: state.mapping) }) {
            case .success(let r): state.template = r
            case .failure(let e): done(.zero, .template(e)); return
            }
            done(t.templateRemap, nil)
        })
    }

    /// Ends a stack step that needs `need`: Heat marks a stack that outlasts `stackTimeout`
    /// CREATE_FAILED at the timeout (and Dragon's recovery fails), else it is done after `need`.
    func stackCreated(needing need: SimDuration, _ done: (SimDuration, RecoveryFailure?) -> Void) {
        let t = config.timings
        if need > t.stackTimeout { done(t.stackTimeout, .stackTimeout(needed: need, timeout: t.stackTimeout)) } else { done(need, nil) }
    }

    /// The stack's resources (the stack starting now) as steps, cut at `cut`.
    func stackResources(_ schedule: StackSchedule, cutAt cut: SimDuration) -> [RecoveryOutcome.Step] {
        let t0 = context.sim.now
        return schedule.entries.compactMap { e in
            let start = schedule.base + e.start
            guard start < cut else { return nil }
            return .init(name: "stack:\(e.name)", start: t0 + start, end: t0 + Swift.min(schedule.base + e.end, cut))
        }
    }

    /// `vm-boot` (the longest boot of `vms`; `recovered` gets its start) and `floating-ip`.
    func bootSteps(_ vms: @escaping () -> [VMDescription], recovered: @escaping (SimInstant) -> Void) -> [Step] {
        let t = config.timings
        return [
            ("vm-boot", { [unowned self] done in
                recovered(self.context.sim.now)
                done(self.bootTime(vms()), nil)
            }),
            ("floating-ip", { done in done(t.floatingIPRestore, nil) }),
        ]
    }

    /// `redirect-wait` (until outcome `k`'s traffic is redirected) and `first-response`.
    func responseSteps(outcome k: Int) -> [Step] {
        let t = config.timings
        return [
            ("redirect-wait", { [unowned self] done in
                let now = self.context.sim.now
                let r = self.outcomes[k].redirected ?? now
                done(r > now ? r - now : .zero, nil)
            }),
            ("first-response", { done in done(t.firstResponse, nil) }),
        ]
    }
}
