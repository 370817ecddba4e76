import DRLSimCore

/// A detector network with fixed one-way delays (one per site LAN, one per ordered site pair over
/// the WAN), independent per-path random loss, and blocking of whole site pairs or single hosts.
///
/// Messages are lost at random when sent (Bernoulli with the path's loss, drawn from the
/// transport's own stream), and lost when the path is blocked at sending, at arrival, or was
/// blocked at any moment in between (packets in flight are lost on a block, as with the paper's
/// iptables rule; issue 3). Delays: `wanDelay` defaults to 2.5 ms one way (the interface
/// contract's example for the 265 km Umea-Lulea link; fibre alone gives ~1.3 ms), `lanDelay` to
/// 0.1 ms (a typical intra-datacenter one-way latency; an estimate).
public final class FixedDelayTransport: PredictableDetectorTransport, EventHandler {
    /// Receiver of delivered messages (not retained: the deployment that sets itself here is
    /// kept alive by the simulator it is registered with).
    @exclusivity(unchecked) public unowned(unsafe) var sink: DetectorMessageSink?
    /// Called before any path state changes.
    @exclusivity(unchecked) public var pathsWillChange: (() -> Void)?
    /// Default one-way delay inside a site.
    public let lanDelay: SimDuration
    /// Default one-way delay between two sites.
    public let wanDelay: SimDuration

    /// Messages handed to `send` (or injected).
    @exclusivity(unchecked) public private(set) var sent: Int = 0
    /// Messages handed to the sink.
    @exclusivity(unchecked) public private(set) var delivered: Int = 0
    /// Messages lost at random.
    @exclusivity(unchecked) public private(set) var lostRandom: Int = 0
    /// Messages lost to a block.
    @exclusivity(unchecked) public private(set) var lostBlocked: Int = 0
    /// Messages in flight now. Identity: sent = delivered + lostRandom + lostBlocked + inFlight.
    public var inFlight: Int { slots.count - freeSlots.count }

    private struct Pair: Hashable { var from: Int; var to: Int }
    private struct HostCut: Hashable { var site: Int; var host: Int; var remote: Int }
    private struct Flight { var message: DetectorMessage; var sentAt: SimInstant }

    private unowned let sim: Simulator  // the simulator retains the transport (registered handler)
    private let random: RandomStream
    @exclusivity(unchecked) private var handler = HandlerID(raw: -1)
    @exclusivity(unchecked) private var delays: [Pair: SimDuration] = [:]
    @exclusivity(unchecked) private var losses: [Pair: Double] = [:]
    @exclusivity(unchecked) private var blockedPairs: Set<Pair> = []
    @exclusivity(unchecked) private var lastPairBlock: [Pair: SimInstant] = [:]
    @exclusivity(unchecked) private var cuts: Set<HostCut> = []
    @exclusivity(unchecked) private var lastCut: [HostCut: SimInstant] = [:]
    @exclusivity(unchecked) private var slots: [Flight?] = []
    /// Dense cache of site-pair states (index from * cacheSites + to), rebuilt after any change.
    @exclusivity(unchecked) private var cache: [DetectorPathState?] = []
    @exclusivity(unchecked) private var cacheSites = 0
    @exclusivity(unchecked) private var freeSlots: [Int] = []

    /// A transport on `sim` drawing losses from `random`.
    public init(sim: Simulator, random: RandomStream, lanDelay: SimDuration = .microseconds(100),
                wanDelay: SimDuration = .microseconds(2500)) {
        self.sim = sim; self.random = random; self.lanDelay = lanDelay; self.wanDelay = wanDelay
        handler = sim.register(self)
    }

    // MARK: configuration and faults

    /// Sets the one-way delay from site `a` to site `b` (a == b: that site's LAN).
    public func setDelay(from a: Int, to b: Int, _ d: SimDuration) { pathsWillChange?(); delays[Pair(from: a, to: b)] = d; invalidate() }
    /// Sets the random loss probability from site `a` to site `b` (a == b: that site's LAN).
    public func setLoss(from a: Int, to b: Int, _ p: Double) { pathsWillChange?(); losses[Pair(from: a, to: b)] = p; invalidate() }
    /// Blocks or unblocks the direction `a -> b` between two sites (the paper's iptables rule).
    public func setBlocked(from a: Int, to b: Int, _ blocked: Bool) {
        pathsWillChange?()
        let p = Pair(from: a, to: b)
        if blocked { blockedPairs.insert(p); lastPairBlock[p] = sim.now } else { blockedPairs.remove(p) }
        invalidate()
    }
    /// Cuts (or restores) host `host` of site `site` from every host of site `remote`, both ways
    /// (a partial partition that isolates some pingers only).
    public func setCut(site: Int, host: Int, from remote: Int, _ cut: Bool) {
        pathsWillChange?()
        let c = HostCut(site: site, host: host, remote: remote)
        if cut { cuts.insert(c); lastCut[c] = sim.now } else { cuts.remove(c) }
        invalidate()
    }

