import DRLSimCore
import DRLNetwork
import DRLCloud

/// The two VM actions that protect a VM as one image in the execution's container and recover it
/// by importing that image into Glance (paper §3; orbit-software.md §3): `ImageCopyAction` (the
/// base Glance image) and `VMSnapshotAction` (a snapshot of the ephemeral disk). Protect sends
/// one data-path job of the image's bytes (the data path named after the action does the
/// uploading: `ProtectionService+Actions`); failover is `image-import` of those bytes
/// (`RecoveryTimings.imageImport`) and maps the primary image to a new backup image.
public class VMImageAction: ProtectionAction {
    /// The registry name.
    public let name: ProtectionActionName
    /// VMs.
    public let kind = ResourceKind.vm
    /// The traffic class of the upload.
    let trafficClass: String
    /// The image of a VM: its bytes and, when the vault stores it by content, its checksum.
    let image: (VMDescription) -> (bytes: Int64, checksum: String?)

    init(name: ProtectionActionName, trafficClass: String, image: @escaping (VMDescription) -> (bytes: Int64, checksum: String?)) {
        self.name = name; self.trafficClass = trafficClass; self.image = image
    }

    /// Starts the upload of the VM's image.
    public func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
        guard let vm = context.vm else { completion(.aborted(bytes: 0, reason: "not a VM")); return nil }
        let i = image(vm)
        return context.dataPaths.start(job(for: context, bytes: i.bytes, checksum: i.checksum, trafficClass: trafficClass),
                                       completion: completion)
    }

    /// Plans the image import at the backup site.
    public func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vm = context.workload.vm(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        let d = context.timings.imageImport(bytes: image(vm).bytes)
        return .success(FailoverPlan(step: "image-import", duration: d, image: (vm.image.raw, context.newID("img")),
                                     transfer: d - context.timings.imageImportOverhead))
    }
}
