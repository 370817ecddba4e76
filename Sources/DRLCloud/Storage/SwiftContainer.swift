import DRLSimCore

/// One object stored in a Swift container.
public struct SwiftObject: Hashable, Sendable {
    /// Object name (e.g. `vm1/snapshot/00003`, `metadata`, `template.yaml`).
    public var name: String
    /// Stored bytes.
    public var bytes: Int64
    /// When the last byte arrived.
    public var storedAt: SimInstant
}

/// The state of an execution container: only a ready container is a recovery point
/// (orbit-software.md section 3, "Protect flow").
public enum ContainerState: String, Sendable {
    /// Being written by a protection execution.
    case processing
    /// Complete: metadata and template written, usable for failover.
    case ready
    /// Deleted by retention/cleanup.
    case deleted
}

/// What a ready container lets the backup site recover for one resource.
public struct ContainerItem: Hashable, Sendable {
    /// The resource (VM or volume name).
    public var resource: String
    /// The protection action that produced it (`vm-snapshot`, `image-copy`, `volume-snapshot`,
    /// `volume-replication`).
    public var action: String
    /// The instant the captured state was taken (snapshot/clone start).
    public var capturedAt: SimInstant
    /// Bytes of the resource stored (in this container or the global one).
    public var bytes: Int64
    /// The logical size to restore (the volume size for a backup, the image size for an image).
    public var restoreSize: Int64

    /// An item.
    public init(resource: String, action: String, capturedAt: SimInstant, bytes: Int64, restoreSize: Int64) {
        self.resource = resource; self.action = action; self.capturedAt = capturedAt; self.bytes = bytes
        self.restoreSize = restoreSize
    }
}

/// A container of the backup site's Swift store, `<tenant>_<policy>_<timestamp>`, one per
/// protection execution.
public final class SwiftContainer {
    /// Container name.
    public let name: String
    /// The execution index it belongs to.
    public let execution: Int
    /// Creation instant.
    public let createdAt: SimInstant
    /// Current state.
    @exclusivity(unchecked) public internal(set) var state: ContainerState = .processing
    /// When it was marked ready.
    @exclusivity(unchecked) public internal(set) var readyAt: SimInstant?
    /// Objects in storage order.
    @exclusivity(unchecked) public internal(set) var objects: [SwiftObject] = []
    /// Recoverable items per resource, in completion order.
    @exclusivity(unchecked) public internal(set) var items: [ContainerItem] = []

    init(name: String, execution: Int, createdAt: SimInstant) {
        self.name = name
        self.execution = execution
        self.createdAt = createdAt
    }

    /// Bytes stored in this container.
    public var storedBytes: Int64 { objects.reduce(0) { $0 + $1.bytes } }
}
