import DRLSimCore
import DRLNetwork

/// A handle on a running protection action (to abort it).
public struct ProtectionHandle: Hashable, Sendable {
    /// The id (unique within the data paths that issued it).
    public let id: Int
    /// Wraps an id.
    public init(id: Int) { self.id = id }
}

/// The data side of the DR engine (orbit-software.md section 3): runs the protect actions of a
/// workload policy execution between the primary site and the backup's Swift vault, tracks
/// what is recoverable, and emits `protection` and `rpo` rows.
///
/// The orchestration layer drives it:
/// 1. `beginExecution(policy:)` creates the execution container (processing);
/// 2. `protect(...)` per resource+action, each with a completion callback;
/// 3. `finishExecution(_:)` uploads `metadata` and `template.yaml`, then marks the container
///    ready (only then is it a recovery point);
/// 4. on a disaster, `emitRecoveryPoints(disaster:)` at the disaster instant, then `abortAll()`.
public final class ProtectionService {
    /// Configuration.
    public let config: ProtectionConfig
    /// The primary site.
    public let primary: Site
    /// The backup site.
    public let backup: Site
    /// The backup's Swift store.
    public let vault: SwiftStore
    /// All finished (completed/aborted) action records in completion order.
    @exclusivity(unchecked) public private(set) var records: [ProtectionRecord] = []
    /// Samples the DRBD volumes into the `replication` table (declared even without DRBD).
    public let replicationMonitor: ReplicationMonitor

    let context: RunContext
    var sim: Simulator { context.sim }
    let network: TransferNetwork
    @exclusivity(unchecked) var drbd: [(volume: String, device: DRBDDevice)] = []
    /// Fluid DRBD volumes (`wan.model: flow`; ProtectionService+Fluid.swift).
    @exclusivity(unchecked) var fluidDRBD: [String: FluidDRBD] = [:]
    @exclusivity(unchecked) var protected: [(resource: String, action: ProtectionActionName, kind: ResourceKind)] = []
    /// Resources declared protected before their first action (`declareProtected`).
    @exclusivity(unchecked) var declared: [(resource: String, action: ProtectionActionName, kind: ResourceKind)] = []
    /// Positions in `protected` and `declared` by resource (their first entry; the lists only grow).
    @exclusivity(unchecked) var protectedIndex: [String: Int] = [:]
    @exclusivity(unchecked) var declaredIndex: [String: Int] = [:]
    @exclusivity(unchecked) var nextExecution = 0
    @exclusivity(unchecked) var nextHandle = 0

    @exclusivity(unchecked) var running: [ProtectionRun] = []
    /// Failback syncs running, by handle id.
    @exclusivity(unchecked) var syncChannels: [Int: TransferChannel] = [:]
    /// The data paths by action name (the paper's four by default; `register` adds more).
    @exclusivity(unchecked) public private(set) var dataPaths: [ProtectionActionName: any DataPath] = [:]
    @exclusivity(unchecked) var auxiliary: [ChunkPipeline] = []

    /// A service for `primary` -> `backup` over `network`; DRBD volumes are sampled into
    /// `replication.csv` every `replicationBin` (default 10 s, the traffic bin's default).
    public init(context: RunContext, primary: Site, backup: Site, vault: SwiftStore, network: TransferNetwork,
                config: ProtectionConfig = ProtectionConfig(), replicationBin: SimDuration = .seconds(10 as Int64)) {
        self.context = context
        self.primary = primary
        self.backup = backup
        self.vault = vault
        self.network = network
        self.config = config
        context.recorder.declare("protection", columns: ProtectionRecord.columns)
        context.recorder.declare("rpo", columns: RecoveryPointRecord.columns)
        context.recorder.declare("protection_steps", columns: ProtectionStepRecord.columns)
        replicationMonitor = ReplicationMonitor(context: context, bin: replicationBin)
        for d in StandardDataPath.all { register(d) }
    }

    /// Registers `path` under its action name (replacing an earlier one of that name).
    public func register(_ path: any DataPath) { dataPaths[path.action] = path }

    // MARK: Setup

    /// Makes `volume` a DRBD volume replicated to the backup site; returns its device.
    @discardableResult
    public func attachDRBD(to volume: Volume, config drbdConfig: DRBDConfig = DRBDConfig()) -> DRBDDevice {
        let d = DRBDDevice(volume: volume, sim: sim, network: network, source: primary.name, destination: backup.name,
                           config: drbdConfig, localWriteRate: primary.config.volumeDisk.writeBytesPerSecond,
                           peerWriteRate: backup.config.volumeDisk.writeBytesPerSecond)
        primary.setDevice(d, for: volume)
        drbd.append((volume.name, d))
        replicationMonitor.add(resource: volume.name, device: d)
        return d
    }

    /// Bytes the backup lacks over every DRBD volume (`DRBDDevice.backlogBytes`).
    public var drbdBacklogBytes: Int64 { drbd.reduce(0) { $0 + $1.device.backlogBytes } + fluidBacklogBytes }

    /// The DRBD device of volume `name`, if any.
    public func drbdDevice(for name: String) -> DRBDDevice? { drbd.first { $0.volume == name }?.device }

    // MARK: Executions

