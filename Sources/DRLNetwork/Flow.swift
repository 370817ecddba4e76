import DRLSimCore

/// A reliable, window-based byte stream between two sites (a TCP connection, segment level).
///
/// The sender keeps a send buffer of `sendBufferSize` payload bytes holding everything offered and
/// not yet acknowledged (sk_wmem_queued); `offer` accepts only what fits (backpressure: DRBD protocol A
/// blocks on exactly this, drbd-and-tc.md). At most `W = min(cwnd, receiveWindow)` bytes are in
/// flight, and never more than the buffer holds, so throughput <= min(C, W/RTT) (the BDP limit).
/// Segments carrying up to `Framing.segmentPayload` bytes (the link's `segmentSize` as whole MTUs)
/// go through the source link's qdisc, charged their wire length (`Framing.wireLength`); the receiver
/// delivers bytes in order and acknowledges segments (cumulative point + the newest segment, like
/// SACK) over the reverse direction, delaying the ACK of every other small segment up to 40 ms
/// as Linux does (`FlowOptions.delayedAck`).
///
/// Loss recovery: a segment is deemed lost when a segment transmitted after it is acknowledged
/// (RACK, RFC 8985, without a reordering window), which triggers one window reduction per
/// episode (`CongestionWindow.onLoss`, a fast recovery: Linux TCP_CA_Recovery) and its
/// retransmission; tail losses and blocked links are covered by the retransmission timer.
/// RTO: Linux's form of RFC 6298, `__tcp_set_rto` = SRTT + max(4 RTTVAR, `minRTO`) (tcp_input.c
/// `tcp_rtt_estimator` keeps rttvar_us >= tcp_rto_min_us, so the minimum is added to SRTT, not
/// a floor on the sum as RFC 6298 (2.4)); initial 1 s (`TCP_TIMEOUT_INIT`), doubled at each
/// expiry up to 120 s (`TCP_RTO_MAX`), recomputed from the next RTT sample. At expiry
/// (tcp_timer.c `tcp_retransmit_timer` -> `tcp_enter_loss`): every outstanding segment is marked
/// lost and resent from a one-MSS window, slow start follows (TCP_CA_Loss); ssthresh is reduced
/// only when the flow was not already in a recovery or loss episode whose recovery point
/// (`high_seq`) is still unacknowledged, or when the cumulative ACK advanced since the last
/// expiry (`icsk_retransmits` reset) - so back-to-back timeouts of a dead path keep ssthresh.
/// Losses detected during a loss episode are resent without another reduction. RTT samples
/// include qdisc queueing.
///
/// `FlowOptions.extraDelay` adds a one-way delay on the flow's own access path at both ends:
/// data segments reach the receiver that much after leaving the WAN link, ACKs reach the sender
/// that much after leaving it (a FIFO per flow; a blocked WAN link does not affect them).
///
/// Send buffer: fixed (an explicit size: SO_SNDBUF, DRBD `sndbuf-size`, `transport.send_buffer`)
/// or, with `FlowOptions.sendBufferAutotune`, Linux's autotuning (`SendBufferAutotune`,
/// tcp_input.c `tcp_sndbuf_expand`): `socketSendBuffer` (sk_sndbuf, truesize) starts at
/// 2 x TCP_INIT_CWND x per_mss and only grows, through the hook `expandSendBufferIfNeeded()`,
/// which runs after each ACK that freed space for a blocked writer, once the window has been
/// refilled (tcp_data_snd_check -> tcp_check_space -> tcp_new_space); `sendBufferSize` is the
/// payload that sk_sndbuf holds.
///
/// Byte counters count TCP payload (goodput) unless named `wire`; `wireTransmittedBytes` counts
/// what the qdiscs were offered (payload + headers per the link's `Framing`).
///
/// Counters (`statistics`, `FlowStatistics`) and identities (checked by
/// `Network.conservationViolations`, which also compares the flows' wire bytes sent and dropped
/// with the links' own counts):
/// - `offered = acked + unsentBytes + unackedBytes` while open; `offered = delivered + lostOnAbort` after an abort;
/// - `transmitted = firstTransmitted + retransmitted`;
/// - `transmitted = arrived + inNetwork + dropped` (every copy either reached the receiver,
///   is still queued or on a wire, or was dropped).
public final class Flow {
    /// Index in `Network.flows` (also the filter key for `.flow` matches).
    public let id: Int32
    /// Source site.
    public let from: Int
    /// Destination site.
    public let to: Int
    /// Traffic class of the data segments.
    public let trafficClass: TrafficClass
    /// Send buffer size in payload bytes: fixed, or grown by autotuning (never shrinks).
    @exclusivity(unchecked) public private(set) var sendBufferSize: Int64
    /// sk_sndbuf in truesize bytes when autotuned (nil for a fixed buffer).
    @exclusivity(unchecked) public private(set) var socketSendBuffer: Int64?
    /// The autotuning rule (nil: the buffer is fixed).
    public let sendBufferAutotune: SendBufferAutotune?
    /// skb priority of the data segments (prio's priomap).
    public let priority: UInt8
    /// Congestion window state.
    @exclusivity(unchecked) public private(set) var congestion: CongestionWindow

