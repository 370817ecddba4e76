/// Byte-size constants used by the storage and protection models.
///
/// `KiB`/`MiB`/`GiB` are binary (2^10, 2^20, 2^30); `MB` is SI (10^6), as in the scenario
/// contract (`/work/shared/design/interface.md`, "Units").
public enum ByteUnits {
    /// 1024 bytes.
    public static let KiB: Int64 = 1 << 10
    /// 2^20 bytes.
    public static let MiB: Int64 = 1 << 20
    /// 2^30 bytes.
    public static let GiB: Int64 = 1 << 30
    /// 10^6 bytes.
    public static let MB: Int64 = 1_000_000
    /// The DR engine's Swift chunk object size: 50 MiB = 52428800 B
    /// (orbit-software.md section 3, "Image Snapshot"; also cinder's `backup_swift_object_size`).
    public static let swiftChunk: Int64 = 52_428_800
    /// DRBD's bitmap granularity: one bit per 4 KiB block (drbd-and-tc.md, "Pull-ahead").
    public static let bitmapBlock: Int64 = 4096
    /// DRBD's activity-log extent size: 4 MiB (drbd-and-tc.md, `al-extents`).
    public static let activityLogExtent: Int64 = 4 << 20
}
