import DRLSimCore
import DRLNetwork
import DRLCloud

/// Image copy: store the VM's base Glance image in the tenant's global container (Dragon
/// downloads it from Glance and PUTs it at every action, overwriting the objects named by its
/// checksum); failover imports it into Glance and boots a fresh VM from it (paper §3;
/// orbit-software.md §3). The paper's default VM action.
public final class ImageCopyAction: ProtectionAction {
    /// `image-copy`.
    public let name = ProtectionActionName.imageCopy
    /// VMs.
    public let kind = ResourceKind.vm
    /// The action.
    public init() {}

    /// Starts the protect step of this action.
    public func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
        guard let vm = context.vm else { completion(.aborted(bytes: 0, reason: "not a VM")); return nil }
        return context.dataPaths.start(job(for: context, bytes: vm.imageBytes, checksum: vm.imageChecksum,
                                           trafficClass: TrafficClassName.image), completion: completion)
    }

    /// Plans this action's failover at the backup site.
    public func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vm = context.workload.vm(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        let d = context.timings.imageImport(bytes: vm.imageBytes)
        return .success(FailoverPlan(step: "image-import", duration: d, image: (vm.image.raw, context.newID("img"))))
    }
}