    /// Called when an `offer` had been short and buffer space has since been freed (sk_write_space).
    @exclusivity(unchecked) public var onSpaceAvailable: ((Flow) -> Void)?
    /// Called with the number of bytes newly acknowledged (cumulatively) at the sender.
    @exclusivity(unchecked) public var onAcknowledged: ((Flow, Int64) -> Void)?
    /// Called with the number of bytes newly delivered in order at the receiver.
    @exclusivity(unchecked) public var onDelivered: ((Flow, Int64) -> Void)?
    /// Called when a retransmission timeout fires (after the flow's state was updated).
    @exclusivity(unchecked) public var onTimeout: ((Flow) -> Void)?

    /// The flow's counters (`FlowStatistics`); read them through `statistics` or the accessors
    /// of `Flow+Statistics.swift`. Unchecked exclusivity: the flow runs on its simulator's
    /// thread only, and the hot path updates these per segment (Benchmarks/README.md).
    @exclusivity(unchecked) public internal(set) var statistics = FlowStatistics()
    /// Bytes offered but not yet put in a segment.
    @exclusivity(unchecked) public private(set) var unsentBytes: Int64 = 0
    /// Bytes in segments not yet cumulatively acknowledged.
    @exclusivity(unchecked) public private(set) var unackedBytes: Int64 = 0
    /// Bytes the sender believes are in flight (RFC 6675 `pipe`).
    @exclusivity(unchecked) public private(set) var pipeBytes: Int64 = 0
    /// Smoothed RTT (nil before the first sample).
    @exclusivity(unchecked) public private(set) var smoothedRTT: SimDuration?
    /// The smallest RTT sample.
    @exclusivity(unchecked) public private(set) var minRTT: SimDuration?
    /// True after `abort()`.
    @exclusivity(unchecked) public private(set) var isAborted = false

    /// Bytes currently held by the send buffer.
    public var bufferedBytes: Int64 { unsentBytes + unackedBytes }
    /// Free space in the send buffer.
    public var freeSpace: Int64 { max(0, sendBufferSize - bufferedBytes) }
    /// Bytes offered and not yet acknowledged (what protocol A would lose now).
    public var outstandingBytes: Int64 { bufferedBytes }

