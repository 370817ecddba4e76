/// The data paths of the paper's four actions (paper §3; orbit-software.md §3), each the
/// OpenStack sequence modelled in `ProtectionService+Actions`.
public struct StandardDataPath: DataPath, Sendable {
    /// The action.
    public let action: ProtectionActionName
    /// VM or volume.
    public let resourceKind: ResourceKind
    private let body: @Sendable (ProtectionService, ProtectionRun, SwiftContainer) -> Void

    /// Starts `run` into `container`.
    public func start(_ run: ProtectionRun, container: SwiftContainer, service: ProtectionService) {
        body(service, run, container)
    }

    /// VM snapshot (`ProtectionService.startVMSnapshot`).
    public static let vmSnapshot = StandardDataPath(action: .vmSnapshot, resourceKind: .vm) { s, r, c in
        s.startVMSnapshot(r, vm: s.primary.vm(named: r.resource)!, container: c)
    }
    /// Image copy (`ProtectionService.startImageCopy`).
    public static let imageCopy = StandardDataPath(action: .imageCopy, resourceKind: .vm) { s, r, c in
        s.startImageCopy(r, vm: s.primary.vm(named: r.resource)!, container: c)
    }
    /// Volume snapshot (`ProtectionService.startVolumeSnapshot`).
    public static let volumeSnapshot = StandardDataPath(action: .volumeSnapshot, resourceKind: .volume) { s, r, c in
        s.startVolumeSnapshot(r, volume: s.primary.volume(named: r.resource)!, container: c)
    }
    /// Volume replication's metadata (`ProtectionService.startReplicationMetadata`).
    public static let volumeReplication = StandardDataPath(action: .volumeReplication, resourceKind: .volume) { s, r, c in
        s.startReplicationMetadata(r, volume: s.primary.volume(named: r.resource)!, container: c)
    }
    /// The four, in `ProtectionActionName.standard` order.
    public static let all: [StandardDataPath] = [.vmSnapshot, .imageCopy, .volumeSnapshot, .volumeReplication]
}
