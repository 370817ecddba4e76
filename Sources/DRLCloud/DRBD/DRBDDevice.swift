import DRLSimCore
import DRLNetwork
import DequeModule

/// A DRBD device (primary side) over a WAN transfer channel: local disk writes plus
/// replication to the peer at the backup site, with protocols A/B/C, the send buffer as the
/// burst absorber and data-loss window, on-congestion block/pull-ahead/disconnect, the 4 KiB
/// out-of-sync bitmap, resync (fixed or dynamic) and the peer's disk state.
///
/// Sources: Docs/drbd-model.md (every rule with its DRBD 9.2 / 8.4 function), drbd-and-tc.md,
/// drbd.conf(5), drbd_req.c (`__maybe_pull_ahead`), drbd_sender.c (`drbd_rs_controller`,
/// `make_resync_request`), drbd_receiver.c (`drbd_rs_c_min_rate_throttle`); paper §4.2
/// (protocol A, block). `config.version` picks DRBD 9 (default) or 8.4 where they differ.
///
/// Counters live in `statistics` (`DRBDStatistics`); `conservationViolations()`
/// (`DRBDDevice+Statistics.swift`) compares them with what the channels counted on their own.
/// Files: the stream (`+Stream`), connection and actions (`+Connection`), resync (`+Resync`),
/// the live replication view (`+Replication`), counters and checks (`+Statistics`).
/// Simplifications: the source pushes resync data (no request round trip); barrier packets and
/// headers add no bytes (epochs are counted); max-buffers gates the sender on the peer's disk
/// backlog instead of through the receive window; the keep-alive is not simulated packet by
/// packet: a watchdog on acknowledgement progress, and an idle keep-alive after ping-int of
/// silence, ask the network whether the path is cut (`DRBDDevice+Replication.swift`).
///
/// The live replication view (`replicationState`, `lag`, `backlogBytes`, `etaSynced`) and its
/// identity `writtenBytes + initialSyncBytes = peerBytes + backlogBytes + coalescedBytes` are
/// in `DRBDDevice+Replication.swift`; `ReplicationMonitor` samples them into `replication.csv`.
public final class DRBDDevice: BlockDevice {
    /// The replicated volume.
    public unowned let volume: Volume
    /// Configuration.
    public let config: DRBDConfig
    /// The connection state machine.
    @exclusivity(unchecked) public internal(set) var machine: DRBDStateMachine
    /// Out-of-sync blocks (4 KiB).
    @exclusivity(unchecked) public internal(set) var bitmap: BlockBitmap

    /// The device's counters (`DRBDStatistics`), read as `statistics.x` (the one home of each
    /// counter; `ReplicationSource` forwards three of them).
    @exclusivity(unchecked) public internal(set) var statistics = DRBDStatistics()
    /// State changes (time, state, peer disk) for inspection.
    @exclusivity(unchecked) public internal(set) var stateLog: [(SimInstant, DRBDReplicationState, DRBDPeerDiskState)] = []
    /// Called after every change of the device (writes, deliveries, acknowledgements, timers);
    /// the replication monitor classifies the state here.
    @exclusivity(unchecked) public var observer: (() -> Void)?
    /// The "send buffer filling" condition of `replicationState`, latched like a Schmitt
    /// trigger: set when the unacknowledged data reaches half the send buffer, cleared only
    /// below a quarter, so a writer hovering at the threshold does not flip the state per write.
    @exclusivity(unchecked) var sendBufferFillingLatched = false

    let sim: Simulator
    let network: TransferNetwork
    let source: String
    let destination: String
    @exclusivity(unchecked) var channel: TransferChannel?
    @exclusivity(unchecked) var localDisk: DiskServer
    @exclusivity(unchecked) var peerDisk: DiskServer
    @exclusivity(unchecked) var halted = false

