import DRLCloud

/// Everything a tenant runs at the primary site that the DR layer may protect and recreate: its
/// VMs (DRLCloud's `VMDescription`, the one description of a VM) with their attached volumes
/// (DRLCloud's `VolumeDescription`, the one description of a volume), unattached volumes, key
/// pairs, security groups and networks.
///
/// The input of the flame-style template generator (`FlameGenerator`) and of the
/// DR-Orchestrator's protect requests. Arrays keep their given order, so templates and
/// schedules are deterministic.
public struct TenantWorkload: Sendable, Hashable {
    /// A Nova key pair.
    public struct KeyPair: Sendable, Hashable {
        /// The key pair name.
        public var name: String
        /// The public key text (opaque here).
        public var publicKey: String
        /// A key pair.
        public init(name: String, publicKey: String = "ssh-rsa AAAA...") { self.name = name; self.publicKey = publicKey }
    }
    /// A Neutron security group.
    public struct SecurityGroup: Sendable, Hashable {
        /// The group ID at the primary.
        public var id: ResourceID
        /// The group name.
        public var name: String
        /// Ingress rules as `protocol:port-range:cidr` strings.
        public var rules: [String]
        /// A security group.
        public init(id: ResourceID, name: String, rules: [String] = []) { self.id = id; self.name = name; self.rules = rules }
    }
    /// A Neutron network; recreated networks keep their address, so fixed IPs stay valid.
    public struct Network: Sendable, Hashable {
        /// The network ID at the primary.
        public var id: ResourceID
        /// The network name.
        public var name: String
        /// The subnet CIDR.
        public var cidr: String
        /// A network.
        public init(id: ResourceID, name: String, cidr: String) { self.id = id; self.name = name; self.cidr = cidr }
    }
    /// The tenant (project) name.
    public var tenant: String
    /// Servers, each with its attached volume (`VMDescription.volume`).
    public var vms: [VMDescription]
    /// Volumes no server description holds: unattached ones, or a server's further volumes.
    public var otherVolumes: [VolumeDescription]
    /// Key pairs.
    public var keyPairs: [KeyPair]
    /// Security groups.
    public var securityGroups: [SecurityGroup]
    /// Networks.
    public var networks: [Network]

    /// A workload. Each of `volumes` attached to one of `vms` without a volume becomes that
    /// server's `volume`; the others are `otherVolumes`.
    public init(tenant: String, vms: [VMDescription] = [], volumes: [VolumeDescription] = [], keyPairs: [KeyPair] = [],
                securityGroups: [SecurityGroup] = [], networks: [Network] = []) {
        self.tenant = tenant; self.vms = vms; self.otherVolumes = []; self.keyPairs = keyPairs
        self.securityGroups = securityGroups; self.networks = networks
        for v in volumes { add(v) }
    }

    /// Every volume of the tenant, each described once: the servers' attached volumes in
    /// server order, then `otherVolumes`. Setting it places each volume as `init` does.
    public var volumes: [VolumeDescription] {
        get { vms.compactMap(\.volume) + otherVolumes }
        set {
            for i in vms.indices { vms[i].volume = nil }
            otherVolumes = []
            for v in newValue { add(v) }
        }
    }

    /// Places `volume`: on the server it is attached to when that server holds none yet, else
    /// among `otherVolumes`.
    mutating func add(_ volume: VolumeDescription) {
        if let a = volume.attachedTo, let i = vms.firstIndex(where: { $0.id == a }), vms[i].volume == nil {
            vms[i].volume = volume
        } else {
            otherVolumes.append(volume)
        }
    }

    /// The server with `id`.
    public func vm(_ id: ResourceID) -> VMDescription? { vms.first { $0.id == id } }
    /// The volume with `id`.
    public func volume(_ id: ResourceID) -> VolumeDescription? {
        vms.lazy.compactMap(\.volume).first { $0.id == id } ?? otherVolumes.first { $0.id == id }
    }

    /// A one-VM, one-volume workload shaped like the paper's testbed application (§7): a small
    /// VM (image under 200 MB: 190 MB here) with one attached volume, one key pair, one
    /// security group, one private network and a floating IP.
    public static func paperTranscoder(tenant: String = "demo", volumeBytes: Int64,
                                       volumeType: VolumeType, imageBytes: Int64 = 190_000_000) -> TenantWorkload {
        let net = Network(id: "net-primary-1", name: "private", cidr: "10.0.0.0/24")
        let sg = SecurityGroup(id: "sg-primary-1", name: "web", rules: ["tcp:80:0.0.0.0/0", "tcp:22:0.0.0.0/0"])
        let vm = VMDescription(id: "vm-primary-1", name: "transcoder", image: "img-primary-1", imageBytes: imageBytes,
                                flavor: "m1.small", keyName: "demo-key", securityGroups: ["web"],
                                ports: [.init(id: "port-primary-1", network: net.id, fixedIP: "10.0.0.5")],
                                floatingIP: "192.0.2.10")
        let vol = VolumeDescription(id: "vol-primary-1", name: "transcoder-data", sizeBytes: volumeBytes, type: volumeType,
                         attachedTo: vm.id)
        return TenantWorkload(tenant: tenant, vms: [vm], volumes: [vol], keyPairs: [KeyPair(name: "demo-key")],
                              securityGroups: [sg], networks: [net])
    }
}
