import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration

/// Protection data paths over a `FluidLink`: an analytic stand-in for DRLCloud + DRLNetwork,
/// for the orchestration tests only (not a validated model; no scenario can select it).
///
/// Time is modelled honestly but coarsely: a job first prepares its data locally (VM snapshot
/// or volume clone at a rate), then uploads its bytes over the fluid WAN, where concurrent jobs
/// share the capacity. Image copies are sent once per checksum by default (`imageCopyOnce`, a
/// simplification of this stand-in: Dragon re-sends the image at every action, which DRLCloud
/// models; Docs/openstack-model.md). DRBD
/// replicas trail the primary by a fixed lag (protocol A below capacity: send buffer drain plus
/// RTT, drbd-and-tc.md) and freeze when the WAN is blocked. Writes follow `WriteProfile`s.
/// Recovery points follow the same rules as DRLCloud's: the state captured in the newest ready
/// (sealed) execution, or the replica's for volume replication. The `protection` rows are the
/// engine's records (`recordRows(of:)`), as a stand-in has no steps of its own.
public final class FluidDataPaths: ProtectionDataPaths {
    /// Settings.
    public struct Config: Sendable, Hashable {
        /// VM snapshot creation rate on the primary, bytes/s: 200 MB/s (SSD, estimate).
        public var snapshotCreateRate: Double = 200e6
        /// Volume clone rate on the primary, bytes/s: 400 MB/s (LVM copy on SSD, estimate).
        public var cloneRate: Double = 400e6
        /// Compression ratio of volume backups (1 = off).
        public var compressionRatio: Double = 1
        /// Volume snapshots send only the bytes written since the previous one (cinder-backup
        /// incremental); the first is full.
        public var incrementalVolumeSnapshots = false
        /// Store each image checksum once (false: re-send at every execution).
        public var imageCopyOnce = true
        /// Fixed cost of a metadata-only step (Swift PUT, DRBD status): 0.1 s.
        public var metadataLatency: SimDuration = .milliseconds(100)
        /// DRBD replica lag behind the primary: 50 ms.
        public var replicationLag: SimDuration = .milliseconds(50)
        /// Defaults.
        public init() {}
    }
    /// The primary -> backup link.
    public let link: FluidLink
    /// The backup -> primary link (failback).
    public let reverse: FluidLink
    /// Settings.
    public var config: Config
    private let context: RunContext
    private var sim: Simulator { context.sim }
    private var writes: [ResourceID: WriteProfile] = [:]
    private var storedChecksums: Set<String> = []
    private var lastPoint: [ResourceID: SimInstant] = [:]
    private var jobs: [Int: (flow: Int?, prep: EventID?, reverse: Bool, completion: (DataPathOutcome) -> Void)] = [:]
    private var nextHandle = 0
    private var blockedAt: SimInstant?
    private var containers: [String] = []
    private var captured: [Int: [ResourceID: SimInstant]] = [:]
    private var ready: Set<Int> = []
    private var declared: [(resource: ResourceID, action: ProtectionActionName, kind: ResourceKind, vm: ResourceID?)] = []
    private weak var rowsEngine: DREngine?
    /// Containers deleted by cleanup, in order.
    public private(set) var deletedContainers: [String] = []
    /// Pause/resume calls (vm, paused, instant), in order.
    public private(set) var pauseLog: [(vm: ResourceID, paused: Bool, at: SimInstant)] = []

    /// Data paths over links of `capacity` bits/s each way.
    public init(context: RunContext, capacity: Double, config: Config = Config()) {
        self.context = context; self.config = config
        link = FluidLink(sim: context.sim, capacity: capacity)
        reverse = FluidLink(sim: context.sim, capacity: capacity)
        context.recorder.declare(OrchestrationTables.protection, columns: OrchestrationTables.protectionColumns)
        context.recorder.declare(OrchestrationTables.rpo, columns: OrchestrationTables.rpoColumns)
    }

    /// Sets the write profile of `resource`.
    public func setWrites(_ resource: ResourceID, _ profile: WriteProfile) { writes[resource] = profile }

    /// Writes `engine`'s action records as `protection` rows (a stand-in has no steps of its
    /// own): one row per finished action, `censored` rows for those running at `endRun`.
    public func recordRows(of engine: DREngine) {
        rowsEngine = engine
        let recorder = context.recorder
        engine.onActionFinished = { ex, r in
            recorder.emit(OrchestrationTables.protection, [
                .int(Int64(ex.index)), .text(r.resource.raw), .text(r.kind.rawValue), .text(r.action.rawValue),
                .double(r.start.seconds), .double((r.end ?? r.start).seconds), .double(((r.end ?? r.start) - r.start).seconds),
                .int(r.bytes), .text(r.status)])
        }
    }