    unowned(unsafe) let network: Network
    unowned(unsafe) let link: Link
    unowned(unsafe) let reverse: Link
    let receiveWindow: Int64
    /// Payload bytes of a full segment.
    let segmentSize: Int64
    let framing: Framing
    let hash: UInt32
    @exclusivity(unchecked) var segs = Ring<Segment>(capacity: 64)
    @exclusivity(unchecked) var baseSeg: Int64 = 0          // oldest segment not cumulatively acked
    @exclusivity(unchecked) var rcvNext: Int64 = 0          // receiver's next expected segment
    @exclusivity(unchecked) var nextXmit: Int64 = 0
    @exclusivity(unchecked) var xmits = Ring<XmitRecord>(capacity: 64)
    @exclusivity(unchecked) var retx = Ring<Int64>(capacity: 16)
    @exclusivity(unchecked) var writerBlocked = false
    @exclusivity(unchecked) var inRecovery = false
    @exclusivity(unchecked) var recoveryXmit: Int64 = 0
    @exclusivity(unchecked) var recoveryHighSeg: Int64 = 0   // high_seq of the fast recovery (first segment not sent at its start)
    @exclusivity(unchecked) var lossActive = false          // TCP_CA_Loss after an RTO
    @exclusivity(unchecked) var lossHighSeg: Int64 = 0      // high_seq at tcp_enter_loss
    @exclusivity(unchecked) var rtoSinceProgress = false    // icsk_retransmits != 0: an RTO fired and the cumulative ACK has not moved since
    let extraDelay: SimDuration
    @exclusivity(unchecked) var accessData = Ring<Packet>(capacity: 16)
    @exclusivity(unchecked) var accessAcks = Ring<AckRecord>(capacity: 16)
    @exclusivity(unchecked) var rttVar: Int64 = 0
    @exclusivity(unchecked) var rto: SimDuration = .milliseconds(1000)
    @exclusivity(unchecked) var rtoDeadline: SimInstant?
    @exclusivity(unchecked) var timerAt: SimInstant?
    @exclusivity(unchecked) var cwndLimited = false
    @exclusivity(unchecked) var highestReceived: Int64 = -1
    @exclusivity(unchecked) var pendingAck: AckRecord?
    @exclusivity(unchecked) var delackAt: SimInstant?
    let delayedAck: Bool
    let delayedAckTimeout: SimDuration
    let minRTO: SimDuration
    let rtoFormula: RTOFormula
    let maxRTO: SimDuration = .milliseconds(120_000)

    struct Segment {
        var bytes: Int64
        var lastXmit: Int64 = -1
        var sentAt: SimInstant = .zero
        var inPipe = false
        var sacked = false
        var lost = false
        var received = false
        var retransmitted = false
    }

    struct XmitRecord {
        var segment: Int64
        var transmission: Int64
    }

    init(id: Int32, link: Link, reverse: Link, trafficClass: TrafficClass, sendBuffer: Int64,
         options: FlowOptions, network: Network) {
        self.id = id
        self.from = link.from
        self.to = link.to
        self.link = link
        self.reverse = reverse
        self.trafficClass = trafficClass
        self.priority = options.priority
        self.network = network
        self.sim = network.sim
        self.receiveWindow = options.receiveWindow
        self.framing = link.framing
        self.segmentSize = link.framing.segmentPayload(segmentSize: options.segmentSize ?? link.segmentSize)
        let mss = options.mss ?? link.framing.mss
        self.minRTO = options.minRTO
        self.rtoFormula = options.rtoFormula
        self.delayedAck = options.delayedAck
        self.delayedAckTimeout = options.delayedAckTimeout
        self.congestion = CongestionWindow(algorithm: options.congestionControl, mss: mss,
                                           initialWindow: options.initialWindow * mss, ackCounting: options.ackCounting)
        self.extraDelay = options.extraDelay
        self.sendBufferAutotune = options.sendBufferAutotune
        if let a = options.sendBufferAutotune {
            // tcp_init_buffer_space -> tcp_sndbuf_expand at establishment (cwnd = TCP_INIT_CWND).
            let sk = min(a.wanted(cwndSegments: options.initialWindow, mss: mss), a.maxBytes)
            self.socketSendBuffer = sk
            self.sendBufferSize = a.payloadCapacity(sndbuf: sk, mss: mss, segmentPayload: segmentSize)
        } else {
            self.socketSendBuffer = nil
            self.sendBufferSize = sendBuffer
        }
        // A deterministic flow hash (fq_codel's flow selector): Knuth's multiplicative hash of the id.
        self.hash = UInt32(truncatingIfNeeded: (UInt64(UInt32(bitPattern: id)) &+ 1) &* 2_654_435_761)
    }

    unowned(unsafe) let sim: Simulator

    /// Offers up to `bytes` bytes; returns how many were accepted (the rest does not fit in the
    /// send buffer: wait for `onSpaceAvailable`). An aborted flow accepts nothing.
    @discardableResult
    public func offer(_ bytes: Int64) -> Int64 {
        precondition(bytes >= 0, "offer: negative byte count")
        guard !isAborted else { return 0 }
        let n = min(bytes, freeSpace)
        if n < bytes { writerBlocked = true }
        guard n > 0 else { return 0 }
        statistics.offeredBytes += n
        unsentBytes += n
        trySend()
        return n
    }