    struct Item {
        var write: BlockWrite
        var issued: SimInstant
        var isResync: Bool
        var remaining: Int64
        var localDone: SimInstant
        var completion: ((SimInstant) -> Void)?
        var streamStart: Int64 = -1
        var streamEnd: Int64 = 0
        var deliveredUpTo: Int64 = 0      // stream position delivered within this item
        var peerDiskDelay: SimDuration = .zero
    }
    @exclusivity(unchecked) var pending = Deque<Item>()
    @exclusivity(unchecked) var undelivered = Deque<Item>()
    @exclusivity(unchecked) var unacked = Deque<Item>()
    @exclusivity(unchecked) var pendingAppBytesCount: Int64 = 0
    @exclusivity(unchecked) var pendingResyncBytes: Int64 = 0
    /// DRBD's `ap_in_flight`: application bytes handed to the socket (RQ_NET_SENT) and not yet
    /// done (RQ_NET_DONE, set by the peer's barrier ack, which comes once the peer has the
    /// epoch's writes on disk: here the TCP acknowledgement plus the peer disk's delay).
    @exclusivity(unchecked) var apInFlightBytes: Int64 = 0
    /// The connection's `rs_in_flight` (9.2 drbd_sender.c/receiver.c): resync bytes sent and not
    /// yet acknowledged by P_RS_WRITE_ACK (peer disk done), counted by congestion-fill in 9.
    @exclusivity(unchecked) var rsInFlightBytes: Int64 = 0
    /// Connection generation: releases scheduled for a dropped connection are void.
    @exclusivity(unchecked) var connectionEpoch = 0
    /// Writes (and resync data) acknowledged by the transport whose barrier ack / P_RS_WRITE_ACK
    /// is still due, by serial: a connection loss marks them out of sync.
    @exclusivity(unchecked) var awaitingPeerAck: [Int: Item] = [:]
    @exclusivity(unchecked) var peerAckSerial = 0
    @exclusivity(unchecked) var streamBase: Int64 = 0          // stream offset of this connection's byte 0
    @exclusivity(unchecked) var streamAccepted: Int64 = 0      // cumulative stream bytes over all connections
    @exclusivity(unchecked) var deliveredPos: Int64 = 0        // stream position delivered to the peer
    @exclusivity(unchecked) var extentRefs: [Int64: Int] = [:]
    @exclusivity(unchecked) var writesInEpoch: Int64 = 0
    @exclusivity(unchecked) var behindSince: SimInstant? = nil
    @exclusivity(unchecked) var resyncTimer: EventID? = nil
    @exclusivity(unchecked) var controllerTimer: EventID? = nil
    @exclusivity(unchecked) var reconnectTimer: EventID? = nil
    @exclusivity(unchecked) var gateTimer: EventID? = nil
    @exclusivity(unchecked) var resyncCursor: Int64 = 0
    @exclusivity(unchecked) var controller: ResyncController
    @exclusivity(unchecked) var unsyncedSince: SimInstant? = nil   // oldest write the bitmap (or an Inconsistent peer) owes
    @exclusivity(unchecked) var initialSyncActive = false
    @exclusivity(unchecked) var watchdog = ConnectionWatchdog()     // stalled / ko-count / ping-int
    @exclusivity(unchecked) var goodput = GoodputEstimate()          // recentGoodput
    @exclusivity(unchecked) var resyncMarks = ResyncMarks()         // c-min-rate's progress marks
    @exclusivity(unchecked) var lastStepAt: SimInstant = .zero      // the resync generator's last run
    /// Stream bytes the closed connections' channels accepted and delivered (their own counts,
    /// kept for `conservationViolations`).
    @exclusivity(unchecked) var closedChannels = ChannelBooks()

    /// A DRBD device replicating `volume` from site `source` to `destination` over `network`.
    /// - Parameters:
    ///   - localWriteRate: the primary volume tier's write rate (B/s);
    ///   - peerWriteRate: the backup's disk write rate (B/s).
    public init(volume: Volume, sim: Simulator, network: TransferNetwork, source: String, destination: String,
                config: DRBDConfig = DRBDConfig(), localWriteRate: Double, peerWriteRate: Double) {
        self.volume = volume
        self.sim = sim
        self.network = network
        self.source = source
        self.destination = destination
        self.config = config
        self.machine = DRBDStateMachine(policy: config.protocolKind == .A ? config.onCongestion : .block,
                                        resyncDelay: config.resyncDelay, connectInterval: config.connectInterval)
        self.bitmap = BlockBitmap(capacity: volume.size)
        self.localDisk = DiskServer(bytesPerSecond: localWriteRate)
        self.peerDisk = DiskServer(bytesPerSecond: peerWriteRate)
        self.controller = ResyncController(config: config)
        openChannel()
        logState()
        if config.initialFullSync {
            bitmap.setAll()
            statistics.initialSyncBytes = volume.size
            statistics.coalescedBytes += volume.size - bitmap.setBytes
            unsyncedSince = sim.now
            initialSyncActive = true
            apply(machine.handle(.initialSync))
            logState()
        }
        watch()
    }

    public var capacity: Int64 { volume.size }
    /// The replication state.
    public var state: DRBDReplicationState { machine.state }
    /// The peer's disk state.
    public var peerDiskState: DRBDPeerDiskState { machine.peerDisk }
    /// Application bytes waiting for send-buffer space (blocked writes).
    public var pendingAppBytes: Int64 { pendingAppBytesCount }
    /// Bytes marked out of sync (dirty blocks x 4 KiB).
    public var outOfSyncBytes: Int64 { bitmap.setBytes }
    /// The current send channel.
    public var currentChannel: TransferChannel? { channel }

    // MARK: Writes

