import DRLSimCore

/// What `ReplicationMonitor` samples into `replication.csv`: the packet-level `DRBDDevice` and
/// the fluid `FluidDRBD` (same columns; see each type for how it computes them).
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
}

extension DRBDDevice: ReplicationSource {}
