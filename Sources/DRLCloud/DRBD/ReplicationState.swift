/// The replication state of one DRBD resource as `replication.csv` reports it: the states AWS
/// Elastic DR shows its users (INITIAL_SYNC, CONTINUOUS, BACKLOG, STALLED, DISCONNECTED;
/// dr-landscape.md), defined from DRBD's own state (drbd-and-tc.md, drbd.conf(5)).
///
/// Precedence, first match wins:
/// 1. `disconnected`: no connection: StandAlone/Connecting (the link was lost, on-congestion
///    disconnect, reconnect pending) or replication halted (site failure, DR layer cut).
/// 2. `stalled`: connected, data outstanding (unacknowledged in the stream or queued for it),
///    and nothing acknowledged for DRBD's `timeout` (6 s); the connection drops later
///    (ping-int + ping-timeout = 10.5 s with the path cut, ko-count x timeout = 42 s otherwise).
/// 3. `initialSync`: the initial full sync has not completed (the peer never was consistent).
/// 4. `backlog`: Ahead/AheadDrained (pull-ahead: writes only mark the bitmap, resync pending),
///    SyncSource (resync after Ahead or a reconnect), or a write waiting for send-buffer
///    space (on-congestion block: the writer is throttled), or the send buffer filling: its
///    unacknowledged data reached half of it and has not yet fallen below a quarter (a
///    Schmitt trigger, so a writer hovering at the threshold does not flip the state per write).
/// 5. `continuous`: Established and the unacknowledged data fits the send buffer without
///    blocking.
public enum ReplicationState: String, Sendable, CaseIterable {
    /// The initial full sync is running.
    case initialSync = "initial-sync"
    /// Every write is mirrored as it comes; the backlog fits the send buffer.
    case continuous
    /// The peer falls behind: Ahead, resyncing, or the writer throttled.
    case backlog
    /// Connected but nothing acknowledged for `timeout` although data is pending.
    case stalled
    /// No connection to the peer.
    case disconnected

    /// The state from DRBD's (a pure function; see the type's precedence list).
    public static func classify(connected: Bool, stalled: Bool, initialSync: Bool, drbd: DRBDReplicationState,
                                writerBlocked: Bool, sendBufferFilling: Bool) -> ReplicationState {
        if !connected || drbd == .disconnected { return .disconnected }
        if stalled { return .stalled }
        if initialSync { return .initialSync }
        switch drbd {
        case .ahead, .aheadDrained, .syncSource: return .backlog
        case .established, .disconnected: break
        }
        if writerBlocked || sendBufferFilling { return .backlog }
        return .continuous
    }
}
