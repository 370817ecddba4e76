import DRLSimCore
import DRLCloud

/// Per-VM recovery in priority groups (`RecoveryGroups`; SRM recovery plans).
///
/// Each policy first runs its shared steps, as in the policy-wide pipeline up to the stack:
/// `orchestrator` -> `metadata-read` -> `key-pairs` -> `shared-stack` (one Heat stack with the
/// policy's networks, subnets, security groups and key pairs; `HeatTemplate.sharedPart`), then
/// waits in `vms` until each of its VMs is recovered. Once every policy is there, the VMs are
/// recovered as units: the group of priority 1 first, at most `concurrency` at once, the next
/// group when every VM of the previous one is responsive or failed (`RecoveryGroupScheduler`).
/// A unit runs its members' failovers one after another (Dragon's loop over the actions,
/// orbit-software.md §3) -> `template-remap` -> `stack-create` (its own stack: server, ports,
/// floating-IP association, volume attachments, in-stack restores; Heat's
/// `DependencyTaskGroup` creates ready resources in parallel, `StackSchedule`; several stacks
/// are created at once, each in its own engine thread) -> `vm-boot` -> `floating-ip` ->
/// `redirect-wait` -> `first-response`. Units share the backup site: their failovers' transfers
/// (image imports, volume restores before the stack) share its restore throughput
/// (`SharedRestores`, processor sharing), and their boots Nova's `max_concurrent_builds` per
/// compute host (`BuildSlots`; `vm-boot` includes the wait for a slot). One unit at a time
/// takes exactly the durations it takes alone. Not shared: Heat's engine, in-stack restores.
///
/// Rows: `recovery` per policy (responsive = its last VM; failed if a VM failed, with the first
/// failure), `recovery_steps` (policy steps, then each unit's steps named `<vm>/<step>` and its
/// stack resources `<vm>/stack:<resource>`), `recovery_vms` per VM and `recovery_groups` per
/// group and for the estate (priority 0).
extension RecoveryPipeline {
    /// The detector's verdict reached the orchestrator: the shared steps of every policy start.
    func notifiedInGroups(detectedAt: SimInstant, groups: RecoveryGroups) {
        let g = RecoveryGroupRun(disaster: disaster?.at ?? detectedAt, sim: context.sim, groups: groups)
        groupRun = g
        for p in engine.policies {
            let k = openFailover(p, detectedAt: detectedAt)
            g.pendingPolicies.insert(k)
            run(k, sharedSteps(p, outcome: k, groups: groups, in: g))
        }
        startGroupsIfReady(g, groups)
    }

    private func sharedSteps(_ p: WorkloadPolicy, outcome k: Int, groups: RecoveryGroups, in g: RecoveryGroupRun) -> [Step] {
        let t = config.timings
        let state = RecoveryState()
        g.states[k] = state
        var steps = startSteps(p, outcome: k, state: state)
        steps.append(keyPairsStep(state))
        steps.append(("shared-stack", { [unowned self] done in
            guard let shared = state.template?.sharedPart, !shared.resources.isEmpty else { done(.zero, nil); return }
            let schedule = t.stackSchedule(shared)
            self.outcomes[k].stackResources = self.stackResources(schedule, cutAt: Swift.min(schedule.total, t.stackTimeout))
            self.stackCreated(needing: schedule.total, done)
        }))
        steps.append(("vms", { [unowned self] done in self.policyReady(k, p, groups: groups, in: g, done: done) }))
        return steps
    }

    /// Policy `k`'s shared part is done: its VMs (each with its attached volumes of the policy;
    /// a volume attached to no VM of the policy is a unit of its own) join the plan.
    private func policyReady(_ k: Int, _ p: WorkloadPolicy, groups: RecoveryGroups, in g: RecoveryGroupRun,
                             done: @escaping (SimDuration, RecoveryFailure?) -> Void) {
        let units = makeUnits(k, p, groups)
        g.units += units
        let count = units.count
        g.pendingPolicies.remove(k)
        if count == 0 { done(.zero, nil) } else { g.open[k] = count; g.complete[k] = done }
        startGroupsIfReady(g, groups)
    }

