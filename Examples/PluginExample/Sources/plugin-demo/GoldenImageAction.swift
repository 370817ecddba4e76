import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration

/// A protection action for VMs whose base image never changes (a "golden image"): the image is
/// copied into the vault once per run; later executions record that copy without sending it
/// again (Dragon's `image-copy` re-sends it at every action, orbit-software.md §3). Failover
/// imports the image into Glance and boots a fresh VM from it, as `image-copy` does, as step
/// `golden-image-import` of `recovery_steps.csv`.
///
/// Written against DRLOrchestration's `ProtectionAction` protocol. Its job runs its own data
/// path (`GoldenImageDataPath`, registered under the same name), so `protection.csv` shows the one
/// copy as a `golden-image` row.
final class GoldenImageAction: ProtectionAction {
    /// `golden-image`.
    let name: ProtectionActionName = "golden-image"
    /// VMs.
    let kind = ResourceKind.vm
    /// When each image (by ID) was copied in this run.
    private var copied: [ResourceID: SimInstant] = [:]

    /// Copies the VM's image the first time; afterwards completes at once with no bytes.
    func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
        guard let vm = context.vm else { completion(.aborted(bytes: 0, reason: "not a VM")); return nil }
        if let point = copied[vm.image] { completion(.completed(bytes: 0, pointInTime: point)); return nil }
        let job = DataPathJob(action: name, resource: vm.id, execution: context.execution,
                              bytes: vm.imageBytes, checksum: vm.imageChecksum, trafficClass: TrafficClassName.image)
        return context.dataPaths.start(job) { [weak self] outcome in
            if case .completed(_, let point) = outcome { self?.copied[vm.image] = point }
            completion(outcome)
        }
    }

    /// Imports the image at the backup site (the recovery timings' image import).
    func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
        guard let vm = context.workload.vm(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
        return .success(FailoverPlan(step: "golden-image-import", duration: context.timings.imageImport(bytes: vm.imageBytes),
                                     image: (vm.image.raw, context.newID("img"))))
    }

    /// The plug-in: a fresh action per run (its memory of copies is per run).
    static let plugin = ProtectionActionPlugin(name: "golden-image", kind: .vm,
                                               summary: "copy the VM's unchanging base image once per run") { _ in GoldenImageAction() }
}
