import DRLSimCore
import DRLNetwork
import DRLCloud

/// The data path of the `golden-image` action: uploads the VM's base image from the primary
/// into the execution's vault container, as one Swift object per 5 GiB (Swift's default
/// `max_file_size`, 5 GiB + 2 bytes, swift/common/constraints.py), and records it as the VM's
/// recovery point as of the action's start (the image never changes). Unlike DRLCloud's
/// `image-copy` sequence it reads the image from the compute host's image cache, so there is no
/// Glance download step before the upload.
///
/// Registered on `Plugins` (main.swift), so each run's `ProtectionService` gets one and the
/// action's `protection.csv` rows say `golden-image`.
struct GoldenImageDataPath: DataPath {
    /// `golden-image`.
    let action = ProtectionActionName("golden-image")
    /// VMs.
    let resourceKind = ResourceKind.vm
    /// Swift's largest object without segmenting (5 GiB).
    static let maxObject: Int64 = 5 << 30

    func start(_ run: ProtectionRun, container: SwiftContainer, service: ProtectionService) {
        guard let vm = service.primary.vm(named: run.resource) else { service.finish(run, status: .aborted); return }
        let image = vm.image, captured = run.start
        let objects = stride(from: Int64(0), to: image.size, by: Int(Self.maxObject)).enumerated().map { i, offset in
            ("\(image.checksum)/\(i)", Swift.min(Self.maxObject, image.size - offset))
        }
        service.upload(for: run, objects: objects, into: container, trafficClass: TrafficClassName.image) {
            service.vault.addItem(ContainerItem(resource: run.resource, action: run.action.rawValue, capturedAt: captured,
                                                bytes: image.size, restoreSize: image.size), to: container)
            service.finish(run, status: .completed)
        }
    }

    /// The plug-in: a fresh path per run.
    static let plugin = DataPathPlugin(action: "golden-image", resourceKind: .vm,
                                       summary: "the VM's base image uploaded from the host's image cache") { GoldenImageDataPath() }
}