    /// Aborts the connection: everything offered and not yet delivered is lost, the buffer is
    /// emptied, timers stop; copies still in the network are discarded when they arrive.
    public func abort() {
        guard !isAborted else { return }
        isAborted = true
        statistics.lostOnAbortBytes = offeredBytes - deliveredBytes
        unsentBytes = 0
        unackedBytes = 0
        pipeBytes = 0
        segs.removeAll()
        xmits.removeAll()
        retx.removeAll()
        rtoDeadline = nil
        writerBlocked = false
        pendingAck = nil
    }

    // MARK: sending

    func trySend() {
        guard !isAborted else { return }
        let window = min(congestion.cwnd, receiveWindow)
        cwndLimited = false
        while true {
            let avail = window - pipeBytes
            if avail <= 0 { cwndLimited = true; break }
            if let s = retx.first {
                let i = Int(s - baseSeg)
                if s < baseSeg || segs[i].sacked || !segs[i].lost { retx.popFirst(); continue }
                retx.popFirst()
                transmit(index: i, retransmission: true)
                continue
            }
            guard unsentBytes > 0 else { break }
            var size = min(segmentSize, unsentBytes)
            if size > avail {
                // Do not send runts: wait for one MSS of window (tcp_snd_wnd_test / TSO deferral).
                if avail < min(congestion.mss, size) && pipeBytes > 0 { cwndLimited = true; break }
                size = max(avail, min(congestion.mss, size))
                cwndLimited = true
            }
            unsentBytes -= size
            unackedBytes += size
            segs.append(Segment(bytes: size))
            transmit(index: segs.count - 1, retransmission: false)
        }
        armTimer()
    }

    func transmit(index i: Int, retransmission: Bool) {
        let now = sim.now
        let seg = baseSeg + Int64(i)
        let x = nextXmit
        nextXmit += 1
        var s = segs[i]
        s.lastXmit = x
        s.sentAt = now
        s.inPipe = true
        s.lost = false
        if retransmission { s.retransmitted = true }
        segs[i] = s
        pipeBytes += s.bytes
        if retransmission { statistics.retransmittedBytes += s.bytes } else { statistics.firstTransmittedBytes += s.bytes }
        statistics.inNetworkBytes += s.bytes
        let wire = framing.wireLength(payload: s.bytes)
        statistics.wireTransmittedBytes += wire
        xmits.append(XmitRecord(segment: seg, transmission: x))
        var p = Packet(bytes: Int(wire), payload: Int(s.bytes), trafficClass: trafficClass, flow: id, priority: priority,
                       hash: hash, segment: seg, transmission: x)
        p.enqueuedAt = now
        link.send(p)
    }

    // MARK: network callbacks

    func dropped(_ p: Packet) {
        statistics.inNetworkBytes -= Int64(p.payload)
        statistics.droppedBytes += Int64(p.payload)
        statistics.droppedWireBytes += Int64(p.bytes)
    }

    /// A data segment reached the receiver.
    func arrived(_ p: Packet) {
        statistics.inNetworkBytes -= Int64(p.payload)
        statistics.arrivedBytes += Int64(p.payload)
        guard !isAborted else { return }
        let seg = p.segment
        let expected = rcvNext
        var duplicate = true
        if seg >= rcvNext {
            let i = Int(seg - baseSeg)
            if i < segs.count, !segs[i].received {
                duplicate = false
                segs[i].received = true
                if seg > highestReceived { highestReceived = seg }
                var newly: Int64 = 0
                while true {
                    let j = Int(rcvNext - baseSeg)
                    guard j < segs.count, segs[j].received else { break }
                    newly += segs[j].bytes
                    rcvNext += 1
                }
                if newly > 0 {
                    statistics.deliveredBytes += newly
                    onDelivered?(self, newly)
                }
            }
        }
        guard !isAborted else { return }
        let ack = AckRecord(flow: id, segment: seg, transmission: p.transmission, cumulative: rcvNext)
        // Delayed ACKs (RFC 1122 4.2.3.2, tcp_input.c __tcp_ack_snd_check): acknowledge at least
        // every second segment; at once for a segment of >= 2 MSS (a GSO packet stands for several
        // wire segments), for duplicates, out-of-order arrivals and while a hole remains.
        let immediate = !delayedAck || duplicate || seg != expected || Int64(p.payload) >= 2 * congestion.mss
            || highestReceived >= rcvNext || pendingAck != nil
        if immediate {
            pendingAck = nil
            statistics.acksSent += 1
            reverse.sendAck(ack)
        } else {
            pendingAck = ack
            if delackAt == nil {
                let t = sim.now + delayedAckTimeout
                delackAt = t
                sim.schedule(at: t, handler: network.handlerID, code: Network.EventCode.delayedAck.rawValue, argument: Int64(id))
            }
        }
    }

