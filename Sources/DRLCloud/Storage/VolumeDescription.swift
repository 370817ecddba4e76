/// A Cinder volume of the protected workload: the one description of a volume, read by the data
/// plane that creates it (`DataPlane.install`, as a VM's attached `VMDescription.volume`: name,
/// size, type) and by the DR-Orchestrator that protects and recreates it (DRLOrchestration's
/// `TenantWorkload.volumes`: the Heat template's input, the metadata a recovery reads). The live
/// volume (blocks, writes, device) is `Volume`; both share the name.
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
    /// The volume name (the data plane's `Volume` of that name). Empty: not named yet; a server
    /// description names it `<vm>-vol` when it is attached (`VMDescription.attaching(_:)`).
    public var name: String
    /// Size in bytes.
    public var sizeBytes: Int64
    /// Backend type: `drbd` (volume replication) or `iscsi` (volume snapshot).
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

    /// A volume to attach to a server (`VMDescription(volume:)`), as a data-plane test or the
    /// workload section describes one: its ID is its name; without a name it is named after the
    /// server, `<vm>-vol`, when attached.
    public init(name: String? = nil, size: Int64, type: VolumeType) {
        self.init(id: ResourceID(name ?? ""), name: name ?? "", sizeBytes: size, type: type)
    }
}
