import DRLSimCore

/// The flow-level WAN model (`wan.model: flow`, issue 16): the peer of the packet model
/// (`Network` + `WANTransfer`) behind the same seam (`TransferNetwork`, `WANModel`), and the
/// `RateNetwork` fluid senders use. Docs/flow-model.md describes it and where it differs.
///
/// SimGrid's approach (Velho, Mello Schnorr, Casanova, Legrand, "On the validity of flow-level
/// TCP network models for grid and cloud simulations", ACM TOMACS 23(4), 2013; SimGrid's CM02
/// model, `network_cm02.cpp`, and its max-min solver `lmm/maxmin.cpp`): a flow is a rate, not
/// packets; flows crossing a direction share it max-min fairly, each bounded by TCP's window
/// limit `W / RTT` (SimGrid's `TCP_gamma / (2 x latency)`); the shaping follows the direction's
/// tc tree (`FlowShareNode`: a tbf caps, an htb shares by its class tree, prio by bands, netem
/// adds delay). Rates change only when a flow starts or stops sending, changes its demand, a
/// path is blocked or unblocked; between such events nothing runs but the streams' own
/// milestones (`FlowChannel`).
///
/// Built from the same `NetworkConfig` as `Network`: the same sites, links, qdisc trees (built
/// by `QdiscRegistry` and compiled into sharing trees), framing, transport overrides and traffic
/// accounting (`traffic` table, wire bytes per class and bin, as the packet model counts them).
public final class FlowNetwork: WANModel, RateNetwork, EventHandler {
    /// The configuration it was built from.
    public let config: NetworkConfig
    /// The run's context.
    public let context: RunContext
    /// The run's simulator.
    public let sim: Simulator
    /// Every flow opened so far (streams and fluid flows), by id.
    public private(set) var members: [FlowMember] = []
    /// Datagrams sent.
    public private(set) var datagramsSent: Int64 = 0
    /// Datagrams delivered.
    public private(set) var datagramsDelivered: Int64 = 0
    /// Datagrams lost (blocked path).
    public private(set) var datagramsLost: Int64 = 0
    /// Reallocations so far (all directions).
    public private(set) var reallocations: Int64 = 0

    var handlerID = HandlerID(raw: -1)
    /// The LANs and WAN directions (`FlowLink`s) and their traffic accounts.
    var paths = SiteDirections<FlowLink>()
    var pending: [FlowLink] = []
    var allocating = false
    var finished = false

    static let codeWake: Int32 = 0

    /// Builds the flow-level network described by `config` in `context`.
    public init(config: NetworkConfig, context: RunContext, qdiscs: QdiscRegistry = .standard) throws(NetworkConfigError) {
        self.config = config
        self.context = context
        self.sim = context.sim
        paths = try SiteDirections(config: config, context: context, qdiscs: qdiscs, lan: { i, s in
            FlowLink(config: NetworkConfig.Link(from: i, to: i, rate: s.lanRate, delay: s.lanDelay, segmentSize: 65_536),
                     qdisc: FifoQdisc(mode: .packets, limit: 1000))
        }, link: { lc, root in FlowLink(config: lc, qdisc: root) })
        handlerID = context.sim.register(self)
        context.recorder.declare("traffic", columns: ["t_s", "class", "bytes", "cum_bytes", "rate_bps", "direction"])
    }

    // MARK: topology

    /// Number of sites.
    public var siteCount: Int { config.sites.count }

    /// The index of the site named `name`.
    public func site(named name: String) -> Int? { config.sites.firstIndex { $0.name == name } }

    /// The direction from site `from` to site `to` (the LAN when they are equal).
    public func link(from: Int, to: Int) -> FlowLink { paths.direction(from: from, to: to) }

    // MARK: streams (TransferNetwork)

    public func openChannel(from source: String, to destination: String, trafficClass: String,
                            sendBuffer: Int64) -> TransferChannel {
        channel(from: source, to: destination, trafficClass: trafficClass, sendBuffer: sendBuffer, autotuned: false)
    }

