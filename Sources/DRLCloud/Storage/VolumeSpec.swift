/// A Cinder volume as the data plane creates it: a VM's attached volume (`VMDescription.volume`).
/// The orchestrator describes it as a `VolumeDescription` (DRLOrchestration).
public struct VolumeSpec: Hashable, Sendable {
    /// Volume name (default `<vm>-vol`).
    public var name: String?
    /// Size in bytes.
    public var size: Int64
    /// `drbd` (volume replication) or `iscsi` (volume snapshot).
    public var type: VolumeType

    /// A volume spec.
    public init(name: String? = nil, size: Int64, type: VolumeType) {
        self.name = name; self.size = size; self.type = type
    }
}
