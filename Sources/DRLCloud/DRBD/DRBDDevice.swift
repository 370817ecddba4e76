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
/// Accounting identity (checked by `conservationHolds`):
/// `writtenBytes = deliveredAppBytes + inChannelAppBytes + droppedAppBytes + pendingAppBytes
///  + bitmapAbsorbedBytes`, where dropped bytes are re-marked in the bitmap.
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
    public internal(set) var machine: DRBDStateMachine
    /// Out-of-sync blocks (4 KiB).
    public internal(set) var bitmap: BlockBitmap

    // Counters (bytes of application writes unless named resync).
    /// Application bytes submitted.
    public private(set) var writtenBytes: Int64 = 0
    /// Application bytes accepted into the replication stream.
    public private(set) var replicatedBytes: Int64 = 0
    /// Application bytes delivered to the peer.
    public private(set) var deliveredAppBytes: Int64 = 0
    /// Application bytes that only marked the bitmap (rewrites counted each time).
    public internal(set) var bitmapAbsorbedBytes: Int64 = 0
    /// Application bytes accepted but lost when a connection dropped (re-marked in the bitmap).
    public private(set) var droppedAppBytes: Int64 = 0
    /// Resync bytes accepted into the stream.
    public private(set) var resyncSentBytes: Int64 = 0
    /// Resync bytes delivered.
    public internal(set) var resyncDeliveredBytes: Int64 = 0
    /// Resync bytes accepted but lost when a connection dropped.
    public internal(set) var resyncDroppedBytes: Int64 = 0
    /// Barriers (epochs) closed.
    public private(set) var epochs: Int64 = 0
    /// Number of completed resyncs.
    public internal(set) var resyncsCompleted: Int = 0
    /// Transitions into Ahead.
    public private(set) var aheadCount: Int = 0
    /// State changes (time, state, peer disk) for inspection.
    public private(set) var stateLog: [(SimInstant, DRBDReplicationState, DRBDPeerDiskState)] = []
    /// Bytes the initial full sync must copy (the volume size; 0 without one).
    public private(set) var initialSyncBytes: Int64 = 0
    /// Bytes the bitmap made unnecessary to send: data that landed on blocks already out of sync
    /// (rewrites), dirty blocks superseded by a newer mirrored write, minus 4 KiB rounding and
    /// re-marked partial writes. Closes `writtenBytes + initialSyncBytes = peerBytes +
    /// backlogBytes + coalescedBytes` (see `DRBDDevice+Replication.swift`).
    public internal(set) var coalescedBytes: Int64 = 0
    /// Called after every change of the device (writes, deliveries, acknowledgements, timers);
    /// the replication monitor classifies the state here.
    public var observer: (() -> Void)?
    /// The "send buffer filling" condition of `replicationState`, latched like a Schmitt
    /// trigger: set when the unacknowledged data reaches half the send buffer, cleared only
    /// below a quarter, so a writer hovering at the threshold does not flip the state per write.
    var sendBufferFillingLatched = false

    let sim: Simulator
    let network: TransferNetwork
    let source: String
    let destination: String
    var channel: TransferChannel?
    var localDisk: DiskServer
    var peerDisk: DiskServer
    var halted = false

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
    var pending = Deque<Item>()
    var undelivered = Deque<Item>()
    var unacked = Deque<Item>()
    var pendingAppBytesCount: Int64 = 0
    var pendingResyncBytes: Int64 = 0
    /// DRBD's `ap_in_flight`: application bytes handed to the socket (RQ_NET_SENT) and not yet
    /// done (RQ_NET_DONE, set by the peer's barrier ack, which comes once the peer has the
    /// epoch's writes on disk: here the TCP acknowledgement plus the peer disk's delay).
    var apInFlightBytes: Int64 = 0
    /// The connection's `rs_in_flight` (9.2 drbd_sender.c/receiver.c): resync bytes sent and not
    /// yet acknowledged by P_RS_WRITE_ACK (peer disk done), counted by congestion-fill in 9.
    var rsInFlightBytes: Int64 = 0
    /// Connection generation: releases scheduled for a dropped connection are void.
    var connectionEpoch = 0
    /// Writes (and resync data) acknowledged by the transport whose barrier ack / P_RS_WRITE_ACK
    /// is still due, by serial: a connection loss marks them out of sync.
    var awaitingPeerAck: [Int: Item] = [:]
    var peerAckSerial = 0
    /// Bytes of writes the peer had received but not yet acknowledged as written (barrier ack,
    /// P_RS_WRITE_ACK) that a connection loss marked out of sync again.
    public private(set) var reMarkedOnLossBytes: Int64 = 0
    var streamBase: Int64 = 0          // stream offset of this connection's byte 0
    var streamAccepted: Int64 = 0      // cumulative stream bytes over all connections
    var deliveredPos: Int64 = 0        // stream position delivered to the peer
    var extentRefs: [Int64: Int] = [:]
    var writesInEpoch: Int64 = 0
    var behindSince: SimInstant? = nil
    var resyncTimer: EventID? = nil
    var controllerTimer: EventID? = nil
    var reconnectTimer: EventID? = nil
    var gateTimer: EventID? = nil
    var resyncCursor: Int64 = 0
    var controller: ResyncController
    var unsyncedSince: SimInstant? = nil   // oldest write the bitmap (or an Inconsistent peer) owes
    var initialSyncActive = false
    var watching = false                    // data outstanding since `lastProgress`
    var lastProgress: SimInstant = .zero
    var progressTimer: EventID? = nil
    var idlePingTimer: EventID? = nil
    var lastHeard: SimInstant = .zero       // last packet from the peer (ack, ping ack)
    var busySince: SimInstant = .zero       // the channel went from empty to busy
    var lastDeliveryAt: SimInstant = .zero
    var goodputBytes: Double = 0            // exponentially weighted delivered bytes ...
    var goodputSeconds: Double = 0          // ... over busy seconds
    var rsMarks: [(SimInstant, Int64)] = [] // resync progress marks (time, bytes left), c-min-rate
    var rsLastMark = 0
    var rsLastEvents: Int64 = 0             // peer application bytes at the last busy check
    var lastStepAt: SimInstant = .zero      // the resync generator's last run
    /// Resync generator runs that c-min-rate held back (requested nothing).
    public internal(set) var throttledSteps: Int = 0
    /// Resync generator (controller) runs.
    public internal(set) var controllerRuns: Int = 0
    /// DRBD 9 early runs: all in-flight resync data came back (`drbd_rs_all_in_flight_came_back`).
    public internal(set) var earlyRuns: Int = 0

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
            initialSyncBytes = volume.size
            coalescedBytes += volume.size - bitmap.setBytes
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
    /// Application bytes in the send buffer, qdisc or on the wire (accepted, not delivered).
    public var inChannelAppBytes: Int64 { replicatedBytes - deliveredAppBytes - droppedAppBytes }
    /// Bytes marked out of sync (dirty blocks x 4 KiB).
    public var outOfSyncBytes: Int64 { bitmap.setBytes }
    /// The current send channel.
    public var currentChannel: TransferChannel? { channel }

    /// Whether the accounting identity holds.
    public var conservationHolds: Bool {
        writtenBytes == deliveredAppBytes + inChannelAppBytes + droppedAppBytes + pendingAppBytesCount
            + bitmapAbsorbedBytes
    }

    // MARK: Writes

    public func submit(_ write: BlockWrite, completion: @escaping (SimInstant) -> Void) {
        volume.noteWrite(write, at: sim.now)
        writtenBytes += write.length
        let localDone = localDisk.reserve(bytes: write.length, at: sim.now)
        if halted {
            bitmapAbsorbedBytes += write.length
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
            aheadCount += 1
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
                coalescedBytes += bitmap.clear(offset: write.offset, length: write.length) * bitmap.blockSize
            }
            var it = Item(write: write, issued: sim.now, isResync: false, remaining: write.length,
                          localDone: localDone, completion: completion)
            if config.protocolKind != .A { it.completion = completion }
            pending.append(it)
            pendingAppBytesCount += write.length
            addExtents(write, +1)
            writesInEpoch += 1
            if writesInEpoch >= config.maxEpochSize { writesInEpoch = 0; epochs += 1 }
            pump()
        } else {
            bitmapAbsorbedBytes += write.length
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
        coalescedBytes += accounted - added * bitmap.blockSize
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

    // MARK: Stream

    /// Offers pending items to the channel in order, as far as the send buffer allows.
    func pump() {
        guard let ch = channel, !halted else { return }
        if peerBacklogBytes() > config.maxBuffers * ByteUnits.bitmapBlock { armGate(); return }
        while var head = pending.first {
            let wasIdle = ch.undeliveredBytes == 0
            let n = ch.offer(head.remaining)
            if n == 0 { break }
            if wasIdle { busySince = sim.now }
            if head.streamStart < 0 { head.streamStart = streamAccepted; head.deliveredUpTo = streamAccepted }
            head.remaining -= n
            streamAccepted += n
            if head.isResync { resyncSentBytes += n; pendingResyncBytes -= n }
            else { replicatedBytes += n; pendingAppBytesCount -= n }
            if head.remaining > 0 { pending[pending.startIndex] = head; break }
            pending.removeFirst()
            head.streamEnd = streamAccepted
            head.deliveredUpTo = Swift.max(head.deliveredUpTo, head.streamStart)
            if !head.isResync, config.protocolKind == .A {
                finish(head.completion, at: head.localDone)
                head.completion = nil
            }
            undelivered.append(head)
            unacked.append(head)
            if head.isResync { rsInFlightBytes += head.write.length } else { apInFlightBytes += head.write.length }
        }
    }

    func peerBacklogBytes() -> Int64 {
        let left = peerDisk.busyUntil - sim.now
        guard left > .zero else { return 0 }
        return Int64(left.seconds * peerDisk.bytesPerSecond)
    }

    func armGate() {
        guard gateTimer == nil else { return }
        let limit = config.maxBuffers * ByteUnits.bitmapBlock
        let excess = peerBacklogBytes() - limit
        let wait = SimDuration.transmission(bytes: Swift.max(1, excess), bitsPerSecond: peerDisk.bytesPerSecond * 8)
        gateTimer = sim.schedule(after: wait) { [self] _ in self.gateTimer = nil; self.pump(); self.watch(); self.notify() }
    }

    func openChannel() {
        // sndbuf-size 0 (auto): DRBD leaves the socket unlocked (drbd_transport_tcp.c
        // `dtt_setbufsize` only sets and locks sk_sndbuf for a non-zero size), so Linux autotunes
        // it up to tcp_wmem[2]; an explicit size stays fixed.
        let ch = config.sendBuffer == nil
            ? network.openAutotunedChannel(from: source, to: destination, trafficClass: TrafficClassName.replication,
                                           maxSendBuffer: DRBDConfig.autotunedSendBuffer)
            : network.openChannel(from: source, to: destination, trafficClass: TrafficClassName.replication,
                                  sendBuffer: config.effectiveSendBuffer)
        streamBase = streamAccepted
        let base = streamBase
        ch.onSpace = { [weak self] in self?.pump() }
        ch.onDelivered = { [weak self] total in self?.delivered(upTo: base + total) }
        ch.onAcknowledged = { [weak self] total in self?.acknowledged(upTo: base + total) }
        channel = ch
        lastHeard = sim.now
    }

    /// Attributes newly delivered stream bytes to items in stream order, byte-accurately
    /// (the head of the pending queue may be partly accepted and partly delivered).
    func delivered(upTo streamPos: Int64) {
        guard streamPos > deliveredPos else { return }
        noteGoodput(streamPos - deliveredPos)
        deliveredPos = streamPos
        defer { notify() }
        while var head = undelivered.first {
            let upTo = Swift.min(streamPos, head.streamEnd)
            if upTo > head.deliveredUpTo {
                credit(upTo - head.deliveredUpTo, resync: head.isResync)
                head.deliveredUpTo = upTo
            }
            guard head.deliveredUpTo >= head.streamEnd else { undelivered[undelivered.startIndex] = head; break }
            undelivered.removeFirst()
            let done = peerDisk.reserve(bytes: head.write.length, at: sim.now)
            let idx = unacked.count - undelivered.count - 1
            if idx >= 0 { unacked[unacked.startIndex + idx].peerDiskDelay = done - sim.now }
        }
        if undelivered.isEmpty, var p = pending.first, p.streamStart >= 0 {
            let accepted = p.streamStart + (p.write.length - p.remaining)
            let upTo = Swift.min(streamPos, accepted)
            if upTo > p.deliveredUpTo {
                credit(upTo - p.deliveredUpTo, resync: p.isResync)
                p.deliveredUpTo = upTo
                pending[pending.startIndex] = p
            }
        }
        checkResyncComplete()
    }

    private func credit(_ n: Int64, resync: Bool) {
        if resync { resyncDeliveredBytes += n } else { deliveredAppBytes += n }
    }

    func acknowledged(upTo streamPos: Int64) {
        lastProgress = sim.now
        lastHeard = sim.now
        defer { watch(); notify() }
        while let head = unacked.first, head.streamEnd <= streamPos {
            unacked.removeFirst()
            releaseInFlight(head)
            if head.isResync {
                controller.acknowledged(head.write.length)
                resyncCameBack()
            } else {
                addExtents(head.write, -1)
                if let c = head.completion {
                    let extra: SimDuration = config.protocolKind == .C ? head.peerDiskDelay : .zero
                    finish(c, at: Swift.max(head.localDone, sim.now + extra))
                }
            }
        }
        checkDrained()
        pump()
    }

    /// The barrier ack (application data) or P_RS_WRITE_ACK (resync) for `item`: the peer
    /// acknowledges once the data is on its disk, i.e. `peerDiskDelay` after the transport's
    /// acknowledgement. While the path is cut the ack cannot arrive: TCP retransmits it, which
    /// the model approximates by looking again every 200 ms (TCP_RTO_MIN) until the path is
    /// back or the connection drops. Simplification: one ack per write instead of one per
    /// epoch (DRBD's `got_BarrierAck` releases a whole epoch, closed by `start_new_tl_epoch`),
    /// and no flush cost for the barrier (the peer's `receive_Barrier` -> `drbd_flush` issues a
    /// cache flush per epoch when disk-flushes is on): the ack comes `peerDiskDelay` after the
    /// write's own transport ack (Docs/drbd-model.md, "Simplifications").
    func releaseInFlight(_ item: Item) {
        let n = item.write.length, resync = item.isResync
        let release = { [self] in if resync { rsInFlightBytes -= n } else { apInFlightBytes -= n } }
        guard item.peerDiskDelay > .zero else { release(); return }
        peerAckSerial += 1
        let key = peerAckSerial
        awaitingPeerAck[key] = item
        schedulePeerAck(key: key, after: item.peerDiskDelay, epoch: connectionEpoch, release: release)
    }

    private func schedulePeerAck(key: Int, after delay: SimDuration, epoch: Int, release: @escaping () -> Void) {
        sim.schedule(after: delay) { [self] _ in
            guard self.connectionEpoch == epoch, !self.halted else { return }
            guard self.network.isReachable(from: self.destination, to: self.source) else {
                self.schedulePeerAck(key: key, after: .milliseconds(200), epoch: epoch, release: release)
                return
            }
            self.awaitingPeerAck[key] = nil
            release()
        }
    }

    func checkDrained() {
        guard machine.state == .ahead, let ch = channel, ch.unacknowledgedBytes == 0, pending.isEmpty else { return }
        apply(machine.handle(.drained))
        logState()
    }

    // MARK: Actions

    func apply(_ actions: [DRBDAction]) {
        for a in actions {
            switch a {
            case .replicate, .markBitmap: break
            case .schedule(.resync, let d):
                if let t = resyncTimer { sim.cancel(t) }
                resyncTimer = sim.schedule(after: d) { [self] _ in
                    self.resyncTimer = nil
                    self.apply(self.machine.handle(.resyncTimer))
                    self.logState()
                    self.notify()
                }
            case .schedule(.reconnect, let d):
                if let t = reconnectTimer { sim.cancel(t) }
                reconnectTimer = sim.schedule(after: d) { [self] _ in
                    self.reconnectTimer = nil
                    guard !self.halted else { return }
                    // The handshake needs the path: try again after connect-int while it is cut.
                    guard self.network.isReachable(from: self.source, to: self.destination) else {
                        self.apply([.schedule(.reconnect, self.config.connectInterval)])
                        self.notify()
                        return
                    }
                    self.apply(self.machine.handle(.reconnected))
                    self.logState()
                    self.watch()
                    self.notify()
                }
            case .startResync:
                behindSince = nil
                startResync()
            case .dropConnection:
                dropConnection()
            case .openConnection:
                openChannel()
            }
        }
    }

    /// Drops the connection: undelivered data is lost to the peer and re-marked out of sync;
    /// blocked writes complete locally.
    func dropConnection() {
        let firstLost = [undelivered.first(where: { !$0.isResync })?.issued,
                         pending.first(where: { !$0.isResync })?.issued].compactMap { $0 }.min()
        if machine.peerDisk != .inconsistent {
            behindSince = Swift.min(behindSince ?? sim.now, firstLost ?? sim.now)
        }
        if let f = firstLost { unsyncedSince = Swift.min(unsyncedSince ?? f, f) }
        channel?.abort()
        channel = nil
        for it in undelivered {
            let lost = it.streamEnd - it.deliveredUpTo
            markOutOfSync(it.write, accounted: lost, since: unsyncedSince ?? sim.now)
            if it.isResync { resyncDroppedBytes += lost } else { droppedAppBytes += lost }
        }
        // DRBD marks every write not yet done (no barrier ack; resync data without
        // P_RS_WRITE_ACK) out of sync on a connection loss (drbd_req.c `__req_mod`
        // CONNECTION_LOST sets RQ_NET_DONE without RQ_NET_OK; `drbd_req_destroy` then sets the
        // bits): also what the peer received but did not confirm. Those bytes reached the peer,
        // so they move nothing out of the backlog (accounted 0: coalescedBytes nets them out).
        let received = unacked.filter { $0.streamEnd <= deliveredPos } + awaitingPeerAck.keys.sorted().map { awaitingPeerAck[$0]! }
        for it in received {
            let before = bitmap.setBytes
            markOutOfSync(it.write, accounted: 0, since: it.isResync ? (unsyncedSince ?? it.issued) : it.issued)
            reMarkedOnLossBytes += bitmap.setBytes - before
        }
        awaitingPeerAck.removeAll()
        for it in unacked where !it.isResync {
            addExtents(it.write, -1)
            if let c = it.completion { finish(c, at: it.localDone) }
        }
        for it in pending {
            let accepted = it.write.length - it.remaining
            let lostAccepted = it.streamStart >= 0 ? it.streamStart + accepted - it.deliveredUpTo : 0
            markOutOfSync(it.write, accounted: lostAccepted + it.remaining, since: unsyncedSince ?? sim.now)
            if it.isResync { resyncDroppedBytes += lostAccepted }
            if !it.isResync {
                // The accepted, undelivered part is dropped; the rest was never in the stream.
                droppedAppBytes += lostAccepted
                bitmapAbsorbedBytes += it.remaining
                addExtents(it.write, -1)
                finish(it.completion, at: it.localDone)
            }
        }
        undelivered.removeAll(); unacked.removeAll(); pending.removeAll()
        apInFlightBytes = 0; rsInFlightBytes = 0; connectionEpoch += 1
        deliveredPos = streamAccepted
        pendingAppBytesCount = 0; pendingResyncBytes = 0
        if let t = controllerTimer { sim.cancel(t); controllerTimer = nil }
        if let t = progressTimer { sim.cancel(t); progressTimer = nil }
        if let t = idlePingTimer { sim.cancel(t); idlePingTimer = nil }
        watching = false
    }

    /// `drbdadm connect`: an administrator reconnects a StandAlone resource (after
    /// on-congestion disconnect). Attempts at once, then every connect-int while the path is
    /// cut; on success the resync starts. Does nothing unless StandAlone.
    public func connect() {
        guard !halted, machine.state == .disconnected, reconnectTimer == nil else { return }
        apply(machine.handle(.adminConnect))
        notify()
    }

    /// The site failed: stop replicating (nothing more reaches the peer), freeze timers.
    public func halt() {
        guard !halted else { return }
        halted = true
        for t in [resyncTimer, controllerTimer, reconnectTimer, gateTimer, progressTimer, idlePingTimer].compactMap({ $0 }) { sim.cancel(t) }
        resyncTimer = nil; controllerTimer = nil; reconnectTimer = nil; gateTimer = nil; progressTimer = nil; idlePingTimer = nil
        channel?.abort()
        notify()
    }

    func logState() {
        let s = (machine.state, machine.peerDisk)
        if let last = stateLog.last, last.1 == s.0, last.2 == s.1 { return }
        stateLog.append((sim.now, s.0, s.1))
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
