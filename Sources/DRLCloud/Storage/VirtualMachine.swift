import DRLSimCore

/// A Nova instance on the primary site: its base image, ephemeral disk, attached volume and
/// how fast it runs.
///
/// `speed` scales the VM's workload (1 = normal). A VM snapshot slows the VM while it runs
/// (paper section 3: "taking the snapshot is an intrusive method that ... will impact the
/// performance of the VM"), and an optional pause stops it (speed 0).
public final class VirtualMachine {
    /// VM name (the resource name in `protection.csv`/`rpo.csv`).
    public let name: String
    /// The base Glance image.
    public let image: GlanceImage
    /// The ephemeral root disk (a qcow2 overlay on the base image; its allocated blocks are
    /// what a snapshot adds to the image).
    public let ephemeral: Volume
    /// The attached Cinder volume, if any.
    @exclusivity(unchecked) public internal(set) var volume: Volume?
    /// The host index the VM runs on.
    @exclusivity(unchecked) public var host: Int
    /// Speed factor of the VM's workload (1 normal, 0 paused).
    @exclusivity(unchecked) public private(set) var speed: Double = 1
    @exclusivity(unchecked) private var resumeWaiters: [() -> Void] = []

    /// A VM booted from `image` with an ephemeral disk of `ephemeralSize` bytes on `host`.
    public init(name: String, image: GlanceImage, ephemeralSize: Int64, host: Int = 0) {
        self.name = name
        self.image = image
        self.ephemeral = Volume(name: "\(name).disk", size: ephemeralSize, type: .iscsi)
        self.host = host
    }

    /// Whether the VM is paused.
    public var isPaused: Bool { speed <= 0 }

    /// Sets the speed factor; resuming from a pause wakes waiting workloads.
    public func setSpeed(_ s: Double) {
        let wasPaused = isPaused
        speed = Swift.max(0, s)
        if wasPaused && !isPaused {
            let w = resumeWaiters
            resumeWaiters.removeAll()
            for f in w { f() }
        }
    }

    /// Runs `f` once the VM is not paused (immediately if it runs).
    public func whenRunning(_ f: @escaping () -> Void) {
        if isPaused { resumeWaiters.append(f) } else { f() }
    }

    /// The size of a full VM snapshot image: the flattened disk, i.e. the base image's data
    /// (`GlanceImage.dataSize`) plus the ephemeral overlay's allocated blocks (`qemu-img convert`
    /// of base + overlay in Nova's snapshot; blocks the overlay rewrote over base data count twice,
    /// an over-estimate of at most the overlay's writes).
    public var snapshotSize: Int64 { image.dataSize + ephemeral.allocated.setBytes }
}
