import DRLSimCore

/// One direction of a path between two sites (or a site's LAN): root qdisc, serialisation at the
/// line rate, propagation delay, and the acknowledgements travelling the other way.
///
/// The device loop follows Linux's `qdisc_run`: when the transmitter is idle it dequeues from the
/// root qdisc, serialises the packet for `bytes x 8 / rate` (`bytes` = its wire length under the
/// link's `Framing`) and puts it on the wire, where it
/// arrives `delay` later. A throttled shaper asks for a wakeup (qdisc_watchdog). Because the delay
/// is constant, the wire is a FIFO: only its head has a pending arrival event (likewise for the
/// ACKs), which keeps the event queue small. Events carry the link's generation, which a block
/// increments, so events of lost packets are ignored.
///
/// Acknowledgements of the flows going the *other* way ride this link after `delay`; they are
/// small (tens of bytes per segment) and are not queued or serialised (a documented simplification).
///
/// Blocking (the paper's iptables DROP rule, see `Network.block`) drops packets offered to the
/// link, flushes the qdisc (`.reset`) and loses everything on the wire and in serialisation.
public final class Link: EventHandler {
    /// Source site index.
    public let from: Int
    /// Destination site index.
    public let to: Int
    /// Line rate.
    public let rate: Rate
    /// One-way propagation delay.
    public let delay: SimDuration
    /// Largest segment the transport puts in one packet (GSO size, an IP-level budget).
    public let segmentSize: Int
    /// Wire framing (what a packet of a given payload is charged).
    public let framing: Framing
    /// The root qdisc.
    public let root: Qdisc
    /// True while the link drops everything.
    @exclusivity(unchecked) public private(set) var isBlocked = false
    /// Probability that a packet offered to the link is lost (a `LinkFault.loss`; 0 normally).
    @exclusivity(unchecked) public private(set) var lossProbability = 0.0
    @exclusivity(unchecked) var lossStream: RandomStream?
    /// Counters of the link itself (see `LinkStatistics`).
    @exclusivity(unchecked) public private(set) var stats = LinkStatistics()

    unowned(unsafe) let network: Network
    @exclusivity(unchecked) var handlerID = HandlerID(raw: -1)
    @exclusivity(unchecked) var busy = false
    @exclusivity(unchecked) var generation: Int64 = 0
    @exclusivity(unchecked) var wire = Ring<Packet>(capacity: 64)
    @exclusivity(unchecked) var acks = Ring<AckRecord>(capacity: 64)
    @exclusivity(unchecked) var pendingWake: SimInstant = .distantFuture
    /// Traffic accounting for this direction, if enabled (kept alive by `Network.paths.accounts`).
    @exclusivity(unchecked) unowned(unsafe) var accounting: TrafficAccount?
    /// The root without reference counting on the hot path (kept alive by `root`).
    unowned(unsafe) let rootRef: Qdisc

    static let codeTxDone: Int32 = 0
    static let codeArrival: Int32 = 1
    static let codeAck: Int32 = 2
    static let codeWake: Int32 = 3

    init(from: Int, to: Int, rate: Rate, delay: SimDuration, segmentSize: Int, framing: Framing = .none, root: Qdisc, network: Network) {
        self.from = from; self.to = to; self.rate = rate; self.delay = delay
        self.segmentSize = segmentSize; self.framing = framing; self.root = root; self.rootRef = root; self.network = network
        self.sim = network.sim
        root.onDrop = { [unowned(unsafe) self] p, reason in self.dropped(p, reason: reason) }
        root.onWakeup = { [unowned(unsafe) self] t in self.wake(at: t) }
    }

    unowned(unsafe) let sim: Simulator

    /// Offers a packet to the link (the transport's dev_queue_xmit).
    func send(_ p: Packet) {
        stats.offeredPackets += 1
        stats.offeredBytes += Int64(p.bytes)
        if isBlocked {
            dropped(p, reason: .blocked)
            return
        }
        if lossProbability > 0, let s = lossStream, s.uniform() < lossProbability {
            stats.faultLossPackets += 1
            dropped(p, reason: .faultLoss)
            return
        }
        if rootRef.enqueue(p, now: sim.now).isAccepted { kick() }
    }

    func dropped(_ p: Packet, reason: DropReason) {
        stats.droppedPackets += 1
        stats.droppedBytes += Int64(p.bytes)
        network.packetDropped(p, reason: reason)
    }

    /// Dequeues and starts serialising if the transmitter is idle.
    func kick() {
        guard !busy, !isBlocked else { return }
        let now = sim.now
        guard let p = rootRef.dequeue(now: now) else { return }
        busy = true
        let tx = rate.nanoseconds(forBytes: Int64(p.bytes))
        let done = SimInstant(nanoseconds: now.nanoseconds + max(tx, 1))
        let arrival = done + delay
        accounting?.add(bytes: Int64(p.bytes), trafficClass: p.trafficClass, at: now)
        stats.transmittedPackets += 1
        stats.transmittedBytes += Int64(p.bytes)
        stats.wireBytes += Int64(p.bytes)
        var q = p
        q.timeToSend = arrival
        wire.append(q)
        sim.schedule(at: done, priority: 1, handler: handlerID, code: Link.codeTxDone, argument: generation)
        // One pending arrival event per link: the wire is a FIFO, so only its head needs one.
        if wire.count == 1 {
            sim.schedule(at: arrival, handler: handlerID, code: Link.codeArrival, argument: generation)
        }
    }