    /// Blocks the WAN (both ways): uploads fail, replicas freeze.
    public func blockWAN() {
        if blockedAt == nil { blockedAt = sim.now }
        for id in jobs.keys.sorted() { if let p = jobs[id]?.prep { sim.cancel(p); fail(id, "wan blocked") } }
        link.block(); reverse.block()
    }

    /// Names the container `<tenant>_<policy>_<t>_<execution>`.
    public func beginExecution(tenant: String, policy: String) -> (execution: Int, container: String) {
        let e = containers.count
        containers.append("\(tenant)_\(policy)_\(sim.now.nanoseconds / 1_000_000_000)_\(e)")
        return (e, containers[e])
    }

    /// Starts `job`: local preparation (snapshot creation, clone, metadata latency), then the upload.
    public func start(_ job: DataPathJob, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle {
        let now = sim.now
        var bytes = job.bytes
        var prep = SimDuration.zero
        switch job.action {
        case .vmSnapshot:
            prep = .transmission(bytes: job.bytes, bitsPerSecond: config.snapshotCreateRate * 8)
        case .volumeSnapshot:
            prep = .transmission(bytes: job.bytes, bitsPerSecond: config.cloneRate * 8)
            if config.incrementalVolumeSnapshots, let last = lastPoint[job.resource] {
                bytes = min(job.bytes, bytesWritten(to: job.resource, by: now) - bytesWritten(to: job.resource, by: last))
            }
            bytes = Int64((Double(bytes) / config.compressionRatio).rounded())
        case .imageCopy:
            if config.imageCopyOnce, let c = job.checksum, storedChecksums.contains(c) { bytes = 0 }
        case .volumeReplication:
            prep = config.metadataLatency
            bytes = 0
        default:
            break
        }
        let point = job.action == .volumeReplication ? now - config.replicationLag : now
        return run(bytes: bytes, prep: prep, trafficClass: job.trafficClass, reverse: false) { [weak self] failure, sent in
            guard let self else { return }
            if let failure { completion(.aborted(bytes: sent, reason: failure)); return }
            if job.action == .imageCopy, let c = job.checksum { self.storedChecksums.insert(c) }
            if job.action == .volumeSnapshot { self.lastPoint[job.resource] = point }
            self.captured[job.execution, default: [:]][job.resource] = point
            completion(.completed(bytes: sent, pointInTime: point))
        }
    }

    /// Uploads the metadata (`bytes`) after the metadata latency; the execution is then ready.
    public func seal(execution: Int, bytes: Int64, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle {
        run(bytes: bytes, prep: config.metadataLatency, trafficClass: TrafficClassName.metadata, reverse: false) { [weak self] failure, sent in
            guard let self else { return }
            if let failure { completion(.aborted(bytes: sent, reason: failure)); return }
            self.ready.insert(execution)
            completion(.completed(bytes: sent, pointInTime: self.sim.now))
        }
    }

    /// Sends `bytes` over the reverse link.
    public func syncBack(bytes: Int64, trafficClass: String, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle {
        run(bytes: bytes, prep: .zero, trafficClass: trafficClass, reverse: true) { [weak self] failure, sent in
            guard let self else { return }
            if let failure { completion(.aborted(bytes: sent, reason: failure)); return }
            completion(.completed(bytes: sent, pointInTime: self.sim.now))
        }
    }

    private func run(bytes: Int64, prep: SimDuration, trafficClass: String, reverse rev: Bool,
                     done: @escaping (_ failure: String?, _ sent: Int64) -> Void) -> ProtectionHandle {
        let h = nextHandle; nextHandle += 1
        jobs[h] = (nil, nil, rev, { outcome in if case .aborted(let b, let reason) = outcome { done(reason, b) } })
        let upload: () -> Void = { [weak self] in
            guard let self else { return }
            let l = rev ? self.reverse : self.link
            let f = l.send(bytes, trafficClass: trafficClass) { [weak self] ok, sent in
                guard let self, self.jobs.removeValue(forKey: h) != nil else { return }
                done(ok ? nil : "wan blocked", sent)
            }
            if self.jobs[h] != nil { self.jobs[h]?.flow = f }
        }
        if prep > .zero {
            let e = sim.schedule(after: prep) { [weak self] _ in self?.jobs[h]?.prep = nil; upload() }
            jobs[h]?.prep = e
        } else {
            upload()
        }
        return ProtectionHandle(id: h)
    }

    private func fail(_ h: Int, _ reason: String) {
        guard let j = jobs.removeValue(forKey: h) else { return }
        j.completion(.aborted(bytes: 0, reason: reason))
    }

    /// Aborts a running job.
    public func abort(_ handle: ProtectionHandle) {
        guard let j = jobs[handle.id] else { return }
        if let p = j.prep { sim.cancel(p); fail(handle.id, "aborted") }
        else if let f = j.flow { (j.reverse ? reverse : link).abort(f) }
    }

    /// Records the deletion of the execution's container (cleanup).
    public func deleteContainer(execution: Int) {
        deletedContainers.append(containers[execution])
        ready.remove(execution)
    }

    /// Remembers `resource` for the `rpo` rows.
    public func declareProtected(_ resource: ResourceID, action: ProtectionActionName, kind: ResourceKind, vm: ResourceID?) {
        if !declared.contains(where: { $0.resource == resource }) { declared.append((resource, action, kind, vm)) }
    }

    /// The replica's state for volume replication (consistent, `replicationLag` behind, frozen
    /// when the WAN was blocked), else the capture of the newest ready execution.
    public func recoveryPoint(of resource: ResourceID) -> RecoveryPointRecord? {
        guard let d = declared.first(where: { $0.resource == resource }) else { return nil }
        let now = sim.now
        let written = bytesWritten(to: resource, by: now)
        var point: SimInstant? = nil
        if d.action == .volumeReplication {
            let frozen = blockedAt.map { min($0, now) } ?? now
            point = max(.zero, frozen - config.replicationLag)
        } else if let e = ready.filter({ captured[$0]?[resource] != nil }).max() {
            point = captured[e]?[resource]
        }
        let lost = point.map { max(0, written - bytesWritten(to: resource, by: $0)) } ?? written
        var r = RecoveryPointRecord(resource: resource.raw, action: d.action, kind: d.kind, disaster: now, recoveryPoint: point,
                                    lostBytes: lost)
        if d.action == .volumeReplication { r.replicaConsistent = true }
        return r
    }

    /// Emits one `rpo` row per declared resource (declaration order) and returns them.
    public func recordRecoveryPoints() -> [RecoveryPointRecord] {
        let vmOf = Dictionary(declared.map { ($0.resource.raw, $0.vm?.raw ?? $0.resource.raw) }, uniquingKeysWith: { a, _ in a })
        let rows = RecoveryPointRecord.withVMRPO(declared.compactMap { recoveryPoint(of: $0.resource) }) { vmOf[$0] }
        for r in rows { context.recorder.emit(OrchestrationTables.rpo, r.row) }
        return rows
    }

    /// Cumulative bytes written to `resource` up to `instant`.
    public func bytesWritten(to resource: ResourceID, by instant: SimInstant) -> Int64 {
        writes[resource]?.bytesWritten(by: instant) ?? 0
    }

    /// Pauses or resumes a VM (consistent mode).
    public func setPaused(_ vm: ResourceID, _ paused: Bool) { pauseLog.append((vm, paused, sim.now)) }

    /// The run ends: every action of `recordRows(of:)`'s engine still running and started
    /// before now gets a `censored` row ending now.
    public func endRun() {
        guard let engine = rowsEngine else { return }
        let now = sim.now
        for ex in engine.executions where ex.status == .processing {
            for r in ex.actions where r.status == "running" && r.start < now {
                context.recorder.emit(OrchestrationTables.protection, [
                    .int(Int64(ex.index)), .text(r.resource.raw), .text(r.kind.rawValue), .text(r.action.rawValue),
                    .double(r.start.seconds), .double(now.seconds), .double((now - r.start).seconds), .int(r.bytes),
                    .text("censored")])
            }
        }
    }
}

extension FluidDataPaths: DisasterTargets {
    /// Blocks the WAN when the disaster does, and fails running jobs when every host goes off.
    public func apply(_ event: DisasterEvent) {
        if event.spec.blocksWAN || event.spec.hostsOff == .all { blockWAN() }
    }
    /// Unblocks both directions (the primary operates again).
    public func restore(at instant: SimInstant) { link.unblock(); reverse.unblock() }
}