    /// The units of policy `k`: each VM with its attached volumes of the policy, in member
    /// order; a volume attached to no VM of the policy is a unit of its own.
    private func makeUnits(_ k: Int, _ p: WorkloadPolicy, _ groups: RecoveryGroups) -> [RecoveryUnit] {
        let workload = engine.workload(of: p.tenant) ?? TenantWorkload(tenant: p.tenant)
        var units: [RecoveryUnit] = []
        var unitOf: [ResourceID: Int] = [:]
        for (i, m) in p.members.enumerated() where m.kind == .vm {
            units.append(RecoveryUnit(outcome: k, policy: p.name, vm: m.resource, priority: groups.priority(of: m.resource), members: [i]))
            unitOf[m.resource] = units.count - 1
        }
        for (i, m) in p.members.enumerated() where m.kind == .volume {
            if let vm = workload.volume(m.resource)?.attachedTo, let u = unitOf[vm] {
                units[u].members.append(i)
            } else {
                units.append(RecoveryUnit(outcome: k, policy: p.name, vm: m.resource, priority: groups.priority(of: m.resource), members: [i]))
            }
        }
        return units
    }

    /// Called by `finish`: a policy that ended before its VMs joined (no recovery point, shared
    /// stack timeout) no longer holds the plan back; each of its VMs gets a `failed` row with
    /// the policy's reason and counts as failed in its group and the estate.
    func policyEnded(_ k: Int) {
        guard let g = groupRun, g.pendingPolicies.remove(k) != nil, let groups = config.groups,
              let p = engine.policy(outcomes[k].policy) else { return }
        let failure = outcomes[k].failure ?? .noRecoveryPoint(policy: p.name)
        for var u in makeUnits(k, p, groups) {
            u.failure = failure
            u.ended = true
            emitUnit(u, g, status: "failed", reason: failure.description, rto: nil)
            g.units.append(u)
        }
        startGroupsIfReady(g, groups)
    }

    private func startGroupsIfReady(_ g: RecoveryGroupRun, _ groups: RecoveryGroups) {
        guard g.pendingPolicies.isEmpty, g.scheduler == nil, !ended else { return }
        let pending = g.units.indices.filter { !g.units[$0].ended }
        var s = RecoveryGroupScheduler(units: pending.map { ($0, g.units[$0].priority) }, concurrency: groups.concurrency)
        let first = s.start()
        g.scheduler = s
        if let c = s.current { openGroup(c, g) } else { emitEstate(g, status: "recovered") }
        for u in first { startUnit(u, g) }
    }

    private func openGroup(_ priority: Int, _ g: RecoveryGroupRun) {
        let now = context.sim.now
        var n = 0, failed = 0
        for u in g.units.indices where g.units[u].priority == priority {
            n += 1
            if g.units[u].ended { failed += 1 } else { g.units[u].queued = now }   // ended: its policy failed before
        }
        g.groupStats[priority] = (n, 0, failed, now, nil)
    }

    private func startUnit(_ u: Int, _ g: RecoveryGroupRun) {
        g.units[u].started = context.sim.now
        runUnit(u, unitSteps(u, g), in: g)
    }