    /// A stream whose buffer Linux would autotune up to `maxSendBuffer` (tcp_wmem[2]): a bulk
    /// sender's buffer grows to the cap, so the stream gets the payload the capped buffer holds
    /// (`SendBufferAutotune.payloadCapacity`), as the packet model's buffer after growth.
    public func openAutotunedChannel(from source: String, to destination: String, trafficClass: String,
                                     maxSendBuffer: Int64) -> TransferChannel {
        channel(from: source, to: destination, trafficClass: trafficClass, sendBuffer: maxSendBuffer, autotuned: true)
    }

    private func channel(from source: String, to destination: String, trafficClass: String,
                         sendBuffer: Int64, autotuned: Bool) -> FlowChannel {
        guard let b = site(named: destination) else {
            preconditionFailure("FlowNetwork: \(destination) is not a site of the network")
        }
        let a = site(named: source) ?? b
        let cls = TrafficClass(name: trafficClass) ?? .application
        let t = a != b ? config.transport(for: cls) : TransportOptions()
        let l = link(from: a, to: b)
        var buffer = t.sendBuffer ?? sendBuffer
        if t.sendBuffer == nil, autotuned || t.sendBufferAutotune == true {
            let at = SendBufferAutotune(maxBytes: sendBuffer)
            buffer = at.payloadCapacity(sndbuf: sendBuffer, mss: l.framing.mss, segmentPayload: l.framing.segmentPayload(segmentSize: l.segmentSize))
        }
        precondition(buffer > 0, "openChannel: send buffer must be positive")
        let window = Swift.min(buffer, t.receiveWindow ?? FlowOptions().receiveWindow)
        let c = FlowChannel(id: members.count, network: self, link: l, reverse: link(from: b, to: a), trafficClass: cls,
                            sendBuffer: buffer, window: window)
        add(c)
        return c
    }

    // MARK: fluid flows (RateNetwork)

    public func openRateFlow(from source: String, to destination: String, trafficClass: String,
                             maxWindow: Int64) -> RateFlow {
        guard let b = site(named: destination) else {
            preconditionFailure("FlowNetwork: \(destination) is not a site of the network")
        }
        let a = site(named: source) ?? b
        let cls = TrafficClass(name: trafficClass) ?? .application
        let t = a != b ? config.transport(for: cls) : TransportOptions()
        let window = Swift.min(t.sendBuffer ?? maxWindow, t.receiveWindow ?? FlowOptions().receiveWindow)
        let f = FluidFlow(id: members.count, network: self, link: link(from: a, to: b), reverse: link(from: b, to: a),
                          trafficClass: cls, window: window, flowID: Int32(members.count), priority: 0)
        add(f)
        return f
    }

    private func add(_ m: FlowMember) {
        members.append(m)
        m.link.all.append(m)
    }

    /// Puts `m` into its direction's allocation (a stream with bytes to send, a fluid flow with
    /// a demand); idle flows stay out of it, so an allocation costs what is active, not what
    /// was ever opened.
    func activate(_ m: FlowMember) {
        guard !m.isActive, !m.isClosed else { return }
        m.isActive = true
        m.link.members.append(m)
        m.leaf.attach(m.variable)
    }

    private func deactivate(_ m: FlowMember) {
        guard m.isActive else { return }
        m.isActive = false
        if let i = m.link.members.firstIndex(where: { $0 === m }) { m.link.members.remove(at: i) }
        m.leaf.detach(m.variable)
    }

    func remove(_ m: FlowMember) {
        guard !m.isClosed else { return }
        m.advance(to: sim.now)
        m.isClosed = true
        let wasActive = m.isActive
        deactivate(m)
        if let i = m.link.all.firstIndex(where: { $0 === m }) { m.link.all.remove(at: i) }
        if wasActive { reallocate(m.link) }
    }

    // MARK: allocation

    /// Recomputes the rates of direction `l` now (queued if an allocation is running: a
    /// callback of one allocation that changes a demand triggers the next one).
    func reallocate(_ l: FlowLink) {
        if !pending.contains(where: { $0 === l }) { pending.append(l) }
        guard !allocating else { return }
        allocating = true
        while !pending.isEmpty { allocate(pending.removeFirst()) }
        allocating = false
    }