    /// The delayed-ACK timer expired: send the pending acknowledgement, if any.
    func delayedAckFired() {
        delackAt = nil
        guard !isAborted, let a = pendingAck else { return }
        pendingAck = nil
        statistics.acksSent += 1
        reverse.sendAck(a)
    }

    /// An acknowledgement reached the sender.
    func ackArrived(_ a: AckRecord) {
        guard !isAborted else { return }
        let now = sim.now
        var newlyAcked: Int64 = 0
        // Per-segment (SACK-like) acknowledgement and RTT sample (the echoed transmission id plays
        // the role of TCP timestamps, so samples of retransmissions are valid).
        if a.segment >= baseSeg {
            let i = Int(a.segment - baseSeg)
            if i < segs.count {
                var s = segs[i]
                if s.lastXmit == a.transmission { sampleRTT(now - s.sentAt) }
                if !s.sacked {
                    s.sacked = true
                    newlyAcked += s.bytes
                    if s.inPipe { s.inPipe = false; pipeBytes -= s.bytes }
                }
                segs[i] = s
            }
        }
        // Cumulative acknowledgement releases the send buffer.
        var freed: Int64 = 0
        while baseSeg < a.cumulative, let s = segs.first {
            if !s.sacked {
                newlyAcked += s.bytes
                if s.inPipe { pipeBytes -= s.bytes }
            }
            freed += s.bytes
            segs.popFirst()
            baseSeg += 1
        }
        // RACK-style loss detection: anything transmitted before this copy and still unacknowledged.
        var lossDetected = false
        while let f = xmits.first, f.transmission <= a.transmission {
            xmits.popFirst()
            if f.transmission == a.transmission { continue }
            guard f.segment >= baseSeg else { continue }
            let i = Int(f.segment - baseSeg)
            var s = segs[i]
            if s.sacked || s.lastXmit != f.transmission || !s.inPipe { continue }
            s.inPipe = false
            s.lost = true
            pipeBytes -= s.bytes
            segs[i] = s
            retx.append(f.segment)
            lossDetected = true
        }
        if inRecovery && a.transmission >= recoveryXmit { inRecovery = false }
        if lossDetected && !inRecovery && !lossActive {
            inRecovery = true
            recoveryXmit = nextXmit
            recoveryHighSeg = baseSeg + Int64(segs.count)
            statistics.lossEpisodes += 1
            congestion.onLoss(now: now)
        } else if !inRecovery && newlyAcked > 0 && cwndLimited {
            congestion.onAck(acked: newlyAcked, now: now, rtt: smoothedRTT ?? .milliseconds(1))
        }
        if freed > 0 {
            rtoSinceProgress = false
            if lossActive && baseSeg >= lossHighSeg { lossActive = false }
            statistics.ackedBytes += freed
            unackedBytes -= freed
            rto = max(rto, minRTO)
            onAcknowledged?(self, freed)
        }
        if pipeBytes > 0 || !retx.isEmpty { rtoDeadline = now + rto } else { rtoDeadline = nil }
        trySend()
        if freed > 0, writerBlocked { expandSendBufferIfNeeded() }
        if freed > 0, writerBlocked, !isAborted, freeSpace > 0 {
            writerBlocked = false
            onSpaceAvailable?(self)
        }
    }

