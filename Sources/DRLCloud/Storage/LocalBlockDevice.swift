import DRLSimCore

/// A plain local disk: a write completes when the site's disk has written it
/// (`DiskServer` at the tier's write rate). Used for iSCSI/LVM volumes and ephemeral disks.
public final class LocalBlockDevice: BlockDevice {
    /// The volume this device writes.
    public unowned let volume: Volume
    let sim: Simulator
    @exclusivity(unchecked) var disk: DiskServer

    /// A device for `volume` writing at `diskWriteRate` B/s.
    public init(volume: Volume, sim: Simulator, diskWriteRate: Double) {
        self.volume = volume
        self.sim = sim
        self.disk = DiskServer(bytesPerSecond: diskWriteRate)
    }

    public var capacity: Int64 { volume.size }

    public func submit(_ write: BlockWrite, completion: @escaping (SimInstant) -> Void) {
        volume.noteWrite(write, at: sim.now)
        let done = disk.reserve(bytes: write.length, at: sim.now)
        sim.schedule(at: done) { s in completion(s.now) }
    }
}
