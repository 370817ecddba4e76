import DRLSimCore

/// A DRBD-replicated volume, packet-level (`DRBDDevice`) or fluid (`FluidDRBD`): what
/// `ReplicationMonitor` samples into `replication.csv` (same columns; see each type for how it
/// computes them) and what the recovery point and failover decision read
/// (`ProtectionService.replica(for:)`).
public protocol ReplicationSource: AnyObject {
    /// Samples latched conditions and returns the classified state.
    func sampleReplicationState() -> ReplicationState
    /// DRBD's own state name.
    var drbdStateName: String { get }
    /// Age of the oldest write the peer lacks.
    var lag: SimDuration { get }
    /// Bytes the peer lacks.
    var backlogBytes: Int64 { get }
    /// Bytes handed to the replication stream so far.
    var sentBytes: Int64 { get }
    /// Application bytes written so far.
    var writtenBytes: Int64 { get }
    /// Seconds to synced (nil: unknown).
    var etaSynced: Double? { get }
    /// Bytes delivered to the peer (application + resync).
    var peerBytes: Int64 { get }
    /// Bytes the bitmap made unnecessary.
    var coalescedBytes: Int64 { get }
    /// Bytes of the initial full sync.
    var initialSyncBytes: Int64 { get }
    /// Called after every change of the source.
    var observer: (() -> Void)? { get set }
    /// The replicated volume.
    var volume: Volume { get }
    /// The peer disk's state (failover needs it consistent).
    var peerDiskState: DRBDPeerDiskState { get }
    /// The primary's state the peer holds (the instant of the oldest write it lacks, or now).
    func recoveryPoint() -> SimInstant?
}

/// The packet-level device's three counters the protocol asks for, read from its `statistics`.
extension DRBDDevice: ReplicationSource {
    /// `statistics.writtenBytes`.
    public var writtenBytes: Int64 { statistics.writtenBytes }
    /// `statistics.coalescedBytes`.
    public var coalescedBytes: Int64 { statistics.coalescedBytes }
    /// `statistics.initialSyncBytes`.
    public var initialSyncBytes: Int64 { statistics.initialSyncBytes }
}
