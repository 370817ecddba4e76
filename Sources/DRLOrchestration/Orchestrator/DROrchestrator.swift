import DRLSimCore
import DRLCloud

/// The DR-Orchestrator at the primary site: protect requests, the DR-Logic tick, the
/// protection countdown, the overlap policy and cleanup, over a `DREngine`
/// (orbit-software.md §2; paper §3, §4.3). The thin driver of `OrchestratorCore`.
///
/// Cleanup runs every `cleanupInterval` (keep the newest `keepNewest`, or `retention`); with a
/// `retention`, it also runs whenever an execution becomes ready (`RetentionPolicy`).
public final class DROrchestrator {
    /// Settings.
    public let config: OrchestratorConfig
    /// The engine it drives.
    public let engine: DREngine
    /// The DR-Logic driver.
    public let driver: any LogicDriver
    /// Where shaping drivers set class rates (nil: no shaping).
    public var shaper: TrafficShaping?
    /// Decisions taken by the driver that led to a protection: (instant, policy, reason).
    public private(set) var triggers: [(at: SimInstant, policy: String, reason: String)] = []
    /// Drivers of the policies with their own `PolicySchedule.logic`, by policy name.
    public private(set) var policyDrivers: [String: any LogicDriver] = [:]
    private var core: OrchestratorCore
    private let context: RunContext
    private var tickEvent: EventID?
    private var cleanupEvent: EventID?
    private var stopped = false

    /// An orchestrator; the driver comes from `config.logic` through `drivers` unless given.
    public init(context: RunContext, engine: DREngine, config: OrchestratorConfig = OrchestratorConfig(),
                driver: (any LogicDriver)? = nil, drivers: LogicDriverRegistry = .standard) throws(LogicDriverError) {
        self.context = context; self.engine = engine; self.config = config
        if let driver { self.driver = driver } else { self.driver = try drivers.make(config.logic) }
        core = OrchestratorCore(interval: config.protectionInterval, overlap: config.overlap)
        for name in config.perPolicy.keys.sorted() {
            if let l = config.perPolicy[name]?.logic { policyDrivers[name] = try drivers.make(l) }
        }
        engine.onExecutionFinished = { [weak self] policy, id in self?.executionFinished(policy, id) }
    }

    /// Starts the DR-Logic tick and the cleanup timer (first tick one tick from now).
    public func start() {
        let sim = context.sim
        tickEvent = sim.schedule(after: config.tick) { [weak self] _ in self?.onTick() }
        cleanupEvent = sim.schedule(after: config.cleanupInterval) { [weak self] _ in self?.onCleanup() }
        context.recorder.declare(OrchestrationTables.shaping, columns: OrchestrationTables.shapingColumns)
    }

    /// Stops protecting: the primary site failed. Running executions are aborted.
    public func primaryFailed(reason: String) {
        guard !stopped else { return }
        stopped = true
        if let e = tickEvent { context.sim.cancel(e) }
        if let e = cleanupEvent { context.sim.cancel(e) }
        engine.stop(reason: reason)
    }

    /// `nova protect-vm`: adds `vm` to `policy` (default `<tenant>_default`) with `action`
    /// (default the administrator's VM action). The VM must be active.
    public func protect(vm id: ResourceID, tenant: String, policy: String? = nil, action: ProtectionActionName? = nil) throws(ProtectError) {
        guard let vm = engine.workload(of: tenant)?.vm(id) else { throw .unknownResource(id) }
        guard vm.state == .active else { throw .invalidState(id, state: vm.state.rawValue) }
        let a = action ?? config.vmAction
        guard engine.registry.action(named: a)?.kind == .vm else { throw .invalidAction(a.rawValue) }
        add(.init(resource: id, kind: .vm, action: a), tenant: tenant, policy: policy)
    }

    /// `nova protect-volume`: adds `volume` with volume replication if it is a DRBD volume,
    /// volume snapshot otherwise (or `action`). The volume must be available or in use.
    public func protect(volume id: ResourceID, tenant: String, policy: String? = nil, action: ProtectionActionName? = nil) throws(ProtectError) {
        guard let vol = engine.workload(of: tenant)?.volume(id) else { throw .unknownResource(id) }
        guard vol.state == .available || vol.state == .inUse else { throw .invalidState(id, state: vol.state.rawValue) }
        let a = action ?? ProtectionActionName.defaultAction(for: vol.type)
        guard engine.registry.action(named: a)?.kind == .volume else { throw .invalidAction(a.rawValue) }
        add(.init(resource: id, kind: .volume, action: a), tenant: tenant, policy: policy)
    }

    /// Protects every VM and volume of the tenant's workload with the default actions.
    public func protectAll(tenant: String, policy: String? = nil) throws(ProtectError) {
        guard let w = engine.workload(of: tenant) else { return }
        for vm in w.vms { try protect(vm: vm.id, tenant: tenant, policy: policy) }
        for v in w.volumes { try protect(volume: v.id, tenant: tenant, policy: policy) }
    }

