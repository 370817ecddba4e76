import DRLSimCore

/// Volume replication (DRBD): the data flows continuously, so protect only records the volume's
/// metadata; failover promotes the DRBD replica and manages it into Cinder in near-constant
/// time, provided the replica is consistent (paper §3, §4.2, §7.3; orbit-software.md §3).
public final class VolumeReplicationAction: ProtectionAction {
    /// `volume-replication`.
    public let name = "volume-replication"
    /// Volumes.
    public let kind = ResourceKind.volume
    /// The action.
    public init() {}

    /// Starts the protect step of this action.
    public func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> DataPathHandle? {
        guard let vol = context.volume else { completion(.aborted(bytes: 0, reason: "not a volume")); return nil }
        var job = DataPathJob(kind: .volumeReplication, resource: vol.id, container: context.container,
                              bytes: 0, trafficClass: "metadata")
        job.policy = context.policy
        return context.dataPaths.start(job, completion: completion)
    }

    /// Plans this action's failover at the backup site.
    public func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vol = context.workload.volume(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        let state = context.dataPaths.replicaState(of: vol.id, at: context.now)
        guard state.consistent else { return .failure(.replicaInconsistent(volume: vol.id.raw)) }
        return .success(FailoverPlan(step: "drbd-manage", duration: context.timings.drbdManage,
                                     volume: (vol.id.raw, context.newID("vol"))))
    }
}

extension VolumeReplicationAction {
    /// DRBD's recovery point is the replica's, not the container's: the data flows continuously.
    public func recoveryPoint(of resource: ResourceID, newest record: PolicyExecution.ActionRecord?,
                              at instant: SimInstant, dataPaths: ProtectionDataPaths) -> (point: SimInstant?, lostBytes: Int64) {
        let s = dataPaths.replicaState(of: resource, at: instant)
        guard s.consistent else { return (nil, dataPaths.bytesWritten(to: resource, by: instant)) }
        return (s.recoveryPoint, s.lostBytes)
    }
}