    /// The autotune hook (tcp_input.c `tcp_new_space`): called after an ACK freed buffer space
    /// for a writer that had found the buffer full (SOCK_NOSPACE) and after the window was
    /// refilled. If the buffer is autotuned and the congestion window is not filled
    /// (`tcp_should_expand_sndbuf`: `tcp_packets_in_flight < snd_cwnd`), sk_sndbuf grows to
    /// min(2 x max(10, cwnd) x per_mss, tcp_wmem[2]) (`tcp_sndbuf_expand`); it never shrinks.
    func expandSendBufferIfNeeded() {
        guard let a = sendBufferAutotune, let sk = socketSendBuffer, !isAborted else { return }
        let mss = congestion.mss
        let cwnd = congestion.cwnd
        guard pipeBytes < cwnd else { return }
        let want = min(a.wanted(cwndSegments: cwnd / mss, mss: mss), a.maxBytes)
        guard want > sk else { return }
        socketSendBuffer = want
        sendBufferSize = max(sendBufferSize, a.payloadCapacity(sndbuf: want, mss: mss, segmentPayload: segmentSize))
    }

    func sampleRTT(_ r: SimDuration) {
        let m = r.nanoseconds
        if minRTT == nil || r < minRTT! { minRTT = r }
        if let s = smoothedRTT {
            let err = m - s.nanoseconds
            rttVar += (abs(err) - rttVar) / 4
            smoothedRTT = SimDuration(nanoseconds: s.nanoseconds + err / 8)
        } else {
            smoothedRTT = r
            rttVar = m / 2
        }
        let srtt = smoothedRTT!.nanoseconds
        switch rtoFormula {
        case .linux: rto = min(maxRTO, SimDuration(nanoseconds: srtt + max(4 * rttVar, minRTO.nanoseconds)))
        case .rfc6298: rto = min(maxRTO, SimDuration(nanoseconds: max(srtt + max(4 * rttVar, 1_000_000), minRTO.nanoseconds)))
        }
    }

    // MARK: retransmission timer

    func armTimer() {
        guard !isAborted else { return }
        if pipeBytes > 0 || !retx.isEmpty {
            if rtoDeadline == nil { rtoDeadline = sim.now + rto }
        } else {
            rtoDeadline = nil
        }
        guard let d = rtoDeadline else { return }
        if let t = timerAt, t <= d { return }
        timerAt = d
        sim.schedule(at: d, handler: network.handlerID, code: Network.EventCode.flowTimer.rawValue, argument: Int64(id))
    }

    func timerFired() {
        guard let t = timerAt, t <= sim.now else { return }
        timerAt = nil
        guard !isAborted, let d = rtoDeadline else { return }
        if d > sim.now { armTimer(); return }
        // RTO: everything outstanding is lost; restart from one MSS (tcp_enter_loss).
        statistics.timeouts += 1
        let highSeg = inRecovery ? recoveryHighSeg : lossHighSeg
        let reduce = (!inRecovery && !lossActive) || baseSeg >= highSeg || (lossActive && !rtoSinceProgress)
        congestion.onTimeout(now: sim.now, reduceThreshold: reduce)
        inRecovery = false
        lossActive = true
        lossHighSeg = baseSeg + Int64(segs.count)
        rtoSinceProgress = true
        xmits.removeAll()
        retx.removeAll()
        for i in 0..<segs.count {
            var s = segs[i]
            if s.sacked { continue }
            if s.inPipe { s.inPipe = false; pipeBytes -= s.bytes }
            s.lost = true
            segs[i] = s
            retx.append(baseSeg + Int64(i))
        }
        rto = min(maxRTO, rto + rto)
        rtoDeadline = nil
        trySend()
        onTimeout?(self)
    }

    // MARK: access path (extra delay)

    /// A data segment left the WAN link: deliver it now, or after the access path's delay.
    func reachedAccess(_ p: Packet) {
        guard extraDelay > .zero else { arrived(p); return }
        var q = p
        q.timeToSend = sim.now + extraDelay
        enterAccess(q, due: q.timeToSend, &accessData, .accessData)
    }

