import DRLSimCore
import DRLNetwork
import DRLCloud

/// `ProtectionDataPaths` over DRLCloud's `ProtectionService`: the real data paths (chunked
/// uploads over the WAN transport, DRBD replication, the Swift vault, recovery points).
///
/// Resource IDs are the DRLCloud resource names. Each engine container maps to one DRLCloud
/// execution (`beginExecution(policy:)` at its first job); the metadata job is
/// `finishExecution`, which marks the DRLCloud container ready. DRLCloud emits the
/// `protection` and `rpo` rows itself, so assemble the engine with `emitRows = false` and the
/// recovery pipeline with `emitRPO = false`. Failback syncs open a channel backup -> primary on
/// the `TransferNetwork`.
public final class CloudDataPaths: ProtectionDataPaths {
    /// The DRLCloud service.
    public let service: ProtectionService
    /// The transfer network (for failback syncs).
    public let network: TransferNetwork
    /// Emit DRLCloud's `rpo` rows at the disaster (before its actions are aborted).
    public var emitRecoveryPoints = true
    /// Send buffer of a failback sync channel: 4 MiB (Linux tcp_wmem max, drbd-and-tc.md).
    public var syncSendBuffer: Int64 = 4 << 20
    private let sim: Simulator
    private var executionOf: [String: Int] = [:]
    private var running: [Int: ProtectionHandle] = [:]
    private var channels: [Int: TransferChannel] = [:]
    private var nextHandle = 0

    /// Adapts `service`; `network` carries failback syncs.
    public init(sim: Simulator, service: ProtectionService, network: TransferNetwork) {
        self.sim = sim; self.service = service; self.network = network
    }

    /// Declares every member of `policies` with a DRLCloud action protected from now on
    /// (`ProtectionService.declareProtected`): a disaster before the first protection still
    /// gives each an `rpo` row (recovery point -1).
    public func declareProtected(_ policies: [WorkloadPolicy]) {
        for p in policies {
            for m in p.members {
                if let a = ProtectionActionKind(rawValue: m.action) { service.declareProtected(resource: m.resource.raw, action: a) }
            }
        }
    }

    private func execution(for job: DataPathJob) -> Int {
        if let e = executionOf[job.container] { return e }
        let e = service.beginExecution(policy: job.policy.isEmpty ? job.container : job.policy)
        executionOf[job.container] = e
        return e
    }

    private static func kind(_ k: DataPathKind) -> ProtectionActionKind? {
        switch k {
        case .vmSnapshot: return .vmSnapshot
        case .imageCopy: return .imageCopy
        case .volumeSnapshot: return .volumeSnapshot
        case .volumeReplication: return .volumeReplication
        case .metadata, .failbackSync: return nil
        }
    }

    /// Starts `job`; `completion` runs once when it ends.
    public func start(_ job: DataPathJob, completion: @escaping (DataPathOutcome) -> Void) -> DataPathHandle {
        let h = nextHandle; nextHandle += 1
        switch job.kind {
        case .metadata:
            let e = execution(for: job)
            service.finishExecution(e) { [sim] bytes in completion(.completed(bytes: bytes, pointInTime: sim.now)) }
        case .failbackSync:
            sync(job, handle: h, completion: completion)
        default:
            let e = execution(for: job)
            let name = job.resource.raw
            let handle = service.protect(resource: name, action: Self.kind(job.kind)!, execution: e) { [weak self] rec in
                guard let self else { return }
                self.running[h] = nil
                if rec.status == .aborted || rec.status == .censored {
                    completion(.aborted(bytes: rec.bytes, reason: rec.status == .censored ? "run ended" : "aborted")); return
                }
                let point = self.service.vault.container(execution: e)?.items.last { $0.resource == name }?.capturedAt ?? rec.start
                completion(.completed(bytes: rec.bytes, pointInTime: point))
            }
            if let handle { running[h] = handle } else { completion(.aborted(bytes: 0, reason: "unknown resource \(name)")) }
        }
        return DataPathHandle(h)
    }

    private func sync(_ job: DataPathJob, handle h: Int, completion: @escaping (DataPathOutcome) -> Void) {
        guard job.bytes > 0 else { completion(.completed(bytes: 0, pointInTime: sim.now)); return }
        let ch = network.openChannel(from: service.backup.name, to: service.primary.name, trafficClass: job.trafficClass,
                                     sendBuffer: syncSendBuffer)
        channels[h] = ch
        var offered: Int64 = 0
        let pump = { offered += ch.offer(job.bytes - offered) }
        ch.onSpace = { if offered < job.bytes { pump() } }
        ch.onDelivered = { [weak self, sim] d in
            if d >= job.bytes { self?.channels[h] = nil; completion(.completed(bytes: d, pointInTime: sim.now)) }
        }
        pump()
    }

    /// Aborts a running job.
    public func abort(_ handle: DataPathHandle) {
        if let p = running.removeValue(forKey: handle.raw) { service.abort(p) }
        if let c = channels.removeValue(forKey: handle.raw) { c.abort() }
    }

    /// The backup-site state of a DRBD volume's replica.
    public func replicaState(of volume: ResourceID, at instant: SimInstant) -> ReplicaState {
        let rp = service.recoveryPoint(for: volume.raw)
        switch service.failoverSource(for: volume.raw) {
        case .drbdPeer(_, let consistent, _):
            return ReplicaState(consistent: consistent, recoveryPoint: rp?.recoveryPoint, lostBytes: rp?.lostBytes ?? 0)
        default:
            return ReplicaState(consistent: false, recoveryPoint: nil, lostBytes: rp?.lostBytes ?? 0)
        }
    }

    /// Cumulative bytes written to `resource` up to `instant`.
    public func bytesWritten(to resource: ResourceID, by instant: SimInstant) -> Int64 {
        if let v = service.primary.volume(named: resource.raw) { return v.history.bytesWritten(through: instant) }
        if let vm = service.primary.vm(named: resource.raw) { return vm.ephemeral.history.bytesWritten(through: instant) }
        return 0
    }

    /// Deletes the DRLCloud container of the engine's container `name` (the engine's cleanup
    /// decides which; nothing when no job of it ever ran).
    public func deleteContainer(_ name: String) {
        if let e = executionOf[name] { service.deleteExecution(e) }
    }

    /// Pauses or resumes a VM (consistent mode).
    public func setPaused(_ vm: ResourceID, _ paused: Bool) { service.primary.vm(named: vm.raw)?.setSpeed(paused ? 0 : 1) }
}

extension CloudDataPaths: DisasterTargets {
    /// DRLCloud's `rpo` rows at the disaster instant; the primary's protection stops (DRLCloud
    /// aborts its actions and halts DRBD); hosts go off.
    public func apply(_ event: DisasterEvent) {
        if emitRecoveryPoints { service.emitRecoveryPoints() }
        if event.spec.stopsProtection { service.abortAll() }
        switch event.spec.hostsOff {
        case .all: service.primary.setAllHosts(up: false)
        case .some(let n): for i in 0..<min(n, service.primary.hostUp.count) { service.primary.setHost(i, up: false) }
        case .none: break
        }
    }
    /// The primary's hosts are on again.
    public func restore(at instant: SimInstant) { service.primary.setAllHosts(up: true) }
}
