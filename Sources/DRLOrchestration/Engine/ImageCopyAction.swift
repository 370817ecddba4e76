import DRLNetwork

/// Image copy: store the VM's base Glance image in the tenant's global container (Dragon
/// downloads it from Glance and PUTs it at every action, overwriting the objects named by its
/// checksum); failover imports it into Glance and boots a fresh VM from it (paper §3;
/// orbit-software.md §3). The paper's default VM action. Protect and failover: `VMImageAction`.
public final class ImageCopyAction: VMImageAction {
    /// `image-copy`: the base image (stored by checksum), as `TrafficClassName.image`.
    public init() {
        super.init(name: .imageCopy, trafficClass: TrafficClassName.image) { ($0.imageBytes, $0.imageChecksum) }
    }
}