    /// An ACK left the reverse WAN link: process it now, or after the access path's delay.
    func ackReachedAccess(_ a: AckRecord) {
        guard extraDelay > .zero else { ackArrived(a); return }
        var r = a
        r.arrival = sim.now + extraDelay
        enterAccess(r, due: r.arrival, &accessAcks, .accessAck)
    }

    func accessDataFired() {
        if let p = leaveAccess(&accessData, .accessData, due: { $0.timeToSend }) { arrived(p) }
    }

    func accessAckFired() {
        if let a = leaveAccess(&accessAcks, .accessAck, due: { $0.arrival }) { ackArrived(a) }
    }

    /// Puts `x` (due at `due`) on an access-path delay line: a FIFO (one fixed delay) whose
    /// head alone has a pending event (`code`).
    @inline(__always) private func enterAccess<T>(_ x: T, due: SimInstant, _ line: inout Ring<T>, _ code: Network.EventCode) {
        line.append(x)
        if line.count == 1 { sim.schedule(at: due, handler: network.handlerID, code: code.rawValue, argument: Int64(id)) }
    }

    /// Takes the head off a delay line and schedules the event of the next one (at `due(next)`).
    @inline(__always) private func leaveAccess<T>(_ line: inout Ring<T>, _ code: Network.EventCode, due: (T) -> SimInstant) -> T? {
        guard let x = line.popFirst() else { return nil }
        if let next = line.first { sim.schedule(at: due(next), handler: network.handlerID, code: code.rawValue, argument: Int64(id)) }
        return x
    }
}

/// Options of a flow beyond its class and buffer; defaults are Linux's.
public struct FlowOptions: Sendable, Equatable {
    /// Congestion control (default CUBIC, Linux's default).
    public var congestionControl: CongestionAlgorithm = .cubic
    /// Receive window in bytes (default 6 MiB: tcp_rmem[2] = 6291456).
    public var receiveWindow: Int64 = 6_291_456
    /// MSS used by the window arithmetic (nil: the link framing's `mtu - 52`, 1448 B at 1500).
    public var mss: Int64? = nil
    /// Initial window in segments (Linux TCP_INIT_CWND = 10, include/net/tcp.h; RFC 6928 IW10).
    public var initialWindow: Int64 = 10
    /// Minimum RTO (Linux TCP_RTO_MIN, 200 ms).
    public var minRTO: SimDuration = .milliseconds(200)
    /// How the minimum enters the RTO (Linux: added to SRTT).
    public var rtoFormula: RTOFormula = .linux
    /// Segment size override, in the link's units (an IP-level GSO budget; default: the link's).
    public var segmentSize: Int?
    /// skb priority (prio's priomap), default 0.
    public var priority: UInt8 = 0
    /// Whether the receiver delays ACKs (Linux does; every second small segment is acknowledged).
    public var delayedAck = true
    /// Delayed-ACK timeout (Linux TCP_DELACK_MIN, 40 ms).
    public var delayedAckTimeout: SimDuration = .milliseconds(40)
    /// How window increases count acknowledgements (Linux: per segment).
    public var ackCounting: AckCounting = .segments
    /// Extra one-way delay of the flow's own access path, added at each end (default none).
    public var extraDelay: SimDuration = .zero
    /// Linux send-buffer autotuning (nil, the default: the buffer is the fixed size given to
    /// `openFlow`). Set for sockets without a fixed SO_SNDBUF, e.g. DRBD's `sndbuf-size 0`.
    public var sendBufferAutotune: SendBufferAutotune? = nil

    /// Linux defaults.
    public init() {}
}

/// How a flow's retransmission timeout is computed from SRTT, RTTVAR and the minimum RTO.
public enum RTOFormula: String, Sendable, CaseIterable {
    /// Linux `__tcp_set_rto`: SRTT + max(4 RTTVAR, min RTO) (`tcp_rtt_estimator` keeps rttvar at
    /// least tcp_rto_min, so the minimum is added to SRTT).
    case linux
    /// RFC 6298 (2.2)-(2.4) with a 1 ms clock granularity G: max(SRTT + max(G, 4 RTTVAR), min RTO),
    /// as ns-3's `TcpSocketBase` computes it.
    case rfc6298
}
