import DRLSimCore

/// Where the backup site would recover a resource from (what the recovery pipeline needs).
public enum FailoverSource: Sendable, Equatable {
    /// Restore from the newest ready container: its name and the item (captured instant,
    /// stored bytes, logical restore size).
    case container(name: String, item: ContainerItem)
    /// Manage the DRBD peer into Cinder (near constant time); `consistent` false means the
    /// peer was mid-resync and is unusable. `metadata` is the ready container that recorded it.
    case drbdPeer(volumeSize: Int64, consistent: Bool, metadata: String?)
    /// Nothing recoverable.
    case none
}

extension ProtectionService {
    /// The newest recoverable state of `resource` now (paper §3, orbit-software.md §3):
    /// a container counts only once ready; a DRBD volume needs its replication metadata in a
    /// ready container and a consistent peer, and recovers the peer's state.
    public func recoveryPoint(for resource: String) -> RecoveryPointRecord? {
        guard let entry = protectedIndex[resource].map({ protected[$0] }) ?? declaredIndex[resource].map({ declared[$0] })
        else { return nil }
        let now = sim.now
        var rp: SimInstant? = nil
        let replica = replica(for: resource)
        if let replica {
            if vault.newestReadyItem(for: resource) != nil { rp = replica.recoveryPoint() }
        } else if let (_, item) = vault.newestReadyItem(for: resource) {
            rp = item.capturedAt
        }
        var record = RecoveryPointRecord(resource: resource, action: entry.action, kind: entry.kind, disaster: now,
                                         recoveryPoint: rp, lostBytes: lostBytes(resource: resource, since: rp))
        if let replica { record.replicaConsistent = replica.peerDiskState != .inconsistent }
        return record
    }

    /// Recovery points of every protected resource: those protected at least once (in the order
    /// they were first protected), then those only declared (`declareProtected`, in declaration
    /// order), whose `recovery_point_s` is -1 and whose lost bytes are everything written.
    public func recoveryPoints() -> [RecoveryPointRecord] {
        let never = declared.filter { d in protectedIndex[d.resource] == nil }
        return (protected + never).compactMap { recoveryPoint(for: $0.resource) }
    }

    /// Declares `resource` protected by `action` before its first protection runs, so that a
    /// disaster before then still gives it an `rpo` row (interface.md: one row per protected
    /// resource per disaster). Nothing starts; declaring twice is harmless.
    public func declareProtected(resource: String, action: ProtectionActionName, kind: ResourceKind) {
        if declaredIndex[resource] == nil {
            declaredIndex[resource] = declared.count
            declared.append((resource, action, kind))
        }
    }

    /// Emits one `rpo` row per protected resource, evaluated now (call at the disaster instant,
    /// before `abortAll`). Returns the rows.
    @discardableResult
    public func emitRecoveryPoints() -> [RecoveryPointRecord] {
        let rows = RecoveryPointRecord.withVMRPO(recoveryPoints()) { [primary] name in
            primary.vm(named: name) != nil ? name : primary.vms.first { $0.volume?.name == name }?.name
        }
        for r in rows { context.recorder.emit("rpo", r.row) }
        return rows
    }

    /// What the backup would recover `resource` from now.
    public func failoverSource(for resource: String) -> FailoverSource {
        let ready = vault.newestReadyItem(for: resource)
        if let r = replica(for: resource) {
            return .drbdPeer(volumeSize: r.volume.size, consistent: r.peerDiskState != .inconsistent, metadata: ready?.0.name)
        }
        if let (c, item) = ready { return .container(name: c.name, item: item) }
        return .none
    }

    /// Bytes written to the resource's disks at or after `since` (all when nil). A VM counts its
    /// ephemeral disk; a volume itself.
    func lostBytes(resource: String, since: SimInstant?) -> Int64 {
        if let f = fluidDRBD[resource] {   // exact on the fluid written curve
            guard let t = since else { f.sync(); return Int64(f.written.rounded()) }
            return Int64(f.bytesWritten(after: t - .nanoseconds(1)).rounded())
        }
        let history: WriteHistory
        if let v = primary.volume(named: resource) { history = v.history }
        else if let vm = primary.vm(named: resource) { history = vm.ephemeral.history }
        else { return 0 }
        guard let t = since else { return history.total }
        return history.total - history.bytesWritten(through: t - .nanoseconds(1))
    }
}
