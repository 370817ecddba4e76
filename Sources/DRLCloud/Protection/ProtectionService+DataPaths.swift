import DRLSimCore
import DRLNetwork

/// DRLCloud's protection service is the DR-Engine's data paths: executions are its vault
/// containers, each job runs the registered `DataPath` of its action, recovery points are
/// `recoveryPoint(for:)` (ProtectionService+RecoveryPoints), and it emits the `protection`,
/// `protection_steps` and `rpo` rows itself. Resource IDs are the primary's resource names.
extension ProtectionService: ProtectionDataPaths {
    /// Creates the execution's container `<tenant>_<policy>_<t>_<execution>` (the tenant is
    /// `ProtectionConfig.tenant`, which names the vault's containers).
    public func beginExecution(tenant: String, policy: String) -> (execution: Int, container: String) {
        let e = beginExecution(policy: policy)
        return (e, vault.container(execution: e)?.name ?? "")
    }

    /// Starts `job` through its action's data path; an unknown resource, execution or action
    /// aborts at once with no row.
    public func start(_ job: DataPathJob, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle {
        let e = job.execution, name = job.resource.raw
        let handle = protect(resource: name, action: job.action, execution: e) { [weak self] rec in
            guard let self else { return }
            if rec.status == .aborted || rec.status == .censored {
                completion(.aborted(bytes: rec.bytes, reason: rec.status == .censored ? "run ended" : "aborted")); return
            }
            let point = self.vault.container(execution: e)?.items.last { $0.resource == name }?.capturedAt ?? rec.start
            completion(.completed(bytes: rec.bytes, pointInTime: point))
        }
        guard let handle else {
            completion(.aborted(bytes: 0, reason: "unknown resource \(name)"))
            return ProtectionHandle(id: -1)
        }
        return handle
    }

    /// `finishExecution`: uploads `metadata` and `template.yaml` (sized by `ProtectionConfig`,
    /// not `bytes`), then marks the container ready.
    public func seal(execution: Int, bytes: Int64, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle {
        finishExecution(execution) { [sim] sent in completion(.completed(bytes: sent, pointInTime: sim.now)) }
        return ProtectionHandle(id: -1)
    }

    /// Opens a channel backup -> primary on the transfer network and sends `bytes`
    /// (send buffer 4 MiB, the Linux tcp_wmem max `SendBufferAutotune.linuxMaxSendBuffer`).
    public func syncBack(bytes: Int64, trafficClass: String, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle {
        let h = nextHandle; nextHandle += 1
        guard bytes > 0 else { completion(.completed(bytes: 0, pointInTime: sim.now)); return ProtectionHandle(id: h) }
        let ch = network.openChannel(from: backup.name, to: primary.name, trafficClass: trafficClass,
                                     sendBuffer: SendBufferAutotune.linuxMaxSendBuffer)
        syncChannels[h] = ch
        var offered: Int64 = 0
        let pump = { offered += ch.offer(bytes - offered) }
        ch.onSpace = { if offered < bytes { pump() } }
        ch.onDelivered = { [weak self, sim] d in
            if d >= bytes { self?.syncChannels[h] = nil; completion(.completed(bytes: d, pointInTime: sim.now)) }
        }
        pump()
        return ProtectionHandle(id: h)
    }

    /// `deleteExecution`.
    public func deleteContainer(execution: Int) { deleteExecution(execution) }

    /// `declareProtected(resource:action:kind:)` (the VM is found on the primary).
    public func declareProtected(_ resource: ResourceID, action: ProtectionActionName, kind: ResourceKind, vm: ResourceID?) {
        declareProtected(resource: resource.raw, action: action, kind: kind)
    }

    /// `recoveryPoint(for:)`.
    public func recoveryPoint(of resource: ResourceID) -> RecoveryPointRecord? { recoveryPoint(for: resource.raw) }

    /// `emitRecoveryPoints`.
    public func recordRecoveryPoints() -> [RecoveryPointRecord] { emitRecoveryPoints() }

    /// Cumulative bytes written to `resource` (a volume, or a VM's ephemeral disk) up to `instant`.
    public func bytesWritten(to resource: ResourceID, by instant: SimInstant) -> Int64 {
        if let v = primary.volume(named: resource.raw) { return v.history.bytesWritten(through: instant) }
        if let vm = primary.vm(named: resource.raw) { return vm.ephemeral.history.bytesWritten(through: instant) }
        return 0
    }

    /// Pauses (speed 0) or resumes (speed 1) a VM.
    public func setPaused(_ vm: ResourceID, _ paused: Bool) { primary.vm(named: vm.raw)?.setSpeed(paused ? 0 : 1) }

    /// `censorRunning`.
    public func endRun() { censorRunning() }
}
