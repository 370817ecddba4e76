import DRLSimCore
import DRLNetwork
import DRLCloud

/// Volume snapshot: clone the volume, back the clone up into the container (cinder-backup to
/// Swift), delete the clone; failover imports the backup record and restores a new volume, so
/// its time grows with the volume size (paper §3, §7.3; orbit-software.md §3).
public final class VolumeSnapshotAction: ProtectionAction {
    /// `volume-snapshot`.
    public let name = ProtectionActionName.volumeSnapshot
    /// Volumes.
    public let kind = ResourceKind.volume
    /// The action.
    public init() {}

    /// Starts the protect step of this action.
    public func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
        guard let vol = context.volume else { completion(.aborted(bytes: 0, reason: "not a volume")); return nil }
        return context.dataPaths.start(job(for: context, bytes: vol.sizeBytes, trafficClass: TrafficClassName.snapshot),
                                       completion: completion)
    }

    /// Plans this action's failover at the backup site.
    public func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vol = context.workload.volume(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        let t = context.timings
        let d = t.volumeRestore(bytes: vol.sizeBytes)
        if t.restoreInStack {
            // Dragon imports the backup record; Heat restores the volume inside the stack
            return .success(FailoverPlan(step: "backup-import", duration: t.backupImport, volume: (vol.id.raw, context.newID("vol")),
                                         inStack: (vol.id.raw, vol.sizeBytes, d)))
        }
        return .success(FailoverPlan(step: "volume-restore", duration: d, volume: (vol.id.raw, context.newID("vol")),
                                     transfer: d - t.volumeRestoreOverhead))
    }
}
