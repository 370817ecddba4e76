import DRLSimCore

/// The Cinder volume types the DR engine distinguishes (paper section 4.2): DRBD volumes are
/// protected by volume replication, iSCSI (LVM) volumes by volume snapshots.
public enum VolumeType: String, Sendable, Codable, CaseIterable {
    /// A DRBD-backed volume (continuous replication to the backup site).
    case drbd
    /// A plain iSCSI/LVM volume (periodic snapshot + cinder-backup).
    case iscsi
}

/// A Cinder volume on the primary site: its size, type, allocated blocks and write history.
public final class Volume {
    /// Volume name (the resource name in `protection.csv`/`rpo.csv`).
    public let name: String
    /// Size in bytes.
    public let size: Int64
    /// Volume type.
    public let type: VolumeType
    /// Blocks ever written (4 KiB): what a backup reads as data instead of zeros.
    @exclusivity(unchecked) public internal(set) var allocated: BlockBitmap
    /// Bytes written over time.
    @exclusivity(unchecked) public internal(set) var history = WriteHistory()
    /// The device the workload writes through (plain local disk or DRBD); set by the site.
    @exclusivity(unchecked) public internal(set) var device: BlockDevice!

    /// A volume `name` of `size` bytes and `type`.
    public init(name: String, size: Int64, type: VolumeType) {
        self.name = name
        self.size = size
        self.type = type
        self.allocated = BlockBitmap(capacity: size)
    }

    /// Records a write accepted by the device at `time`.
    func noteWrite(_ w: BlockWrite, at time: SimInstant) {
        allocated.set(offset: w.offset, length: w.length)
        history.record(bytes: w.length, at: time)
    }
}