    private func add(_ m: WorkloadPolicy.Member, tenant: String, policy: String?) {
        let name = policy ?? "\(tenant)_default"
        var p = engine.policy(name) ?? WorkloadPolicy(name: name, tenant: tenant)
        p.members.removeAll { $0.resource == m.resource }
        p.members.append(m)
        engine.setPolicy(p)
        enableSchedule(name)
    }

    /// Adds a whole policy (consistent mode, custom actions) and enables its schedule.
    public func add(policy: WorkloadPolicy) {
        engine.setPolicy(policy)
        enableSchedule(policy.name)
    }

    /// Starts `name`'s countdown: its own interval (`config.perPolicy`) or the orchestrator's.
    private func enableSchedule(_ name: String) {
        let interval = config.perPolicy[name]?.interval
        core.enable(name, firstDue: context.sim.now + (config.firstProtectionAfter ?? interval ?? config.protectionInterval),
                    interval: interval)
    }

    /// The API state of `resource`.
    public func state(of resource: ResourceID) -> ProtectionState {
        guard let p = engine.policies.first(where: { $0.members.contains { $0.resource == resource } }) else { return .notEnabled }
        if let r = engine.newestReady(p.name)?.record(of: resource), r.pointInTime != nil { return .protected }
        return .protectionScheduled
    }

    /// What the driver sees for `policy` now.
    public func logicInput(_ policy: WorkloadPolicy) -> LogicInput {
        let now = context.sim.now
        let execs = engine.executions(of: policy.name)
        let newest = engine.newestReady(policy.name)
        // the data paths' recovery points (the one computation) of the members stored in
        // containers; a replicated volume's flows continuously, so it does not hold the policy back
        let points = policy.members.compactMap { m -> SimInstant? in
            m.action == .volumeReplication ? nil : engine.dataPaths.recoveryPoint(of: m.resource)?.recoveryPoint
        }
        let rp = points.min() ?? newest.map(\.start)
        let dirty = policy.members.reduce(Int64(0)) { acc, m in
            acc + engine.dataPaths.bytesWritten(to: m.resource, by: now) - engine.dataPaths.bytesWritten(to: m.resource, by: rp ?? .zero)
        }
        let recent = execs.filter { $0.status == .ready }.suffix(config.recentWindow).map { e in
            LogicInput.ExecutionSample(bytes: e.actions.reduce(0) { $0 + $1.bytes }, duration: (e.end ?? now) - e.start)
        }
        return LogicInput(now: now, tick: config.tick, policy: policy.name, lastStart: execs.last?.start, recoveryPoint: rp,
                          dirtyBytes: dirty, recent: Array(recent), running: engine.runningCount(policy.name))
    }

    private func onTick() {
        let sim = context.sim
        tickEvent = sim.schedule(after: config.tick) { [weak self] _ in self?.onTick() }
        if let s = shaper {
            let classes: [String] = (driver as? BandwidthSharesDriver)?.classes ?? []
            let input = ShapingInput(now: sim.now, capacity: s.shapedCapacity, classes: s.measure(classes: classes, now: sim.now))
            for r in driver.shape(input) {
                s.setRate(r)
                context.recorder.emit(OrchestrationTables.shaping, [.double(sim.now.seconds), .text(r.trafficClass), .double(r.rate), .double(r.ceil)])
            }
        }
        for p in engine.policies {
            let d = (policyDrivers[p.name] ?? driver).decide(logicInput(p))
            let cmds = core.tick(p.name, now: sim.now, running: engine.runningCount(p.name), trigger: d.protect)
            if d.protect, !cmds.isEmpty { triggers.append((sim.now, p.name, d.reason)) }
            apply(cmds)
        }
    }

    private func executionFinished(_ policy: String, _ id: Int) {
        guard !stopped else { return }
        // Retention (Karbor: when a checkpoint is complete): a new recovery point may expire older ones.
        if let r = config.retention, engine.executions[id].status == .ready { engine.cleanup(retention: r) }
        apply(core.finished(policy, now: context.sim.now, running: engine.runningCount(policy)))
    }

    private func apply(_ cmds: [OrchestratorCore.Command]) {
        for c in cmds {
            switch c {
            case .start(let p, let due, let queued):
                if let id = engine.execute(policy: p, due: due), queued { engine.recordQueued(execution: id, due: due) }
            case .skip(let p, let due):
                engine.recordSkipped(policy: p, due: due)
            case .enqueue:
                break
            }
        }
    }

    private func onCleanup() {
        cleanupEvent = context.sim.schedule(after: config.cleanupInterval) { [weak self] _ in self?.onCleanup() }
        engine.cleanup(retention: config.cleanupRetention)
    }
}