    private func allocate(_ l: FlowLink) {
        let now = sim.now
        reallocations += 1
        l.reallocations += 1
        for m in l.members { m.advance(to: now) }
        for m in l.members { m.variable.bound = (l.isBlocked || m.reverse.isBlocked) ? 0 : m.bound() }
        l.root.refresh()
        l.root.allocate()
        // The standing queue of a leaf: what the backlogged flows it holds keep in flight beyond
        // their share's bandwidth-delay product (a stream: at most what it has outstanding).
        for leaf in l.leaves { leaf.standingQueue = 0 }
        for m in l.members where m.variable.rate > 0 && m.variable.bound >= m.windowLimit * (1 - 1e-9) {
            let excess = m.inFlightLimit() - m.variable.rate * m.baseRTT.seconds
            if excess > 0 { m.leaf.standingQueue += excess }
        }
        for leaf in l.leaves where leaf.standingQueue > 0 {
            // Below the buffer the excess is a steady queue; a loss-based sender whose window
            // exceeds the buffer fills it, loses and backs off, so the queue saws between nearly
            // empty and full: its mean is taken as half the buffer.
            let limit = queueLimit(of: leaf, on: l)
            if leaf.standingQueue >= limit { leaf.standingQueue = limit / 2 }
        }
        let members = l.members
        for m in members { m.rateAllocated(m.variable.rate, at: now) }
        for m in members where m.variable.bound == 0 && m.rate == 0 { deactivate(m) }
    }

    /// The queue a leaf holds at most, payload bytes: a bytes FIFO's limit, a packets FIFO's
    /// limit in full segments, CoDel's target (5 ms, RFC 8289) at the leaf's rate.
    func queueLimit(of leaf: FlowShareNode, on l: FlowLink) -> Double {
        if let f = leaf.qdisc as? FifoQdisc {
            return f.mode == .bytes ? Double(f.limit) * l.payloadFraction
                                    : Double(f.limit) * Double(l.framing.segmentPayload(segmentSize: l.segmentSize))
        }
        if leaf.qdisc is CodelQdisc || leaf.qdisc is FqCodelQdisc { return leaf.allocated * 0.005 }
        if let c = leaf.htbClass, let f = c.leaf as? FifoQdisc {
            return f.mode == .bytes ? Double(f.limit) * l.payloadFraction
                                    : Double(f.limit) * Double(l.framing.segmentPayload(segmentSize: l.segmentSize))
        }
        return .infinity
    }

    /// The queueing delay of a leaf's standing queue at its current rate.
    public func queueDelay(of leaf: FlowShareNode) -> SimDuration {
        guard leaf.standingQueue > 0, leaf.allocated > 0 else { return .zero }
        return .seconds(leaf.standingQueue / leaf.allocated)
    }

    func scheduleWake(of c: FlowChannel, number: UInt32, at t: SimInstant) {
        sim.schedule(at: t, handler: handlerID, code: FlowNetwork.codeWake, argument: Int64(c.id) << 32 | Int64(number))
    }

    /// Dispatches the streams' wake-ups.
    public func handle(_ event: Event, in sim: Simulator) {
        if let c = members[Int(event.argument >> 32)] as? FlowChannel { c.woke(number: UInt32(truncatingIfNeeded: event.argument)) }
    }

    // MARK: paths

    /// Both directions between the two sites are unblocked (a source that is not a site is on
    /// the destination's LAN).
    public func isReachable(from source: String, to destination: String) -> Bool {
        guard let a = site(named: source), let b = site(named: destination), a != b else { return true }
        return !link(from: a, to: b).isBlocked && !link(from: b, to: a).isBlocked
    }

    public func isBlocked(from: Int, to: Int) -> Bool { link(from: from, to: to).isBlocked }

    /// Blocks `from -> to` now: streams on it lose what was in flight and stall, streams the
    /// other way stop being acknowledged (and stall), fluid flows get rate 0.
    public func block(from: Int, to: Int) { setBlocked(from: from, to: to, true) }

    /// Unblocks `from -> to` now: stalled flows resume at once (Docs/flow-model.md).
    public func unblock(from: Int, to: Int) { setBlocked(from: from, to: to, false) }

