import Foundation
import DRLSimCore

/// The live replication view of a DRBD device (lag, backlog, time to synced; the states AWS
/// Elastic DR reports, dr-landscape.md) and the connection watchdog behind `stalled` and
/// `disconnected` (drbd.conf(5) `timeout`, `ko-count`, `ping-int`, `ping-timeout`).
///
/// Accounting identity (checked by `replicationConservationHolds`):
/// `writtenBytes + initialSyncBytes = peerBytes + backlogBytes + coalescedBytes`, where
/// `peerBytes` = application and resync bytes delivered to the peer and `backlogBytes` = bytes
/// the peer lacks: blocked writes, the stream's undelivered bytes (send buffer, qdisc, wire) and
/// the out-of-sync bitmap (plus resync data requested or in the stream).
extension DRBDDevice {
    /// Time constant of the goodput estimate (busy seconds).
    public static let goodputTimeConstant = 5.0

    /// Application and resync bytes delivered to the peer.
    public var peerBytes: Int64 { statistics.deliveredAppBytes + statistics.resyncDeliveredBytes }

    /// Resync bytes requested or in the stream, not yet delivered.
    public var resyncOutstandingBytes: Int64 {
        pendingResyncBytes + statistics.resyncSentBytes - statistics.resyncDeliveredBytes - statistics.resyncDroppedBytes
    }

    /// Bytes the peer lacks: blocked writes + undelivered stream bytes + out-of-sync bitmap
    /// + outstanding resync bytes.
    public var backlogBytes: Int64 {
        pendingAppBytesCount + inChannelAppBytes + bitmap.setBytes + resyncOutstandingBytes
    }

    /// Bytes handed to the replication socket so far, over all connections (application and
    /// resync; DRBD's `ns`, "network send", counter).
    public var sentBytes: Int64 { streamAccepted }

    /// Whether `writtenBytes + initialSyncBytes = peerBytes + backlogBytes + coalescedBytes`.
    public var replicationConservationHolds: Bool {
        statistics.writtenBytes + statistics.initialSyncBytes == peerBytes + backlogBytes + statistics.coalescedBytes
    }

    /// The issue time of the oldest write the peer does not have (nil: the peer has everything).
    /// While the bitmap is dirty (Ahead, disconnected, resyncing) it is the first write that
    /// went to the bitmap: a resyncing peer is Inconsistent, so nothing newer is recoverable.
    public var oldestUnsyncedWrite: SimInstant? {
        var t = unsyncedSince
        if let u = undelivered.first(where: { !$0.isResync }) { t = Swift.min(t ?? u.issued, u.issued) }
        if let p = pending.first(where: { !$0.isResync }) { t = Swift.min(t ?? p.issued, p.issued) }
        return t
    }

    /// Age of the oldest write the peer lacks; 0 in sync. It is the RPO if the primary died now
    /// only while the peer is consistent: a peer being resynced (Inconsistent) has no usable
    /// state, so `recoveryPoint()` is nil then whatever the lag says.
    public var lag: SimDuration { oldestUnsyncedWrite.map { sim.now - $0 } ?? .zero }

    /// Recent goodput to the peer in B/s: delivered bytes per busy second (time with data in the
    /// stream), exponentially weighted with `goodputTimeConstant`; nil before the first delivery.
    public var recentGoodput: Double? { goodput.rate }

    /// Whether a connection is up (not StandAlone/Connecting, not halted).
    public var isConnected: Bool { !halted && machine.state != .disconnected }

    /// Whether the connection is up, data is outstanding and nothing was acknowledged for
    /// `timeout` (6 s by default).
    public var isStalled: Bool {
        isConnected && watchdog.watching && sim.now - watchdog.lastProgress >= config.timeout
    }

    /// The DRBD state name to report: the replication state, `Connecting` while a reconnect
    /// attempt is scheduled, `StandAlone` once halted (site failure, DR layer cut).
    public var drbdStateName: String {
        if halted { return DRBDReplicationState.disconnected.rawValue }
        if machine.state == .disconnected, reconnectTimer != nil { return "Connecting" }
        return machine.state.rawValue
    }

    /// The connection's send buffer now, in payload bytes: the explicit `sndbuf-size`, or the
    /// autotuned buffer as it has grown so far (`SendBufferAutotune`); without a connection the
    /// configured value (`DRBDConfig.effectiveSendBuffer`).
    public var currentSendBuffer: Int64 { channel?.sendBufferBytes ?? config.effectiveSendBuffer }

    /// Samples the send buffer into the latch (`sendBufferFillingLatched`: set at half the
    /// buffer, cleared below a quarter) and returns the replication state. The monitor calls it
    /// at every change notification and bin; the latch only moves at these samples.
    public func sampleReplicationState() -> ReplicationState {
        let appUnacked = channel.map { $0.unacknowledgedBytes } ?? 0
        let buffer = currentSendBuffer
        if appUnacked * 2 >= buffer { sendBufferFillingLatched = true } else if appUnacked * 4 < buffer { sendBufferFillingLatched = false }
        return replicationState
    }

