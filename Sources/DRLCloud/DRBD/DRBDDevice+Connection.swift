import DRLSimCore

/// The connection side of a DRBD device: the state machine's actions (timers, resync start,
/// connection drop and re-open), `drbdadm connect`, halting on a site failure, and the state log.
extension DRBDDevice {
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
        if let ch = channel { closedChannels.close(ch) }
        channel?.abort()
        channel = nil
        for it in undelivered {
            let lost = it.streamEnd - it.deliveredUpTo
            markOutOfSync(it.write, accounted: lost, since: unsyncedSince ?? sim.now)
            if it.isResync { statistics.resyncDroppedBytes += lost } else { statistics.droppedAppBytes += lost }
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
            statistics.reMarkedOnLossBytes += bitmap.setBytes - before
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
            if it.isResync { statistics.resyncDroppedBytes += lostAccepted }
            if !it.isResync {
                // The accepted, undelivered part is dropped; the rest was never in the stream.
                statistics.droppedAppBytes += lostAccepted
                statistics.bitmapAbsorbedBytes += it.remaining
                addExtents(it.write, -1)
                finish(it.completion, at: it.localDone)
            }
        }
        undelivered.removeAll(); unacked.removeAll(); pending.removeAll()
        apInFlightBytes = 0; rsInFlightBytes = 0; connectionEpoch += 1
        deliveredPos = streamAccepted
        pendingAppBytesCount = 0; pendingResyncBytes = 0
        if let t = controllerTimer { sim.cancel(t); controllerTimer = nil }
        if let t = watchdog.progressTimer { sim.cancel(t); watchdog.progressTimer = nil }
        if let t = watchdog.idlePingTimer { sim.cancel(t); watchdog.idlePingTimer = nil }
        watchdog.watching = false
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
        for t in [resyncTimer, controllerTimer, reconnectTimer, gateTimer, watchdog.progressTimer, watchdog.idlePingTimer].compactMap({ $0 }) { sim.cancel(t) }
        resyncTimer = nil; controllerTimer = nil; reconnectTimer = nil; gateTimer = nil; watchdog.progressTimer = nil; watchdog.idlePingTimer = nil
        channel?.abort()
        notify()
    }

    func logState() {
        let s = (machine.state, machine.peerDisk)
        if let last = stateLog.last, last.1 == s.0, last.2 == s.1 { return }
        stateLog.append((sim.now, s.0, s.1))
    }
}