    private func unitSteps(_ u: Int, _ g: RecoveryGroupRun) -> [Step] {
        let t = config.timings
        let unit = g.units[u]
        guard let p = engine.policy(unit.policy), let shared = g.states[unit.outcome] else { return [] }
        let workload = engine.workload(of: p.tenant) ?? TenantWorkload(tenant: p.tenant)
        let state = RecoveryState()
        state.execution = shared.execution
        var steps = unit.members.map { i in
            failoverStep(p, member: i, workload: workload, state: state, restores: g.restores) { g.units[u].rename = $0 }
        }
        steps.append(remapStep(p, workload: workload, state: state) { [unowned self] in
            let include = Set(unit.members.map { p.members[$0].resource })
            return self.engine.generator.template(for: workload, include: include).withoutShared
        })
        steps.append(("stack-create", { [unowned self] done in
            guard let tpl = state.template else { done(.zero, nil); return }
            let schedule = t.stackSchedule(tpl, restores: state.restores)
            g.units[u].stackResources = self.stackResources(schedule, cutAt: Swift.min(schedule.total, t.stackTimeout))
            self.stackCreated(needing: schedule.total, done)
        }))
        steps.append(("vm-boot", { [unowned self] done in
            // Nova builds the server once a build slot on a host is free (`BuildSlots`); the
            // unit's `recovered_s` is its boot's start
            let boot = self.bootTime(workload.vm(unit.vm).map { [$0] } ?? [])
            let begin: (Int) -> Void = { [unowned self] host in
                g.units[u].recovered = self.context.sim.now
                self.context.sim.schedule(after: boot) { _ in
                    if let next = g.builds.release(host: host) { g.bootWaiting.removeValue(forKey: next.id)?(next.host) }
                    done(.zero, nil)
                }
            }
            if let h = g.builds.request(u) { begin(h) } else { g.bootWaiting[u] = begin }
        }))
        steps.append(("floating-ip", { done in done(t.floatingIPRestore, nil) }))
        return steps + responseSteps(outcome: unit.outcome)
    }

    private func runUnit(_ u: Int, _ steps: [Step], from i: Int = 0, in g: RecoveryGroupRun) {
        guard !ended else { return }
        guard i < steps.count else { finishUnit(u, g); return }
        let start = context.sim.now
        g.units[u].current = (steps[i].name, start)
        steps[i].body { [weak self] wait, failure in
            guard let self else { return }
            self.context.sim.schedule(after: wait) { [weak self] _ in
                guard let self, !self.ended else { return }
                let name = g.units[u].rename ?? steps[i].name
                g.units[u].rename = nil
                g.units[u].steps.append(.init(name: name, start: start, end: self.context.sim.now))
                if let failure { g.units[u].failure = failure; self.finishUnit(u, g); return }
                self.runUnit(u, steps, from: i + 1, in: g)
            }
        }
    }

    private func finishUnit(_ u: Int, _ g: RecoveryGroupRun) {
        let now = context.sim.now
        g.units[u].ended = true
        g.units[u].current = nil
        if g.units[u].failure == nil { g.units[u].responsive = now } else { g.units[u].recovered = nil }
        let x = g.units[u]
        emitUnit(x, g, status: x.failure == nil ? "recovered" : "failed", reason: x.failure?.description ?? "", rto: x.responsive.map { $0 - g.disaster })
        var st = g.groupStats[x.priority] ?? (0, 0, 0, x.queued, nil)
        if x.failure == nil {
            st.recovered += 1
            st.responsive = Swift.max(st.responsive ?? now, now)
        } else {
            st.failed += 1
        }
        g.groupStats[x.priority] = st
        // the policy: its stack time is its last VM's, its failure its first VM's
        let k = x.outcome
        if let r = x.recovered { outcomes[k].recovered = Swift.max(outcomes[k].recovered ?? r, r) }
        if let f = x.failure, g.policyFailure[k] == nil { g.policyFailure[k] = f }
        if let n = g.open[k] {
            g.open[k] = n - 1
            if n == 1, let c = g.complete.removeValue(forKey: k) { c(.zero, g.policyFailure[k]) }
        }
        guard var s = g.scheduler else { return }
        let step = s.finished(u)
        g.scheduler = s
        if let ended = step.groupEnded {
            emitGroup(ended, g, status: nil)
            if let c = s.current { openGroup(c, g) } else { emitEstate(g, status: nil) }
        }
        for v in step.start { startUnit(v, g) }
    }