    private func setBlocked(from: Int, to: Int, _ blocked: Bool) {
        let l = link(from: from, to: to)
        guard l.isBlocked != blocked else { return }
        let r = link(from: to, to: from)
        for m in l.members { m.advance(to: sim.now) }
        for m in r.members { m.advance(to: sim.now) }
        l.isBlocked = blocked
        for m in l.all { m.pathChanged(at: sim.now) }
        for m in r.all { m.pathChanged(at: sim.now) }
        if !blocked { for m in l.all + r.all where m.bound() > 0 { activate(m) } }
        reallocate(l)
        reallocate(r)
    }

    /// Blocks every WAN direction to and from `site` now.
    public func isolate(site: Int) { paths.forEachWANDirection(touching: site) { block(from: $0, to: $1) } }

    // MARK: datagrams

    /// Sends a datagram: delivered after the path's propagation and netem delay, the standing
    /// queue of its class's leaf, and its serialisation at the leaf's current share (the line
    /// rate when the leaf is idle); lost when the direction is blocked (then or on arrival).
    public func sendDatagram(from: Endpoint, to: Endpoint, bytes: Int, trafficClass: TrafficClass,
                             tag: Int64 = 0, priority: UInt8 = 0, onDelivery: ((Datagram) -> Void)? = nil) {
        precondition(bytes > 0, "datagram must have a positive size")
        datagramsSent += 1
        let l = link(from: from.site, to: to.site)
        guard !l.isBlocked else { datagramsLost += 1; return }
        let (leaf, extra) = l.root.leaf(trafficClass: trafficClass, flow: -1, priority: priority)
        var carry = 0.0
        l.account(payload: Double(bytes) * l.payloadFraction, trafficClass: trafficClass, from: sim.now, to: sim.now, carry: &carry)
        let share = leaf.allocated > 0 ? Swift.min(leaf.allocated / l.payloadFraction, Double(l.rate.bytesPerSecond))
                                       : Double(l.rate.bytesPerSecond)
        let ser = SimDuration.seconds(Double(bytes) / share)
        let d = Datagram(from: from, to: to, bytes: bytes, trafficClass: trafficClass, sentAt: sim.now, tag: tag)
        sim.schedule(after: l.delay + extra + queueDelay(of: leaf) + ser) { [weak self] _ in
            guard let self else { return }
            if l.isBlocked { self.datagramsLost += 1; return }
            self.datagramsDelivered += 1
            onDelivery?(d)
        }
    }

    // MARK: end of run

    /// Emits the `traffic` table (bins up to now, sorted by time, class, direction), after
    /// integrating every flow to now. Further calls do nothing.
    public func finish() {
        guard !finished else { return }
        finished = true
        for m in members where !m.isClosed { m.advance(to: sim.now) }
        for r in paths.trafficRows(until: sim.now) { context.recorder.emit("traffic", r) }
    }

    /// Every violated conservation identity (empty when the books balance): per stream,
    /// accepted = sent + unsent, sent >= delivered >= acknowledged, accepted - acknowledged within
    /// the send buffer; per direction, the wire bytes counted equal the payload sent divided by
    /// the payload fraction (within one byte per flow).
    public func conservationViolations() -> [String] {
        var v: [String] = []
        for m in members {
            guard let c = m as? FlowChannel, !c.aborted else { continue }
            let d = c.deliveredBytes, a = c.acknowledgedBytes
            let sent = Double(c.acceptedBytes) - c.unsent(at: sim.now)
            if sent > Double(c.acceptedBytes) + 1 || sent < c.sentPosition - 1 { v.append("stream \(c.id): sent \(sent) outside [integrated \(c.sentPosition), accepted \(c.acceptedBytes)]") }
            if Double(d) > sent + 1 { v.append("stream \(c.id): delivered \(d) > sent \(sent)") }
            if a > d { v.append("stream \(c.id): acknowledged \(a) > delivered \(d)") }
            if c.acceptedBytes - a > c.sendBufferBytes { v.append("stream \(c.id): more than the send buffer unacknowledged") }
        }
        return v
    }
}
