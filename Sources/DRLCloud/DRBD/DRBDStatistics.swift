/// The counters of a `DRBDDevice` (bytes of application writes unless named resync), kept by
/// the device as it submits, streams, delivers and drops; DRBD exposes the like in
/// `drbdsetup status --statistics` (`written`, `sent`, `received`, `out-of-sync`; drbdsetup(8)).
///
/// The channels count accepted and delivered stream bytes on their own;
/// `DRBDDevice.conservationViolations()` compares the two books.
public struct DRBDStatistics: Sendable, Equatable {
    /// Application bytes submitted.
    public var writtenBytes: Int64 = 0
    /// Application bytes accepted into the replication stream.
    public var replicatedBytes: Int64 = 0
    /// Application bytes delivered to the peer.
    public var deliveredAppBytes: Int64 = 0
    /// Application bytes that only marked the bitmap (rewrites counted each time).
    public var bitmapAbsorbedBytes: Int64 = 0
    /// Application bytes accepted but lost when a connection dropped (re-marked in the bitmap).
    public var droppedAppBytes: Int64 = 0
    /// Resync bytes accepted into the stream.
    public var resyncSentBytes: Int64 = 0
    /// Resync bytes delivered.
    public var resyncDeliveredBytes: Int64 = 0
    /// Resync bytes accepted but lost when a connection dropped.
    public var resyncDroppedBytes: Int64 = 0
    /// Barriers (epochs) closed.
    public var epochs: Int64 = 0
    /// Number of completed resyncs.
    public var resyncsCompleted: Int = 0
    /// Transitions into Ahead.
    public var aheadCount: Int = 0
    /// Bytes the initial full sync must copy (the volume size; 0 without one).
    public var initialSyncBytes: Int64 = 0
    /// Bytes the bitmap made unnecessary to send: data that landed on blocks already out of sync
    /// (rewrites), dirty blocks superseded by a newer mirrored write, minus 4 KiB rounding and
    /// re-marked partial writes. Closes `writtenBytes + initialSyncBytes = peerBytes +
    /// backlogBytes + coalescedBytes` (see `DRBDDevice+Replication.swift`).
    public var coalescedBytes: Int64 = 0
    /// Bytes of writes the peer had received but not yet acknowledged as written (barrier ack,
    /// P_RS_WRITE_ACK) that a connection loss marked out of sync again.
    public var reMarkedOnLossBytes: Int64 = 0
    /// Resync generator runs that c-min-rate held back (requested nothing).
    public var throttledSteps: Int = 0
    /// Resync generator (controller) runs.
    public var controllerRuns: Int = 0
    /// DRBD 9 early runs: all in-flight resync data came back (`drbd_rs_all_in_flight_came_back`).
    public var earlyRuns: Int = 0

    /// No counts yet.
    public init() {}
}