    private func emitUnit(_ x: RecoveryUnit, _ g: RecoveryGroupRun, status: String, reason: String, rto: SimDuration?) {
        func s(_ t: SimInstant?) -> RecordValue { .double(t?.seconds ?? .nan) }
        let wait: Double = { if let a = x.queued, let b = x.started { return (b - a).seconds }; return .nan }()
        context.recorder.emit(OrchestrationTables.recoveryVMs, [
            s(g.disaster), .text(x.policy), .text(x.vm.raw), .int(Int64(x.priority)), s(x.queued), s(x.started), s(x.recovered),
            s(x.responsive), .double(rto?.seconds ?? .nan), .double(wait), .text(status), .text(reason)])
        for st in x.steps + x.stackResources {
            context.recorder.emit(OrchestrationTables.recoverySteps, [
                s(g.disaster), .text(RecoveryOutcome.Kind.failover.rawValue), .text(x.policy), .text("\(x.vm.raw)/\(st.name)"),
                .double(st.start.seconds), .double(st.end.seconds), .double(st.duration.seconds)])
        }
    }

    /// The `recovery_groups` row of group `priority` (`status` nil: from its counts).
    private func emitGroup(_ priority: Int, _ g: RecoveryGroupRun, status: String?, now: SimInstant? = nil) {
        guard let st = g.groupStats[priority] else { return }
        let rto: Double
        if let now { rto = (now - g.disaster).seconds } else { rto = st.responsive.map { ($0 - g.disaster).seconds } ?? .nan }
        context.recorder.emit(OrchestrationTables.recoveryGroups, [
            .double(g.disaster.seconds), .int(Int64(priority)), .int(Int64(st.units)), .int(Int64(st.recovered)), .int(Int64(st.failed)),
            .double(st.start?.seconds ?? .nan), .double(st.responsive?.seconds ?? .nan), .double(rto),
            .text(status ?? (st.failed == 0 ? "recovered" : "failed"))])
    }

    /// The estate's row (priority 0): every VM; `rto_s` = its last VM responsive - disaster.
    private func emitEstate(_ g: RecoveryGroupRun, status: String?, now: SimInstant? = nil) {
        g.finished = true
        let recovered = g.units.filter { $0.ended && $0.failure == nil }
        let failed = g.units.filter { $0.ended && $0.failure != nil }.count
        let last = recovered.compactMap(\.responsive).max()
        let first = g.units.compactMap(\.queued).min()
        let rto: Double
        if let now { rto = (now - g.disaster).seconds } else { rto = last.map { ($0 - g.disaster).seconds } ?? .nan }
        context.recorder.emit(OrchestrationTables.recoveryGroups, [
            .double(g.disaster.seconds), .int(0), .int(Int64(g.units.count)), .int(Int64(recovered.count)), .int(Int64(failed)),
            .double(first?.seconds ?? .nan), .double(last?.seconds ?? .nan), .double(rto),
            .text(status ?? (failed == 0 ? "recovered" : "failed"))])
    }

    /// The run ends now: each VM not ended gets its `censored` row (`rto_s` = elapsed time),
    /// the group running and those not started theirs, and the estate its row.
    func censorGroups() {
        guard let g = groupRun, !g.finished else { return }
        let now = context.sim.now
        for u in g.units.indices where !g.units[u].ended {
            let x = g.units[u]
            let reason = x.current.map { "run ended during \($0.name)" } ?? (x.queued == nil ? "run ended before its group started" : "run ended while waiting for a slot")
            emitUnit(x, g, status: "censored", reason: reason, rto: now - g.disaster)
        }
        if let s = g.scheduler {
            for p in s.groups where p >= (s.current ?? Int.max) {
                if g.groupStats[p] == nil { g.groupStats[p] = (g.units.filter { $0.priority == p }.count, 0, 0, nil, nil) }
                emitGroup(p, g, status: "censored", now: now)
            }
        }
        emitEstate(g, status: "censored", now: now)
    }
}
