import DRLSimCore

/// DRBD's replication state as the primary sees it (drbd_strings.c names).
public enum DRBDReplicationState: String, Sendable {
    /// Connected and mirroring every write.
    case established = "Established"
    /// Congested: writes only mark the bitmap (pull-ahead); the peer is Behind.
    case ahead = "Ahead"
    /// Resyncing the bitmap to the peer; the peer is Inconsistent.
    case syncSource = "SyncSource"
    /// Not a DRBD state: the model's name for Ahead once in-flight data has drained and the
    /// resync-start timer (`resyncDelay`, ~1 s) runs; DRBD still reports Ahead.
    case aheadDrained = "AheadDrained"
    /// No connection: writes mark the bitmap. The device reports `Connecting` while a reconnect
    /// attempt is scheduled (the link failed) and `StandAlone` otherwise (on-congestion
    /// disconnect, which waits for an administrator; or halted).
    case disconnected = "StandAlone"
}

/// The peer's disk state.
public enum DRBDPeerDiskState: String, Sendable {
    /// Identical to the primary up to what is in flight.
    case upToDate = "UpToDate"
    /// Consistent but older (Behind/Outdated): usable for failover.
    case consistent = "Outdated"
    /// Being resynced: not usable for failover.
    case inconsistent = "Inconsistent"
}

/// Inputs of the connection state machine.
public enum DRBDInput: Sendable, Equatable {
    /// A new application write; `congested` per congestion-fill/congestion-extents.
    case write(congested: Bool)
    /// Everything sent has been acknowledged (in-flight is zero).
    case drained
    /// The resync-start timer fired.
    case resyncTimer
    /// The bitmap is empty and every resync byte reached the peer.
    case resyncComplete
    /// The connection was lost: the peer left data unacknowledged past ping-int + ping-timeout
    /// with the path cut, or past ko-count x timeout.
    case connectionLost
    /// The reconnect timer fired and the path is reachable (the handshake can complete).
    case reconnected
    /// An administrator connects a StandAlone resource (`drbdadm connect`).
    case adminConnect
    /// Start an initial full sync.
    case initialSync
}

/// Effects the driver carries out.
public enum DRBDAction: Sendable, Equatable {
    /// Mirror the write into the replication stream.
    case replicate
    /// Only mark the write's blocks in the bitmap.
    case markBitmap
    /// Wait in the send queue (on-congestion block): nothing to do, the write queues.
    case schedule(DRBDTimer, SimDuration)
    /// Begin sending bitmap blocks.
    case startResync
    /// Tear the connection down (pending bytes are lost to the peer; it stays consistent).
    case dropConnection
    /// Open a fresh connection.
    case openConnection
}

/// Timers the state machine asks for.
public enum DRBDTimer: Sendable, Equatable {
    /// Start the resync.
    case resync
    /// Try to reconnect.
    case reconnect
}

/// DRBD's connection/replication logic as a pure state machine: input -> new state + actions
/// (drbd-and-tc.md "Pull-ahead", drbd_req.c `maybe_pull_ahead`, drbd_receiver.c resync).
public struct DRBDStateMachine: Sendable {
    /// Current replication state.
    public private(set) var state: DRBDReplicationState = .established
    /// Current peer disk state.
    public private(set) var peerDisk: DRBDPeerDiskState = .upToDate
    /// The on-congestion policy.
    public let policy: DRBDCongestionPolicy
    /// Delay before the resync starts.
    public let resyncDelay: SimDuration
    /// Reconnect interval.
    public let connectInterval: SimDuration

    /// A machine in Established/UpToDate.
    public init(policy: DRBDCongestionPolicy, resyncDelay: SimDuration, connectInterval: SimDuration) {
        self.policy = policy
        self.resyncDelay = resyncDelay
        self.connectInterval = connectInterval
    }

    /// Applies `input`; returns the actions to carry out.
    public mutating func handle(_ input: DRBDInput) -> [DRBDAction] {
        switch (state, input) {
        case (.established, .write(let congested)):
            guard congested else { return [.replicate] }
            switch policy {
            case .block: return [.replicate]
            case .pullAhead:
                state = .ahead; peerDisk = .consistent
                return [.markBitmap]
            case .disconnect:
                // handle_congestion (drbd_sender.c 9.2; maybe_pull_ahead in 8.4's drbd_req.c)
                // sets C_DISCONNECTING; conn_disconnect then goes StandAlone: no automatic
                // reconnect, an administrator has to `drbdadm connect` (DRBDDevice.connect()).
                state = .disconnected; peerDisk = .consistent
                return [.dropConnection, .markBitmap]
            }
        case (.syncSource, .write(let congested)):
            // While resyncing, application writes are mirrored; congestion can push back to Ahead.
            if congested && policy == .pullAhead { state = .ahead; return [.markBitmap] }
            if congested && policy == .disconnect {
                state = .disconnected
                return [.dropConnection, .markBitmap]
            }
            return [.replicate]
        case (.ahead, .write), (.aheadDrained, .write), (.disconnected, .write):
            return [.markBitmap]
        case (.ahead, .drained):
            state = .aheadDrained
            return [.schedule(.resync, resyncDelay)]
        case (.aheadDrained, .resyncTimer):
            state = .syncSource; peerDisk = .inconsistent
            return [.startResync]
        case (.syncSource, .resyncComplete):
            state = .established; peerDisk = .upToDate
            return []
        case (.established, .initialSync):
            state = .syncSource; peerDisk = .inconsistent
            return [.startResync]
        case (.disconnected, .connectionLost):
            return []
        case (_, .connectionLost):
            // After losing the peer DRBD goes Unconnected -> Connecting and tries at once; a
            // failed attempt waits connect-int before the next (drbd_transport_tcp.c
            // `dtt_connect`; drbd.conf(5) connect-int). The model omits the +-1/7 jitter 9.x
            // puts on connect-int.
            state = .disconnected
            if peerDisk == .upToDate { peerDisk = .consistent }
            return [.dropConnection, .schedule(.reconnect, .zero)]
        case (.disconnected, .adminConnect):
            // `drbdadm connect` on a StandAlone resource: the first attempt at once, then every
            // connect-int while the path is down.
            return [.schedule(.reconnect, .zero)]
        case (.disconnected, .reconnected):
            state = .syncSource
            if peerDisk != .inconsistent { peerDisk = .inconsistent }
            return [.openConnection, .startResync]
        default:
            return []
        }
    }
}
