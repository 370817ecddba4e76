import DRLSimCore

/// The network of one run: sites with LANs, directional WAN links with qdiscs, reliable flows,
/// datagrams, faults and traffic accounting (issue 3; semantics in drbd-and-tc.md).
///
/// Built from a `NetworkConfig` in a `RunContext`; all hot-path work runs as value events of the
/// context's simulator. Traffic between two hosts of the same site uses that site's LAN (a link
/// with the LAN's rate and delay and a pfifo); traffic between sites uses the configured WAN link
/// of that direction (its root qdisc, line rate and one-way delay, which is host to host: the LAN
/// hops are not added) and the opposite direction for acknowledgements.
///
/// Entry points for other models:
/// - `openFlow(from:to:trafficClass:sendBuffer:options:)` -> `Flow` (`offer`, `abort`, callbacks);
/// - `sendDatagram(from:to:bytes:trafficClass:tag:priority:onDelivery:)` (lost silently);
/// - `block/unblock(from:to:)` (now or `at:`), `isolate(site:)` / `reconnect(site:)`;
/// - `finish()` at the end of a run to emit the `traffic` table;
/// - `conservationViolations()` for tests.
public final class Network: EventHandler {
    /// The configuration it was built from.
    public let config: NetworkConfig
    /// The run's context.
    public let context: RunContext
    /// The run's simulator.
    public let sim: Simulator
    /// Every flow opened so far, by `Flow.id`.
    @exclusivity(unchecked) public private(set) var flows: [Flow] = []
    /// The same flows without reference counting on the hot path (kept alive by `flows`).
    @exclusivity(unchecked) var flowRefs: [Unmanaged<Flow>] = []
    /// Datagrams sent.
    @exclusivity(unchecked) public private(set) var datagramsSent: Int64 = 0
    /// Datagrams delivered.
    @exclusivity(unchecked) public private(set) var datagramsDelivered: Int64 = 0
    /// Datagrams lost (qdisc drop, netem loss, blocked path).
    @exclusivity(unchecked) public private(set) var datagramsLost: Int64 = 0
    /// Wire bytes of the datagrams sent / lost (for `conservationViolations`).
    @exclusivity(unchecked) public private(set) var datagramBytesSent: Int64 = 0
    @exclusivity(unchecked) public private(set) var datagramBytesLost: Int64 = 0

    @exclusivity(unchecked) var handlerID = HandlerID(raw: -1)
    /// The LANs and WAN directions (`Link`s) and their traffic accounts.
    @exclusivity(unchecked) var paths = SiteDirections<Link>()
    @exclusivity(unchecked) var pendingDatagrams: [PendingDatagram?] = []
    @exclusivity(unchecked) var freeDatagramSlots: [Int] = []
    @exclusivity(unchecked) var finished = false

    /// The value events the network dispatches (`handle`), by `Event.code`: a flow's
    /// retransmission timer, delayed ACK and access-path deliveries (argument: the flow), a
    /// scheduled block or unblock (argument: `from * 65536 + to`).
    enum EventCode: Int32 { case flowTimer, block, unblock, delayedAck, accessData, accessAck }

    struct PendingDatagram {
        var datagram: Datagram
        var onDelivery: ((Datagram) -> Void)?
    }

    /// Builds the network described by `config` in `context`; link qdiscs are built by `qdiscs`.
    public init(config: NetworkConfig, context: RunContext, qdiscs: QdiscRegistry = .standard) throws(NetworkConfigError) {
        self.config = config
        self.context = context
        self.sim = context.sim
        handlerID = context.sim.register(self)
        paths = try SiteDirections(config: config, context: context, qdiscs: qdiscs, lan: { i, s in
            self.registered(Link(from: i, to: i, rate: s.lanRate, delay: s.lanDelay, segmentSize: 65_536,
                                 root: FifoQdisc(mode: .packets, limit: 1000), network: self))
        }, link: { lc, root in
            self.registered(Link(from: lc.from, to: lc.to, rate: lc.rate, delay: lc.delay, segmentSize: lc.segmentSize,
                                 framing: lc.framing, root: root, network: self))
        })
        context.recorder.declare("traffic", columns: ["t_s", "class", "bytes", "cum_bytes", "rate_bps", "direction"])
    }

    private func registered(_ l: Link) -> Link {
        l.handlerID = context.sim.register(l)
        return l
    }

    // MARK: topology

    /// Number of sites.
    public var siteCount: Int { config.sites.count }

    /// The index of the site named `name`.
    public func site(named name: String) -> Int? { config.sites.firstIndex { $0.name == name } }

    /// The link carrying traffic from site `from` to site `to` (the LAN when they are equal).
    public func link(from: Int, to: Int) -> Link { paths.direction(from: from, to: to) }

    /// True when a link exists from `from` to `to`.
    public func hasLink(from: Int, to: Int) -> Bool { paths.exists(from: from, to: to) }

    /// The traffic account of direction `from -> to`, if accounted.
    public func trafficAccount(from: Int, to: Int) -> TrafficAccount? {
        from == to ? nil : paths.wan[from][to]?.accounting
    }

