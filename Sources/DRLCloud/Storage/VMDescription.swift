/// A Nova server of the protected workload: the one description of a VM, read by the data
/// plane that boots it (`DataPlane.install`: image, ephemeral disk, host, attached volume, the
/// write workload it runs) and by the DR-Orchestrator that protects and recreates it
/// (DRLOrchestration's `TenantWorkload`). The live instance, with its disks and speed, is
/// `VirtualMachine`; both share the name.
///
/// Holds what the flame tool reads to write a Heat template (image, flavor, key pair, security
/// groups, ports with fixed IPs, floating IP) and what the protection actions need (base image
/// size and checksum, the snapshot's bytes). Source: orbit-software.md sections 2 and 3.
public struct VMDescription: Sendable {
    /// Nova's state of a server; only `active` servers can be protected (orbit-software.md §2).
    public enum State: String, Sendable, Hashable {
        /// Running.
        case active
        /// Paused (e.g. by a consistent-mode protection).
        case paused
        /// Stopped.
        case shutoff
        /// Being built.
        case building
        /// Failed.
        case error
    }
    /// A Neutron port of the server with its fixed IP (restored as-is at the backup, paper §6.2).
    public struct Port: Sendable, Hashable {
        /// The port ID at the primary site.
        public var id: ResourceID
        /// The network the port belongs to.
        public var network: ResourceID
        /// The fixed (private) IP address.
        public var fixedIP: String
        /// A port on `network` with `fixedIP`.
        public init(id: ResourceID, network: ResourceID, fixedIP: String) {
            self.id = id; self.network = network; self.fixedIP = fixedIP
        }
    }
    /// The server ID at the primary site.
    public var id: ResourceID
    /// The server name.
    public var name: String
    /// The base Glance image the server was booted from.
    public var image: ResourceID
    /// The size of the base image in bytes (the paper's VM image was under 200 MB, §7.1).
    public var imageBytes: Int64
    /// The image checksum (the image copy's object names in the global container; a re-sent
    /// copy overwrites the previous one, orbit-software.md §3). Default `<image>-<bytes>`, as
    /// `GlanceImage`'s.
    public var imageChecksum: String
    /// The bytes a VM snapshot of the ephemeral disk uploads (base image plus changes).
    public var snapshotBytes: Int64
    /// The flavor name.
    public var flavor: String
    /// The key pair name, if any.
    public var keyName: String?
    /// Security group names.
    public var securityGroups: [String]
    /// Ports with their fixed IPs.
    public var ports: [Port]
    /// The floating (public) IP address associated with the first port, if any.
    public var floatingIP: String?
    /// Nova's state.
    public var state: State
    /// The host index at the primary site.
    public var host: Int = 0
    /// Ephemeral root disk size (an m1.small-like 20 GiB root disk).
    public var ephemeralSize: Int64 = 20 * ByteUnits.GiB
    /// The attached Cinder volume (nil: none), the one description the data plane creates and
    /// the orchestrator protects (`TenantWorkload.volumes` lists it). Whatever is set is
    /// attached to this server (`attaching(_:)`: `attachedTo` is its ID, an unnamed volume is
    /// `<name>-vol`).
    public var volume: VolumeDescription? {
        didSet { if let v = volume, v.attachedTo != id || v.name.isEmpty { volume = attaching(v) } }
    }
    /// The write workload the VM runs (nil: idle). It writes the volume, or the ephemeral disk
    /// without one.
    public var writes: (any WriteWorkload)?
    /// Writes the workload keeps outstanding.
    public var queueDepth: Int = 1

    /// A server; `snapshotBytes` defaults to the image size, the checksum to `<image>-<bytes>`.
    public init(id: ResourceID, name: String, image: ResourceID, imageBytes: Int64, imageChecksum: String? = nil,
                snapshotBytes: Int64? = nil, flavor: String = "m1.small", keyName: String? = nil,
                securityGroups: [String] = ["default"], ports: [Port] = [], floatingIP: String? = nil,
                state: State = .active, volume: VolumeDescription? = nil, writes: (any WriteWorkload)? = nil) {
        self.id = id; self.name = name; self.image = image; self.imageBytes = imageBytes
        self.imageChecksum = imageChecksum ?? GlanceImage(name: image.raw, size: imageBytes).checksum
        self.snapshotBytes = snapshotBytes ?? imageBytes
        self.flavor = flavor; self.keyName = keyName; self.securityGroups = securityGroups
        self.ports = ports; self.floatingIP = floatingIP; self.state = state
        self.writes = writes
        self.volume = volume.map(attaching)
    }

    /// A VM named `name` (also its ID) booted from `image` (default: `image`, 190 MB: the
    /// paper's image was under 200 MB, §7.1), as a data-plane test or benchmark describes one.
    public init(name: String, image: GlanceImage = GlanceImage(name: "image", size: 190 * ByteUnits.MB),
                volume: VolumeDescription? = nil, writes: (any WriteWorkload)? = nil) {
        self.init(id: ResourceID(name), name: name, image: ResourceID(image.name), imageBytes: image.size,
                  imageChecksum: image.checksum, snapshotBytes: image.dataSize, volume: volume, writes: writes)
    }

    /// `volume` attached to this server: `attachedTo` is its ID (an available volume becomes in-use), and a volume
    /// without a name is named `<name>-vol` (its ID too).
    public func attaching(_ volume: VolumeDescription) -> VolumeDescription {
        var v = volume
        if v.name.isEmpty { v.name = "\(name)-vol"; v.id = ResourceID(v.name) }
        v.attachedTo = id
        if v.state == .available { v.state = .inUse }
        return v
    }

    /// The base image as Glance holds it (name, size, checksum, flattened data).
    public var glanceImage: GlanceImage {
        GlanceImage(name: image.raw, size: imageBytes, checksum: imageChecksum, dataSize: snapshotBytes)
    }
}
