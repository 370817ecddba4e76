import DRLCloud

/// A Cinder volume of the protected workload as the DR-Orchestrator describes it (the Heat
/// template's input, the metadata a recovery reads). The live volume (blocks, writes, device)
/// is DRLCloud's `Volume`; both share the resource name and DRLCloud's `VolumeType`.
///
/// The volume type selects the default protection action: DRBD volumes get volume replication,
/// every other type a volume snapshot (paper §4.2; orbit-software.md §2).
public struct VolumeDescription: Sendable, Hashable {
    /// Cinder's status of a volume; only `available` and `inUse` volumes can be protected.
    public enum State: String, Sendable, Hashable {
        /// Not attached.
        case available
        /// Attached to a server (`in-use` in Cinder).
        case inUse = "in-use"
        /// Being created.
        case creating
        /// Failed.
        case error
    }
    /// The volume ID at the primary site.
    public var id: ResourceID
    /// The volume name.
    public var name: String
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Backend type (DRLCloud's `VolumeType`).
    public var type: VolumeType
    /// The server it is attached to, if any.
    public var attachedTo: ResourceID?
    /// The device path of the attachment.
    public var device: String
    /// Cinder's status.
    public var state: State

    /// A volume; its state follows from the attachment unless given.
    public init(id: ResourceID, name: String, sizeBytes: Int64, type: VolumeType, attachedTo: ResourceID? = nil,
                device: String = "/dev/vdb", state: State? = nil) {
        self.id = id; self.name = name; self.sizeBytes = sizeBytes; self.type = type
        self.attachedTo = attachedTo; self.device = device
        self.state = state ?? (attachedTo == nil ? .available : .inUse)
    }
}
