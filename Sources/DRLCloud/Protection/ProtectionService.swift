import DRLSimCore
import DRLNetwork

/// A handle on a running protection action (to abort it).
public struct ProtectionHandle: Hashable, Sendable {
    /// Internal id.
    public let id: Int
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
    public private(set) var records: [ProtectionRecord] = []
    /// Samples the DRBD volumes into the `replication` table (declared even without DRBD).
    public let replicationMonitor: ReplicationMonitor

    let context: RunContext
    var sim: Simulator { context.sim }
    let network: TransferNetwork
    var drbd: [(volume: String, device: DRBDDevice)] = []
    /// Fluid DRBD volumes (`wan.model: flow`; ProtectionService+Fluid.swift).
    var fluidDRBD: [String: FluidDRBD] = [:]
    var protected: [(resource: String, action: ProtectionActionKind)] = []
    /// Resources declared protected before their first action (`declareProtected`).
    var declared: [(resource: String, action: ProtectionActionKind)] = []
    var nextExecution = 0
    var nextHandle = 0

    final class Running {
        let id: Int
        let execution: Int
        let resource: String
        let action: ProtectionActionKind
        let start: SimInstant
        var overlapped = false
        var pipeline: ChunkPipeline?
        var timer: EventID?
        var channel: TransferChannel?
        var vm: VirtualMachine?
        /// The VM's speed before its snapshot slowed or stopped it (restored at the end, so an
        /// outer pause, e.g. the engine's consistent mode, is kept).
        var resumeSpeed: Double = 1
        /// The action's steps so far (name, start, end), emitted when it finishes.
        var steps: [(name: String, start: SimInstant, end: SimInstant)] = []
        var completion: ((ProtectionRecord) -> Void)?
        init(id: Int, execution: Int, resource: String, action: ProtectionActionKind, start: SimInstant) {
            self.id = id; self.execution = execution; self.resource = resource; self.action = action; self.start = start
        }
        var sentBytes: Int64 { pipeline?.deliveredBytes ?? channel?.deliveredBytes ?? 0 }
    }
    var running: [Running] = []
    var auxiliary: [ChunkPipeline] = []

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
    }

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

    /// The default action of a resource (orbit-software.md section 2): VMs get `vmAction`,
    /// DRBD volumes volume replication, other volumes volume snapshots.
    public func defaultAction(forVolume v: Volume) -> ProtectionActionKind {
        v.type == .drbd ? .volumeReplication : .volumeSnapshot
    }

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

    /// Starts `action` on `resource` (a VM or volume name on the primary) for `execution`.
    /// `completion` receives the action's record (also emitted to the `protection` table).
    /// Returns nil when the resource does not exist.
    @discardableResult
    public func protect(resource: String, action: ProtectionActionKind, execution: Int,
                        completion: ((ProtectionRecord) -> Void)? = nil) -> ProtectionHandle? {
        guard let container = vault.container(execution: execution) else { return nil }
        let vm = primary.vm(named: resource), volume = primary.volume(named: resource)
        switch action {
        case .vmSnapshot, .imageCopy: guard vm != nil else { return nil }
        case .volumeSnapshot, .volumeReplication: guard volume != nil else { return nil }
        }
        let r = Running(id: nextHandle, execution: execution, resource: resource, action: action, start: sim.now)
        nextHandle += 1
        r.completion = completion
        for other in running where other.resource == resource { other.overlapped = true }
        if !protected.contains(where: { $0.resource == resource }) { protected.append((resource, action)) }
        running.append(r)
        switch action {
        case .vmSnapshot: startVMSnapshot(r, vm: vm!, container: container)
        case .imageCopy: startImageCopy(r, vm: vm!, container: container)
        case .volumeSnapshot: startVolumeSnapshot(r, volume: volume!, container: container)
        case .volumeReplication: startReplicationMetadata(r, volume: volume!, container: container)
        }
        return ProtectionHandle(id: r.id)
    }

    /// Aborts one running action.
    public func abort(_ handle: ProtectionHandle) {
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
    public var runningActions: [(Int, String, ProtectionActionKind)] {
        running.map { ($0.execution, $0.resource, $0.action) }
    }

    /// Records a step of `r` from `start` lasting `duration`; returns its end.
    @discardableResult
    func step(_ r: Running, _ name: String, from start: SimInstant, _ duration: SimDuration) -> SimInstant {
        let end = start + duration
        r.steps.append((name, start, end))
        return end
    }

    func finish(_ r: Running, status: ProtectionStatus) {
        guard let i = running.firstIndex(where: { $0 === r }) else { return }
        running.remove(at: i)
        if status == .aborted || status == .censored {
            r.pipeline?.abort()
            r.channel?.abort()
            if let t = r.timer { sim.cancel(t) }
            r.vm?.setSpeed(r.resumeSpeed)
        }
        let st: ProtectionStatus = status == .completed && r.overlapped ? .overlapped : status
        let rec = ProtectionRecord(execution: r.execution, resource: r.resource, action: r.action, start: r.start,
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
