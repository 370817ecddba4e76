/// Sequential read and write rates of one storage tier, in bytes per second.
///
/// Defaults come from the testbed's disks (paper section 6.1): the primary (Umeå) had
/// 2 x Samsung SM843T 120 GB enterprise SATA SSDs and 2 x 2 TB HGST SATA HDDs per server, the
/// backup (Luleå) only 2 x 2 TB HGST SATA HDDs. Data-sheet class figures: SM843T about
/// 500 MB/s sequential read and 400 MB/s sequential write (SATA 6 Gb/s enterprise SSDs of that
/// generation: 520-540 MB/s read, 390-520 MB/s write); 7200 rpm 2 TB HGST Ultrastar/Deskstar
/// SATA drives about 150 MB/s sustained transfer. These are upper bounds a single stream sees;
/// scenario files can override every rate.
public struct DiskProfile: Hashable, Sendable, Codable {
    /// Sequential read rate (B/s).
    public var readBytesPerSecond: Double
    /// Sequential write rate (B/s).
    public var writeBytesPerSecond: Double

    /// A profile with the given rates.
    public init(readBytesPerSecond: Double, writeBytesPerSecond: Double) {
        self.readBytesPerSecond = readBytesPerSecond
        self.writeBytesPerSecond = writeBytesPerSecond
    }

    /// Samsung SM843T class enterprise SATA SSD: 500 MB/s read, 400 MB/s write (see type doc).
    public static let enterpriseSSD = DiskProfile(readBytesPerSecond: 500e6, writeBytesPerSecond: 400e6)
    /// 2 TB 7200 rpm HGST SATA HDD: 150 MB/s read and write (see type doc).
    public static let sataHDD = DiskProfile(readBytesPerSecond: 150e6, writeBytesPerSecond: 150e6)
}
