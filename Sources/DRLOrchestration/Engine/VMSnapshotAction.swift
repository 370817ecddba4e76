import DRLSimCore
import DRLNetwork
import DRLCloud

/// VM snapshot: snapshot the ephemeral disk, upload it in 50 MiB chunks into the container,
/// delete the local copy; failover imports the snapshot into Glance (paper §3; orbit-software.md §3).
public final class VMSnapshotAction: ProtectionAction {
    /// `vm-snapshot`.
    public let name = ProtectionActionName.vmSnapshot
    /// VMs.
    public let kind = ResourceKind.vm
    /// The action.
    public init() {}

    /// Starts the protect step of this action.
    public func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
        guard let vm = context.vm else { completion(.aborted(bytes: 0, reason: "not a VM")); return nil }
        return context.dataPaths.start(job(for: context, bytes: vm.snapshotBytes, trafficClass: TrafficClassName.snapshot),
                                       completion: completion)
    }

    /// Plans this action's failover at the backup site.
    public func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vm = context.workload.vm(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        let d = context.timings.imageImport(bytes: vm.snapshotBytes)
        return .success(FailoverPlan(step: "image-import", duration: d, image: (vm.image.raw, context.newID("img"))))
    }
}