    // MARK: flows

    /// Opens a reliable flow from site `from` to site `to` carrying `trafficClass`, with a send
    /// buffer of `sendBuffer` bytes. Between two sites, the network's transport overrides for the
    /// class (`NetworkConfig.transport(for:)`) replace the matching `options` and `sendBuffer`
    /// (an overriding `send_buffer` also turns `options.sendBufferAutotune` off). With
    /// `options.sendBufferAutotune` set, `sendBuffer` is ignored: the buffer autotunes.
    public func openFlow(from: Int, to: Int, trafficClass: TrafficClass, sendBuffer: Int64,
                         options: FlowOptions = FlowOptions()) -> Flow {
        openFlow(from: from, to: to, trafficClass: trafficClass, sendBuffer: sendBuffer, options: options,
                 overriding: TransportOptions())
    }

    /// Opens a flow as `openFlow(from:to:trafficClass:sendBuffer:options:)` with the flow's own
    /// transport settings `own` taking precedence over the network's (a `flows:` entry).
    public func openFlow(from: Int, to: Int, trafficClass: TrafficClass, sendBuffer: Int64,
                         options: FlowOptions, overriding own: TransportOptions) -> Flow {
        let t = (from != to ? config.transport(for: trafficClass) : TransportOptions()).overridden(by: own)
        var effective = t.applied(to: options)
        // An explicit transport send buffer is a fixed SO_SNDBUF: no autotuning.
        // `send_buffer: auto` autotunes up to the size the opening model asked for.
        if t.sendBuffer != nil { effective.sendBufferAutotune = nil } else if t.sendBufferAutotune == true,
            effective.sendBufferAutotune == nil { effective.sendBufferAutotune = SendBufferAutotune(maxBytes: sendBuffer) }
        let buffer = t.sendBuffer ?? sendBuffer
        precondition(buffer > 0, "openFlow: send buffer must be positive")
        let f = Flow(id: Int32(flows.count), link: link(from: from, to: to), reverse: link(from: to, to: from),
                     trafficClass: trafficClass, sendBuffer: buffer, options: effective, network: self)
        flows.append(f)
        flowRefs.append(Unmanaged.passUnretained(f))
        return f
    }

    // MARK: datagrams

    /// Sends a datagram of `bytes` bytes; `onDelivery` runs when it arrives (never if it is lost).
    public func sendDatagram(from: Endpoint, to: Endpoint, bytes: Int, trafficClass: TrafficClass,
                             tag: Int64 = 0, priority: UInt8 = 0, onDelivery: ((Datagram) -> Void)? = nil) {
        precondition(bytes > 0, "datagram must have a positive size")
        let d = Datagram(from: from, to: to, bytes: bytes, trafficClass: trafficClass, sentAt: sim.now, tag: tag)
        let slot: Int
        if let s = freeDatagramSlots.popLast() { slot = s; pendingDatagrams[s] = PendingDatagram(datagram: d, onDelivery: onDelivery) }
        else { slot = pendingDatagrams.count; pendingDatagrams.append(PendingDatagram(datagram: d, onDelivery: onDelivery)) }
        datagramsSent += 1
        datagramBytesSent += Int64(bytes)
        let h = UInt32(truncatingIfNeeded: (UInt64(from.site &* 131 &+ from.host) &* 1_000_003 &+ UInt64(to.site &* 131 &+ to.host)) &* 2_654_435_761)
        let p = Packet(bytes: bytes, trafficClass: trafficClass, flow: -1, priority: priority, hash: h, segment: Int64(slot))
        link(from: from.site, to: to.site).send(p)
    }

    // MARK: faults

    /// Blocks the direction `from -> to` now: offered packets are dropped, queued and in-flight
    /// packets (and ACKs riding it) are lost (the paper's iptables DROP rule cutting the path).
    public func block(from: Int, to: Int) { link(from: from, to: to).block() }

    /// Unblocks the direction `from -> to` now; flows resume at their next retransmission timeout.
    public func unblock(from: Int, to: Int) { link(from: from, to: to).unblock() }

    /// Blocks `from -> to` at time `t`.
    public func block(from: Int, to: Int, at t: SimInstant) {
        sim.schedule(at: t, handler: handlerID, code: EventCode.block.rawValue, argument: Int64(from * 65_536 + to))
    }

    /// Unblocks `from -> to` at time `t`.
    public func unblock(from: Int, to: Int, at t: SimInstant) {
        sim.schedule(at: t, handler: handlerID, code: EventCode.unblock.rawValue, argument: Int64(from * 65_536 + to))
    }

    /// Blocks every WAN direction to and from `site` now (a site disaster or a cut uplink).
    public func isolate(site: Int) { paths.forEachWANDirection(touching: site) { block(from: $0, to: $1) } }

    /// Unblocks every WAN direction to and from `site` now.
    public func reconnect(site: Int) { paths.forEachWANDirection(touching: site) { unblock(from: $0, to: $1) } }

    // MARK: events from links