    func wake(at t: SimInstant) {
        let now = sim.now
        if pendingWake > now && pendingWake <= t { return }
        pendingWake = t
        sim.schedule(at: max(t, now), priority: 1, handler: handlerID, code: Link.codeWake)
    }

    /// Carries an acknowledgement (for a flow in the opposite direction) to this link's far end.
    func sendAck(_ a: AckRecord) {
        if isBlocked { stats.acksLost += 1; return }
        if lossProbability > 0, let s = lossStream, s.uniform() < lossProbability { stats.acksLost += 1; return }
        var r = a
        r.arrival = sim.now + delay
        acks.append(r)
        if acks.count == 1 {
            sim.schedule(at: r.arrival, handler: handlerID, code: Link.codeAck, argument: generation)
        }
    }

    /// Dispatches this object's value events (see the `code*` constants).
    public func handle(_ event: Event, in sim: Simulator) {
        switch event.code {
        case Link.codeTxDone:
            guard event.argument == generation else { return }
            busy = false
            kick()
        case Link.codeArrival:
            guard event.argument == generation, let p = wire.popFirst() else { return }
            if let next = wire.first {
                sim.schedule(at: next.timeToSend, handler: handlerID, code: Link.codeArrival, argument: generation)
            }
            stats.wireBytes -= Int64(p.bytes)
            stats.deliveredPackets += 1
            stats.deliveredBytes += Int64(p.bytes)
            network.packetArrived(p, on: self)
        case Link.codeAck:
            guard event.argument == generation, let a = acks.popFirst() else { return }
            if let next = acks.first {
                sim.schedule(at: next.arrival, handler: handlerID, code: Link.codeAck, argument: generation)
            }
            network.ackArrived(a)
        case Link.codeWake:
            if pendingWake <= sim.now { pendingWake = .distantFuture }
            kick()
        default:
            preconditionFailure("Link: unknown event code \(event.code)")
        }
    }

    /// Starts dropping everything: flushes the qdisc and loses the wire (packets and ACKs).
    func block() {
        guard !isBlocked else { return }
        isBlocked = true
        generation += 1
        busy = false
        root.reset(reason: .reset)
        while let p = wire.popFirst() {
            stats.wireBytes -= Int64(p.bytes)
            stats.lostOnWirePackets += 1
            stats.lostOnWireBytes += Int64(p.bytes)
            dropped(p, reason: .blocked)
        }
        stats.acksLost += Int64(acks.count)
        acks.removeAll()
    }

    /// Sets the random loss of packets offered to the link (independent draws from `stream`).
    func setLoss(_ p: Double, stream: RandomStream) {
        lossProbability = p
        if lossStream == nil { lossStream = stream }
    }

    /// Stops dropping.
    func unblock() {
        guard isBlocked else { return }
        isBlocked = false
        kick()
    }

    /// Bytes held in the root qdisc.
    public var queuedBytes: Int64 { root.stats.backlogBytes }
    /// Bytes being serialised or propagating.
    public var inFlightBytes: Int64 { stats.wireBytes }
}

/// Counters of one link direction.
///
/// Identity: `offeredBytes = deliveredBytes + queued (root backlog) + wireBytes + droppedBytes`,
/// where `droppedBytes` covers qdisc drops, drops while blocked and packets lost on the wire.
public struct LinkStatistics: Sendable, Equatable {
    /// Packets offered to the link.
    public var offeredPackets: Int64 = 0
    /// Bytes offered to the link.
    public var offeredBytes: Int64 = 0
    /// Packets that started serialisation.
    public var transmittedPackets: Int64 = 0
    /// Bytes that started serialisation.
    public var transmittedBytes: Int64 = 0
    /// Packets that reached the far end.
    public var deliveredPackets: Int64 = 0
    /// Bytes that reached the far end.
    public var deliveredBytes: Int64 = 0
    /// Packets dropped (qdisc, blocked, lost on the wire).
    public var droppedPackets: Int64 = 0
    /// Bytes dropped (qdisc, blocked, lost on the wire).
    public var droppedBytes: Int64 = 0
    /// Packets lost on the wire by a block.
    public var lostOnWirePackets: Int64 = 0
    /// Bytes lost on the wire by a block.
    public var lostOnWireBytes: Int64 = 0
    /// Bytes serialising or propagating now.
    public var wireBytes: Int64 = 0
    /// Acknowledgements lost because the link was blocked or by a loss fault.
    public var acksLost: Int64 = 0
    /// Packets lost by a loss fault (included in `droppedPackets`).
    public var faultLossPackets: Int64 = 0
}

/// An acknowledgement in flight: which flow, which segment and transmission, and the cumulative point.
struct AckRecord {
    var flow: Int32
    var segment: Int64
    var transmission: Int64
    var cumulative: Int64
    var arrival: SimInstant = .zero
}