    /// The replication state (see `ReplicationState.classify`), with the send-buffer condition
    /// as of the last `sampleReplicationState()`; reading it changes nothing.
    public var replicationState: ReplicationState {
        ReplicationState.classify(connected: isConnected, stalled: isStalled, initialSync: initialSyncActive,
                                  drbd: machine.state, writerBlocked: pendingAppBytesCount > 0,
                                  sendBufferFilling: sendBufferFillingLatched)
    }

    /// Expected seconds to synced: backlog / recent goodput; 0 in sync; nil when unknown
    /// (no goodput measured yet, disconnected or stalled).
    public var etaSynced: Double? {
        let b = backlogBytes
        if b == 0 { return 0 }
        guard isConnected, !isStalled, let g = recentGoodput, g > 0 else { return nil }
        return Double(b) / g
    }

    // MARK: Driver hooks

    func notify() { observer?() }

    /// Adds `n` delivered bytes to the goodput estimate.
    func noteGoodput(_ n: Int64) { goodput.delivered(n, at: sim.now, timeConstant: Self.goodputTimeConstant) }

    /// Whether data waits for the peer (unacknowledged in the stream, or queued for it).
    var hasOutstanding: Bool {
        guard channel != nil, !halted else { return false }
        return (channel?.unacknowledgedBytes ?? 0) > 0 || !pending.isEmpty
    }

    /// Starts or ends the no-progress watch: outstanding data arms the watchdog from now.
    func watch() {
        guard hasOutstanding else { watchdog.watching = false; armIdlePing(); return }
        if !watchdog.watching { watchdog.watching = true; watchdog.lastProgress = sim.now }
        armWatchdog()
    }

    func armWatchdog() {
        guard watchdog.progressTimer == nil, watchdog.watching else { return }
        let elapsed = sim.now - watchdog.lastProgress
        let pingLimit = config.pingInterval + config.pingTimeout
        let koLimit = config.timeout * config.koCount
        var next: SimDuration
        if elapsed < config.timeout { next = config.timeout }
        else if elapsed < pingLimit { next = pingLimit }
        else { next = Swift.min(koLimit, elapsed + config.pingInterval) }
        next = Swift.min(next, koLimit)
        watchdog.progressTimer = sim.schedule(at: watchdog.lastProgress + next) { [self] _ in self.watchdogFired() }
    }

    /// No acknowledgement since `lastProgress`: report `stalled` after `timeout`; drop the
    /// connection after ping-int + ping-timeout when the path is cut (the keep-alive goes
    /// unanswered), or after ko-count x timeout in any case.
    func watchdogFired() {
        watchdog.progressTimer = nil
        guard !halted, hasOutstanding, watchdog.watching, machine.state != .disconnected else { watchdog.watching = false; return }
        let elapsed = sim.now - watchdog.lastProgress
        let cut = !network.isReachable(from: source, to: destination)
        if (cut && elapsed >= config.pingInterval + config.pingTimeout) || elapsed >= config.timeout * config.koCount {
            apply(machine.handle(.connectionLost))
            logState()
            notify()
            return
        }
        armWatchdog()
        notify()
    }

    /// The idle keep-alive (drbd.conf(5) ping-int, ping-timeout; the ack receiver in
    /// drbd_receiver.c): after ping-int without a packet from the peer DRBD sends P_PING and
    /// drops the connection if no P_PING_ACK comes within ping-timeout. Here: at ping-int after
    /// the last packet heard, a reachable path answers (the round trip is ignored); a cut one
    /// drops the connection ping-timeout later unless the path is back by then. With data
    /// outstanding the progress watchdog above is in charge.
    func armIdlePing() {
        guard watchdog.idlePingTimer == nil, !halted, channel != nil, machine.state != .disconnected else { return }
        let at = Swift.max(sim.now, watchdog.lastHeard + config.pingInterval)
        watchdog.idlePingTimer = sim.schedule(at: at) { [self] _ in self.idlePingFired() }
    }

    func idlePingFired() {
        watchdog.idlePingTimer = nil
        guard !halted, channel != nil, machine.state != .disconnected, !hasOutstanding else { return }
        if network.isReachable(from: source, to: destination) {
            watchdog.lastHeard = sim.now
            armIdlePing()
            return
        }
        watchdog.idlePingTimer = sim.schedule(after: config.pingTimeout) { [self] _ in
            self.watchdog.idlePingTimer = nil
            guard !self.halted, self.channel != nil, self.machine.state != .disconnected else { return }
            if self.network.isReachable(from: self.source, to: self.destination) {
                self.watchdog.lastHeard = self.sim.now
                self.watch()
                return
            }
            self.apply(self.machine.handle(.connectionLost))
            self.logState()
            self.notify()
        }
    }
}