    func packetDropped(_ p: Packet, reason: DropReason) {
        if p.flow >= 0 {
            flowRefs[Int(p.flow)]._withUnsafeGuaranteedRef { $0.dropped(p) }
        } else {
            datagramsLost += 1
            datagramBytesLost += Int64(p.bytes)
            releaseDatagram(Int(p.segment))
        }
    }

    func packetArrived(_ p: Packet, on link: Link) {
        if p.flow >= 0 {
            flowRefs[Int(p.flow)]._withUnsafeGuaranteedRef { $0.reachedAccess(p) }
        } else {
            datagramsDelivered += 1
            let slot = Int(p.segment)
            let pd = pendingDatagrams[slot]!
            releaseDatagram(slot)
            pd.onDelivery?(pd.datagram)
        }
    }

    func ackArrived(_ a: AckRecord) {
        flowRefs[Int(a.flow)]._withUnsafeGuaranteedRef { $0.ackReachedAccess(a) }
    }

    private func releaseDatagram(_ slot: Int) {
        pendingDatagrams[slot] = nil
        freeDatagramSlots.append(slot)
    }

    /// Dispatches this object's value events (`EventCode`).
    public func handle(_ event: Event, in sim: Simulator) {
        switch EventCode(rawValue: event.code) {
        case .flowTimer: flows[Int(event.argument)].timerFired()
        case .delayedAck: flows[Int(event.argument)].delayedAckFired()
        case .accessData: flows[Int(event.argument)].accessDataFired()
        case .accessAck: flows[Int(event.argument)].accessAckFired()
        case .block: block(from: Int(event.argument / 65_536), to: Int(event.argument % 65_536))
        case .unblock: unblock(from: Int(event.argument / 65_536), to: Int(event.argument % 65_536))
        case nil: preconditionFailure("Network: unknown event code \(event.code)")
        }
    }

    // MARK: accounting

    /// Emits the `traffic` table (bins up to now, sorted by time, class, direction). Call once at
    /// the end of the run; further calls do nothing.
    public func finish() {
        guard !finished else { return }
        finished = true
        for r in paths.trafficRows(until: sim.now) { context.recorder.emit("traffic", r) }
    }

    /// Every violated conservation identity (empty when the books balance): per qdisc in every
    /// tree, per link, and per flow (see `Flow`, `LinkStatistics`, `QdiscStatistics`).
    public func conservationViolations() -> [String] {
        var v: [String] = []
        let all = paths.all
        for l in all {
            let s = l.stats
            if s.offeredBytes != s.deliveredBytes + l.root.stats.backlogBytes + s.wireBytes + s.droppedBytes {
                v.append("link \(l.from)->\(l.to): offered \(s.offeredBytes) != delivered \(s.deliveredBytes) + queued \(l.root.stats.backlogBytes) + wire \(s.wireBytes) + dropped \(s.droppedBytes)")
            }
            func walk(_ q: Qdisc, _ path: String) {
                if !q.stats.isConserved { v.append("qdisc \(path) (\(q.kind)) books do not balance: \(q.stats)") }
                for (i, c) in q.children.enumerated() { walk(c, "\(path).\(i)") }
            }
            walk(l.root, "\(l.from)->\(l.to)")
        }
        for f in flows {
            if f.isAborted {
                if f.offeredBytes != f.deliveredBytes + f.lostOnAbortBytes { v.append("flow \(f.id): offered != delivered + lost on abort") }
            } else {
                if f.offeredBytes != f.ackedBytes + f.unsentBytes + f.unackedBytes { v.append("flow \(f.id): offered \(f.offeredBytes) != acked \(f.ackedBytes) + unsent \(f.unsentBytes) + unacked \(f.unackedBytes)") }
                if f.deliveredBytes < f.ackedBytes { v.append("flow \(f.id): delivered < acked") }
            }
            if f.transmittedBytes != f.arrivedBytes + f.inNetworkBytes + f.droppedBytes {
                v.append("flow \(f.id): transmitted \(f.transmittedBytes) != arrived \(f.arrivedBytes) + in network \(f.inNetworkBytes) + dropped \(f.droppedBytes)")
            }
            if f.inNetworkBytes < 0 { v.append("flow \(f.id): negative bytes in network") }
        }
        // The senders' books against the links' (kept independently): every wire byte a flow or
        // datagram handed to a link was offered there, every byte a link dropped was reported
        // to its sender.
        var offered: Int64 = 0, linkDropped: Int64 = 0
        for l in all { offered += l.stats.offeredBytes; linkDropped += l.stats.droppedBytes }
        let sent = flows.reduce(datagramBytesSent) { $0 + $1.wireTransmittedBytes }
        if offered != sent { v.append("links offered \(offered) B != flows and datagrams sent \(sent) B") }
        let lost = flows.reduce(datagramBytesLost) { $0 + $1.statistics.droppedWireBytes }
        if linkDropped != lost { v.append("links dropped \(linkDropped) B != flows and datagrams lost \(lost) B") }
        if datagramsSent != datagramsDelivered + datagramsLost + Int64(pendingDatagrams.count - freeDatagramSlots.count) {
            v.append("datagrams: sent != delivered + lost + pending")
        }
        return v
    }
}
