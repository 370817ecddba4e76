import DRLSimCore

/// One datacenter: hosts that are up or down, and the Glance images, VMs and Cinder volumes
/// it holds (the primary) or receives (the backup).
public final class Site {
    /// The site's configuration.
    public let config: SiteConfig
    /// Up/down state per host.
    public private(set) var hostUp: [Bool]
    /// VMs in creation order.
    public private(set) var vms: [VirtualMachine] = []
    /// Volumes in creation order (ephemeral disks not included).
    public private(set) var volumes: [Volume] = []
    /// Name lookups (an estate's orchestrator asks per resource and tick: O(1), not O(VMs)).
    private var vmIndex: [String: VirtualMachine] = [:]
    private var volumeIndex: [String: Volume] = [:]
    /// Glance images in registration order.
    public private(set) var images: [GlanceImage] = []
    let sim: Simulator

    /// A site with all hosts up.
    public init(config: SiteConfig, sim: Simulator) {
        self.config = config
        self.sim = sim
        self.hostUp = Array(repeating: true, count: config.hosts)
    }

    /// The site name.
    public var name: String { config.name }
    /// Whether at least one host is up.
    public var isUp: Bool { hostUp.contains(true) }

    /// Turns host `i` on or off.
    public func setHost(_ i: Int, up: Bool) { hostUp[i] = up }
    /// Turns every host off (a disaster) or on.
    public func setAllHosts(up: Bool) { for i in hostUp.indices { hostUp[i] = up } }

    /// Registers a Glance image (once per checksum).
    public func addImage(_ image: GlanceImage) {
        if !images.contains(where: { $0.checksum == image.checksum }) { images.append(image) }
    }

    /// Boots a VM from `image` with an ephemeral disk; its disk writes at the image tier's rate.
    @discardableResult
    public func addVM(name: String, image: GlanceImage, ephemeralSize: Int64 = 20 * ByteUnits.GiB,
                      host: Int = 0) -> VirtualMachine {
        addImage(image)
        let vm = VirtualMachine(name: name, image: image, ephemeralSize: ephemeralSize, host: host)
        vm.ephemeral.device = LocalBlockDevice(volume: vm.ephemeral, sim: sim,
                                               diskWriteRate: config.imageDisk.writeBytesPerSecond)
        vms.append(vm)
        if vmIndex[name] == nil { vmIndex[name] = vm }
        return vm
    }

    /// Creates a volume; an iSCSI volume gets a local device, a DRBD volume gets its device
    /// from `attachDRBD` (see `DRBDDevice`). Attaches it to `vm` when given.
    @discardableResult
    public func addVolume(name: String, size: Int64, type: VolumeType, attachTo vm: VirtualMachine? = nil) -> Volume {
        let v = Volume(name: name, size: size, type: type)
        v.device = LocalBlockDevice(volume: v, sim: sim, diskWriteRate: config.volumeDisk.writeBytesPerSecond)
        volumes.append(v)
        if volumeIndex[name] == nil { volumeIndex[name] = v }
        vm?.volume = v
        return v
    }

    /// Replaces a volume's device (DRBD wiring).
    public func setDevice(_ device: BlockDevice, for volume: Volume) { volume.device = device }

    /// The VM named `name` (the first added under it).
    public func vm(named name: String) -> VirtualMachine? { vmIndex[name] }
    /// The volume named `name` (the first added under it).
    public func volume(named name: String) -> Volume? { volumeIndex[name] }
}