    public func submit(_ write: BlockWrite, completion: @escaping (SimInstant) -> Void) {
        volume.noteWrite(write, at: sim.now)
        statistics.writtenBytes += write.length
        let localDone = localDisk.reserve(bytes: write.length, at: sim.now)
        if halted {
            statistics.bitmapAbsorbedBytes += write.length
            markOutOfSync(write, accounted: write.length, since: sim.now)
            finish(completion, at: localDone)
            notify()
            return
        }
        let actions = machine.handle(.write(congested: isCongested()))
        logState()
        var replicate = false
        for a in actions {
            switch a {
            case .replicate: replicate = true
            case .markBitmap: break
            default: apply([a])
            }
        }
        if machine.state == .ahead, behindSince == nil {
            behindSince = sim.now
            statistics.aheadCount += 1
            checkDrained()
        }
        if replicate {
            // A write mirrored during a resync marks its blocks in sync under every protocol
            // (protocol version >= 100, i.e. 8.4 and 9): `drbd_send_dblock` (drbd_main.c) sets
            // DP_MAY_SET_IN_SYNC and, "during resync, even in protocol != C", DP_SEND_WRITE_ACK;
            // the peer's `e_end_block` (drbd_receiver.c) answers P_WRITE_ACK_IN_SYNC and the
            // request gets RQ_NET_SIS, so the source clears the bits (drbd_req.c). Issue #18
            // point 2 (only C clears) holds for 8.3's older protocol only. Simplification: the
            // model clears at submit, not at the write ack (a write lost with the connection
            // is re-marked by `dropConnection`).
            if machine.state == .syncSource {
                statistics.coalescedBytes += bitmap.clear(offset: write.offset, length: write.length) * bitmap.blockSize
            }
            var it = Item(write: write, issued: sim.now, isResync: false, remaining: write.length,
                          localDone: localDone, completion: completion)
            if config.protocolKind != .A { it.completion = completion }
            pending.append(it)
            pendingAppBytesCount += write.length
            addExtents(write, +1)
            writesInEpoch += 1
            if writesInEpoch >= config.maxEpochSize { writesInEpoch = 0; statistics.epochs += 1 }
            pump()
        } else {
            statistics.bitmapAbsorbedBytes += write.length
            markOutOfSync(write, accounted: write.length, since: sim.now)
            finish(completion, at: localDone)
        }
        watch()
        notify()
    }

    /// Marks `write`'s blocks out of sync; `accounted` bytes of backlog move into the bitmap
    /// (the difference to the newly dirtied bytes is coalesced); `since` is the oldest write
    /// the peer now lacks because of it.
    func markOutOfSync(_ write: BlockWrite, accounted: Int64, since: SimInstant) {
        let added = bitmap.set(offset: write.offset, length: write.length)
        statistics.coalescedBytes += accounted - added * bitmap.blockSize
        unsyncedSince = Swift.min(unsyncedSince ?? since, since)
    }

    /// Congestion per drbd_req.c `__maybe_pull_ahead` (9.2) / `maybe_pull_ahead` (8.4): data in
    /// flight >= congestion-fill, or activity-log extents in use >= congestion-extents. In
    /// flight = `ap_in_flight` (application bytes handed to the socket, released at the barrier
    /// ack; writes still waiting for socket space do not count) plus, in DRBD 9, the
    /// connection's `rs_in_flight` (resync bytes sent, released at P_RS_WRITE_ACK); 8.4 counts
    /// application bytes only.
    func isCongested() -> Bool {
        let inFlight = apInFlightBytes + (config.version == .v9 ? rsInFlightBytes : 0)
        if config.congestionFill > 0 && inFlight >= config.congestionFill { return true }
        return Int64(extentRefs.count) >= config.congestionExtents
    }

    func addExtents(_ w: BlockWrite, _ d: Int) {
        let e = ByteUnits.activityLogExtent
        guard w.length > 0 else { return }
        for x in (w.offset / e)...((w.offset + w.length - 1) / e) {
            let n = (extentRefs[x] ?? 0) + d
            if n <= 0 { extentRefs[x] = nil } else { extentRefs[x] = n }
        }
    }

    func finish(_ completion: ((SimInstant) -> Void)?, at t: SimInstant) {
        guard let completion else { return }
        sim.schedule(at: Swift.max(t, sim.now)) { s in completion(s.now) }
    }

    // MARK: Recovery point

    /// The newest instant whose state the peer can recover: nil while the peer is Inconsistent.
    ///
    /// Under protocol A the peer holds an ordered prefix of the writes (epochs keep order), so
    /// the recovery point is the issue time of the first write that has not fully arrived,
    /// or `now` when everything arrived; while Behind/disconnected it is at most the instant
    /// the primary stopped mirroring.
    public func recoveryPoint() -> SimInstant? {
        guard machine.peerDisk != .inconsistent else { return nil }
        var rp = sim.now
        if let u = undelivered.first(where: { !$0.isResync }) { rp = Swift.min(rp, u.issued) }
        if let p = pending.first(where: { !$0.isResync }) { rp = Swift.min(rp, p.issued) }
        if let b = behindSince { rp = Swift.min(rp, b) }
        return rp
    }
}
