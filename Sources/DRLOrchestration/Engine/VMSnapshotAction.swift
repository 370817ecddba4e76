import DRLNetwork

/// VM snapshot: snapshot the ephemeral disk, upload it in 50 MiB chunks into the container,
/// delete the local copy; failover imports the snapshot into Glance (paper §3; orbit-software.md
/// §3). Protect and failover: `VMImageAction`.
public final class VMSnapshotAction: VMImageAction {
    /// `vm-snapshot`: the snapshot's bytes, as `TrafficClassName.snapshot`.
    public init() {
        super.init(name: .vmSnapshot, trafficClass: TrafficClassName.snapshot) { ($0.snapshotBytes, nil) }
    }
}
