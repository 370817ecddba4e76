import DRLSimCore

/// The live replication view of a fluid DRBD device (`replication.csv`, `rpo.csv`), exact for
/// the fluid queue: the FIFO stream's accepted curve A(t) is piecewise linear (breakpoints
/// where the accept rate changes), so the oldest byte the peer lacks, byte `deliveredApp` of
/// the stream, was written at A⁻¹(deliveredApp), found by inverting one linear piece.
///
/// Columns (replication.csv) and how they compare with the packet model:
/// - `lag_s`: now − the oldest write the peer lacks (the stream's A⁻¹, or the first write the
///   bitmap took). APPROXIMATE against the packet model only by the time on the wire: the
///   fluid's delivery is the sender's drain (the packet model counts a write undelivered until
///   its last byte arrives, up to one-way delay + one write's transmission later).
/// - `backlog_bytes` = queued + dirty; `sent_bytes` = accepted + resync delivered (no resync in
///   flight at rate level); `written_bytes`; `eta_synced_s` = backlog / current drain rate
///   (the packet model uses a 5 s goodput average: APPROXIMATE).
/// - `state`: the packet model's classification with `writerBlocked` = throttled at a full send
///   buffer and the same half/quarter send-buffer latch; never `stalled` (no link faults).
extension FluidDRBD: ReplicationSource {
    /// The replication state.
    public var state: DRBDReplicationState { machine.state }
    /// The peer's disk state.
    public var peerDiskState: DRBDPeerDiskState { machine.peerDisk }

    /// The instant at which the accepted curve reached `bytes` (nil: not yet accepted).
    func acceptedAt(_ bytes: Double) -> SimInstant? {
        advance()
        guard bytes < accepted - 1e-6 else { return nil }
        var i = acceptCurve.startIndex
        while i < acceptCurve.endIndex {
            let a = acceptCurve[i]
            let next: (t: SimInstant, bytes: Double) = i + 1 < acceptCurve.endIndex ? acceptCurve[i + 1] : (sim.now, accepted)
            if next.bytes > bytes, next.bytes > a.bytes {
                let f = Swift.max(0, (bytes - a.bytes) / (next.bytes - a.bytes))
                return a.t + .nanoseconds(Int64((Double((next.t - a.t).nanoseconds) * f).rounded(.down)))
            }
            i += 1
        }
        return nil
    }

    /// The issue time of the oldest write the peer lacks (nil: it has everything).
    public var oldestUnsyncedWrite: SimInstant? {
        var t = unsyncedSince
        if queuedBytes > 0.5, let q = acceptedAt(deliveredApp) { t = Swift.min(t ?? q, q) }
        return t
    }

    /// Age of the oldest write the peer lacks; 0 in sync.
    public var lag: SimDuration { oldestUnsyncedWrite.map { sim.now - $0 } ?? .zero }

    /// The newest instant whose state the peer can recover: nil while the peer is Inconsistent
    /// (resyncing); at most the instant the device went Ahead; else the oldest write still in
    /// the stream (the peer holds an ordered prefix: protocol A epochs keep order).
    public func recoveryPoint() -> SimInstant? {
        advance()
        guard machine.peerDisk != .inconsistent else { return nil }
        var rp = sim.now
        if queuedBytes > 0.5, let q = acceptedAt(deliveredApp) { rp = Swift.min(rp, q) }
        if let b = behindSince { rp = Swift.min(rp, b) }
        return rp
    }

    public var backlogBytes: Int64 { advance(); return Int64((queuedBytes + dirtyBytes).rounded()) }
    public var sentBytes: Int64 { advance(); return Int64((accepted + resyncDelivered).rounded()) }
    public var writtenBytes: Int64 { advance(); return Int64(written.rounded()) }
    public var peerBytes: Int64 { advance(); return Int64((deliveredApp + resyncDelivered).rounded()) }
    public var coalescedBytes: Int64 { advance(); return Int64(coalesced.rounded()) }
    public var initialSyncBytes: Int64 { Int64(initialSyncDirty.rounded()) }

    /// Expected seconds to synced: backlog / current drain rate; 0 in sync; nil when nothing drains.
    public var etaSynced: Double? {
        advance()
        let b = queuedBytes + dirtyBytes
        if b < 0.5 { return 0 }
        let drain = rates.drainApp + rates.resync
        return drain > 0 && !halted ? b / drain : nil
    }

    public var drbdStateName: String {
        halted ? DRBDReplicationState.disconnected.rawValue : machine.state.rawValue
    }

    /// Samples the send-buffer latch (set at half the buffer, cleared below a quarter, as the
    /// packet model) and returns the classified state.
    public func sampleReplicationState() -> ReplicationState {
        advance()
        let b = sendBuffer, unacked = queuedBytes + inFlight
        if unacked * 2 >= b { latchFilling = true } else if unacked * 4 < b { latchFilling = false }
        return ReplicationState.classify(connected: !halted, stalled: false, initialSync: initialSyncActive, drbd: machine.state,
                                         writerBlocked: rates.throttled, sendBufferFilling: latchFilling)
    }

    /// written = deliveredApp + queued + bitmapAbsorbed, within `tolerance` bytes.
    public func conservationHolds(tolerance: Double = 1) -> Bool {
        advance()
        return abs(written - (deliveredApp + queuedBytes + bitmapAbsorbed)) <= tolerance
    }

    /// written + initialSync = peerBytes + backlog + coalesced, within `tolerance` bytes (the
    /// packet model's identity, `DRBDDevice.replicationConservationHolds`).
    public func replicationConservationHolds(tolerance: Double = 1) -> Bool {
        advance()
        return abs(written + initialSyncDirty - (deliveredApp + resyncDelivered + queuedBytes + dirtyBytes + coalesced)) <= tolerance
    }
}

extension FluidDRBD {
    /// The writer's accepted rate now (into the stream or the bitmap), B/s: what a rate
    /// writer whose phase ends at a byte count (`FluidTranscoder`) integrates.
    public var acceptedRate: Double { rates.accept + rates.absorb }
}
