import DRLCloud

/// A Nova server of the protected workload as the DR-Orchestrator describes it (the live
/// instance, with its disks and speed, is DRLCloud's `VirtualMachine`; both share the name).
///
/// Holds what the flame tool reads to write a Heat template (image, flavor, key pair, security
/// groups, ports with fixed IPs, floating IP) and what the protection actions need (base image
/// size and checksum, ephemeral disk size). Source: orbit-software.md sections 2 and 3.
public struct VMDescription: Sendable, Hashable {
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
    /// copy overwrites the previous one, orbit-software.md §3).
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

    /// A server; `snapshotBytes` defaults to the image size.
    public init(id: ResourceID, name: String, image: ResourceID, imageBytes: Int64, imageChecksum: String? = nil,
                snapshotBytes: Int64? = nil, flavor: String = "m1.small", keyName: String? = nil,
                securityGroups: [String] = ["default"], ports: [Port] = [], floatingIP: String? = nil,
                state: State = .active) {
        self.id = id; self.name = name; self.image = image; self.imageBytes = imageBytes
        self.imageChecksum = imageChecksum ?? "md5-\(image.raw)"
        self.snapshotBytes = snapshotBytes ?? imageBytes
        self.flavor = flavor; self.keyName = keyName; self.securityGroups = securityGroups
        self.ports = ports; self.floatingIP = floatingIP; self.state = state
    }
}