    // MARK: PredictableDetectorTransport

    /// The current state of the path (site pair, plus host cuts).
    public func path(from: DetectorEndpoint, to: DetectorEndpoint) -> DetectorPathState {
        var st = sitePath(from.site, to.site)
        if !cuts.isEmpty && !st.blocked { st.blocked = isBlocked(from, to) }
        return st
    }

    private func invalidate() { cache = []; cacheSites = 0 }

    /// The state of the site pair (cuts of single hosts not included).
    private func sitePath(_ a: Int, _ b: Int) -> DetectorPathState {
        if a < cacheSites && b < cacheSites, let st = cache[a * cacheSites + b] { return st }
        let p = Pair(from: a, to: b)
        let st = DetectorPathState(delay: delays[p] ?? (a == b ? lanDelay : wanDelay), loss: losses[p] ?? 0,
                                   blocked: a != b && blockedPairs.contains(p))
        let n = max(cacheSites, a + 1, b + 1)
        if n != cacheSites {
            cache = Array(repeating: nil, count: n * n)
            cacheSites = n
        }
        cache[a * n + b] = st
        return st
    }

    private func isBlocked(_ from: DetectorEndpoint, _ to: DetectorEndpoint) -> Bool {
        if from.site == to.site { return false }
        if !blockedPairs.isEmpty, blockedPairs.contains(Pair(from: from.site, to: to.site)) { return true }
        if !cuts.isEmpty {
            if cuts.contains(HostCut(site: from.site, host: from.host, remote: to.site)) { return true }
            if cuts.contains(HostCut(site: to.site, host: to.host, remote: from.site)) { return true }
        }
        return false
    }

    private func blockedSince(_ t: SimInstant, _ from: DetectorEndpoint, _ to: DetectorEndpoint) -> Bool {
        if from.site == to.site || (lastPairBlock.isEmpty && lastCut.isEmpty) { return false }
        if let b = lastPairBlock[Pair(from: from.site, to: to.site)], b > t { return true }
        if let b = lastCut[HostCut(site: from.site, host: from.host, remote: to.site)], b > t { return true }
        if let b = lastCut[HostCut(site: to.site, host: to.host, remote: from.site)], b > t { return true }
        return false
    }

    /// Sends: lost now if blocked or at random, else delivered after the path's delay.
    public func send(_ message: DetectorMessage, bytes: Int) {
        sent += 1
        let st = path(from: message.from, to: message.to)
        if st.blocked { lostBlocked += 1; return }
        if random.bernoulli(st.loss) { lostRandom += 1; return }
        schedule(Flight(message: message, sentAt: sim.now), at: sim.now + st.delay)
    }

    /// Puts a message in flight as if sent at `sentAt` (no random loss); it arrives at `arrival` unless blocked.
    public func inject(_ message: DetectorMessage, sentAt: SimInstant, arrival: SimInstant) {
        sent += 1
        schedule(Flight(message: message, sentAt: sentAt), at: arrival)
    }

    private func schedule(_ f: Flight, at t: SimInstant) {
        let slot: Int
        if let s = freeSlots.popLast() { slot = s; slots[s] = f } else { slot = slots.count; slots.append(f) }
        sim.schedule(at: t, handler: handler, code: 0, argument: Int64(slot))
    }

    /// A message arrives: lost if its path is or was blocked meanwhile, else handed to the sink.
    public func handle(_ event: Event, in sim: Simulator) {
        let slot = Int(event.argument)
        guard let f = slots[slot] else { return }
        slots[slot] = nil
        freeSlots.append(slot)
        if path(from: f.message.from, to: f.message.to).blocked || blockedSince(f.sentAt, f.message.from, f.message.to) {
            lostBlocked += 1
            return
        }
        delivered += 1
        sink?.receive(f.message, in: sim)
    }
}
