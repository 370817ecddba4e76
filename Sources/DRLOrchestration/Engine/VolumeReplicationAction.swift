import DRLSimCore
import DRLNetwork
import DRLCloud

/// Volume replication (DRBD): the data flows continuously, so protect only records the volume's
/// metadata; failover promotes the DRBD replica and manages it into Cinder in near-constant
/// time, provided the replica is consistent (paper §3, §4.2, §7.3; orbit-software.md §3).
public final class VolumeReplicationAction: ProtectionAction {
    /// `volume-replication`.
    public let name = ProtectionActionName.volumeReplication
    /// Volumes.
    public let kind = ResourceKind.volume
    /// The action.
    public init() {}

    /// Starts the protect step of this action.
    public func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
        guard context.volume != nil else { completion(.aborted(bytes: 0, reason: "not a volume")); return nil }
        return context.dataPaths.start(job(for: context, bytes: 0, trafficClass: TrafficClassName.metadata), completion: completion)
    }

    /// Plans this action's failover at the backup site.
    public func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vol = context.workload.volume(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        // the data paths' recovery point says whether the replica is usable (DRLCloud: the DRBD peer is consistent)
        guard context.dataPaths.recoveryPoint(of: vol.id)?.replicaConsistent == true else { return .failure(.replicaInconsistent(volume: vol.id.raw)) }
        return .success(FailoverPlan(step: "drbd-manage", duration: context.timings.drbdManage,
                                     volume: (vol.id.raw, context.newID("vol"))))
    }
}