    /// Creates the container of a new execution (marked processing); returns its index.
    public func beginExecution(policy: String) -> Int {
        let e = nextExecution
        nextExecution += 1
        _ = vault.createContainer(tenant: config.tenant, policy: policy, execution: e)
        return e
    }

    /// Uploads the execution's `metadata` and `template.yaml`, then marks its container ready
    /// and calls `completion` with the bytes sent (nil container or disaster: not called).
    public func finishExecution(_ execution: Int, completion: ((Int64) -> Void)? = nil) {
        guard let c = vault.container(execution: execution) else { return }
        let resources = Swift.max(1, Set(c.items.map(\.resource)).count)
        let meta = config.metadataBytes, tmpl = config.templateBytesPerResource * Int64(resources)
        upload(objects: [("metadata", meta), ("template.yaml", tmpl)], into: c, trafficClass: TrafficClassName.metadata) {
            [self] in
            self.vault.markReady(c)
            completion?(meta + tmpl)
        }
    }

    /// Applies the cleanup retention (keep the newest `keep` ready containers).
    @discardableResult
    public func cleanup(keep: Int = 1) -> [String] { vault.applyRetention(keep: keep) }

    /// Deletes the container of `execution` (retention decided by the orchestration layer);
    /// returns false when there is none or it was already deleted.
    @discardableResult
    public func deleteExecution(_ execution: Int) -> Bool {
        guard let c = vault.container(execution: execution) else { return false }
        return vault.delete(c)
    }

    // MARK: Protect

    /// Starts `action` on `resource` (a VM or volume name on the primary) for `execution`
    /// through its registered `DataPath`. `completion` receives the action's record (also
    /// emitted to the `protection` table). Returns nil when the resource (of the data path's
    /// kind), the execution or the data path does not exist.
    @discardableResult
    public func protect(resource: String, action: ProtectionActionName, execution: Int,
                        completion: ((ProtectionRecord) -> Void)? = nil) -> ProtectionHandle? {
        guard let container = vault.container(execution: execution), let path = dataPaths[action] else { return nil }
        switch path.resourceKind {
        case .vm: guard primary.vm(named: resource) != nil else { return nil }
        case .volume: guard primary.volume(named: resource) != nil else { return nil }
        }
        let r = ProtectionRun(id: nextHandle, execution: execution, resource: resource, action: action, kind: path.resourceKind,
                              start: sim.now)
        nextHandle += 1
        r.completion = completion
        for other in running where other.resource == resource { other.overlapped = true }
        if protectedIndex[resource] == nil {
            protectedIndex[resource] = protected.count
            protected.append((resource, action, path.resourceKind))
        }
        running.append(r)
        path.start(r, container: container, service: self)
        return ProtectionHandle(id: r.id)
    }

    /// Aborts one running action or failback sync.
    public func abort(_ handle: ProtectionHandle) {
        if let c = syncChannels.removeValue(forKey: handle.id) { c.abort() }
        guard let r = running.first(where: { $0.id == handle.id }) else { return }
        finish(r, status: .aborted)
    }

    /// Aborts every running action and halts DRBD replication (the disaster cut the WAN;
    /// paper §6.3: "blocking any ongoing transfer").
    public func abortAll() {
        for r in running { finish(r, status: .aborted) }
        for p in auxiliary { p.abort() }
        auxiliary.removeAll()
        for d in drbd { d.device.halt() }
        haltFluid()
    }

    /// Actions still running, as (execution, resource, action).
    public var runningActions: [(Int, String, ProtectionActionName)] {
        running.map { ($0.execution, $0.resource, $0.action) }
    }

    /// Records a step of `r` from `start` lasting `duration` (a `protection_steps` row once
    /// the action finishes); returns its end.
    @discardableResult
    public func step(_ r: ProtectionRun, _ name: String, from start: SimInstant, _ duration: SimDuration) -> SimInstant {
        let end = start + duration
        r.steps.append((name, start, end))
        return end
    }

    /// Ends `r` with `status` (a data path calls it with `.completed` once the action's state is
    /// stored; aborts and censoring use the others): emits its `protection` row and its steps,
    /// then calls its completion.
    public func finish(_ r: ProtectionRun, status: ProtectionStatus) {
        guard let i = running.firstIndex(where: { $0 === r }) else { return }
        running.remove(at: i)
        if status == .aborted || status == .censored {
            r.pipeline?.abort()
            r.channel?.abort()
            if let t = r.timer { sim.cancel(t) }
            r.vm?.setSpeed(r.resumeSpeed)
        }
        let st: ProtectionStatus = status == .completed && r.overlapped ? .overlapped : status
        let rec = ProtectionRecord(execution: r.execution, resource: r.resource, action: r.action, kind: r.kind, start: r.start,
                                   end: sim.now, bytes: r.sentBytes, status: st)
        records.append(rec)
        context.recorder.emit("protection", rec.row)
        let now = sim.now
        for st in r.steps where st.start < now || (st.start == now && st.end == now) {
            let step = ProtectionStepRecord(execution: r.execution, resource: r.resource, action: r.action, step: st.name,
                                            start: st.start, end: Swift.min(st.end, now))
            context.recorder.emit("protection_steps", step.row)
        }
        r.completion?(rec)
    }
}
