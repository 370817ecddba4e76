import DRLSimCore
import DRLNetwork

/// The replication stream of a DRBD device: offering queued writes to the channel as the send
/// buffer allows (drbd_sender.c `drbd_send_dblock` over the socket), the max-buffers gate, the
/// byte-accurate attribution of delivered and acknowledged stream bytes to writes, and the
/// barrier ack / P_RS_WRITE_ACK that releases `ap_in_flight` / `rs_in_flight`
/// (Docs/drbd-model.md).
extension DRBDDevice {
    // MARK: Stream

    /// Offers pending items to the channel in order, as far as the send buffer allows.
    func pump() {
        guard let ch = channel, !halted else { return }
        if peerBacklogBytes() > config.maxBuffers * ByteUnits.bitmapBlock { armGate(); return }
        while var head = pending.first {
            let wasIdle = ch.undeliveredBytes == 0
            let n = ch.offer(head.remaining)
            if n == 0 { break }
            if wasIdle { goodput.busySince = sim.now }
            if head.streamStart < 0 { head.streamStart = streamAccepted; head.deliveredUpTo = streamAccepted }
            head.remaining -= n
            streamAccepted += n
            if head.isResync { statistics.resyncSentBytes += n; pendingResyncBytes -= n }
            else { statistics.replicatedBytes += n; pendingAppBytesCount -= n }
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
        watchdog.lastHeard = sim.now
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
        if resync { statistics.resyncDeliveredBytes += n } else { statistics.deliveredAppBytes += n }
    }

    func acknowledged(upTo streamPos: Int64) {
        watchdog.lastProgress = sim.now
        watchdog.lastHeard = sim.now
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
}
