import DRLSimCore
import DRLNetwork
import DequeModule

/// A minimal WAN behind the `TransferNetwork` seam: one shared bottleneck of fixed rate,
/// a one-way delay, segments served round robin among channels, acknowledgements after the
/// reverse delay. No loss, no congestion window (the window is the send buffer).
///
/// Used for tests of the data paths in isolation and as the analytic reference
/// (goodput = rate, RTT = 2 x delay + serialisation). The real WAN is DRLNetwork.
public final class FixedRateNetwork: TransferNetwork, EventHandler {
    /// The bottleneck rate in bit/s.
    public let bitsPerSecond: Double
    /// One-way propagation delay.
    public let oneWayDelay: SimDuration
    /// Segment size in bytes (64 KiB, GSO-sized, by default).
    public let segmentBytes: Int64
    /// Set to false to cut the link (disaster): nothing more is delivered.
    public private(set) var isUp = true
    /// Bytes serialised per traffic class, in order of first use.
    public private(set) var bytesByClass: [(String, Int64)] = []

    let sim: Simulator
    private var id: HandlerID!
    private var channels: [FixedRateChannel] = []
    private var ready = Deque<Int>()       // channel indices with unsent bytes, round robin
    private var busy = false
    private var inService: (channel: Int, bytes: Int64)? = nil
    private var propagation = Deque<(at: SimInstant, channel: Int, bytes: Int64, ack: Bool)>()
    private var generation: Int64 = 0      // bumped by `cut`: events of an earlier generation are void

    private enum Code: Int32 { case serialised = 1, propagated = 2 }

    /// A link of `bitsPerSecond` with `oneWayDelay`, segmenting at `segmentBytes`.
    public init(sim: Simulator, bitsPerSecond: Double, oneWayDelay: SimDuration, segmentBytes: Int64 = 65536) {
        self.sim = sim
        self.bitsPerSecond = bitsPerSecond
        self.oneWayDelay = oneWayDelay
        self.segmentBytes = segmentBytes
        self.id = sim.register(self)
    }

    public func openChannel(from source: String, to destination: String, trafficClass: String,
                            sendBuffer: Int64) -> TransferChannel {
        let c = FixedRateChannel(network: self, index: channels.count, trafficClass: trafficClass,
                                 sendBuffer: sendBuffer)
        channels.append(c)
        return c
    }

    /// Cuts the link: queued and propagating bytes are never delivered.
    public func cut() {
        isUp = false
        generation += 1
        ready.removeAll()
        propagation.removeAll()
        inService = nil
        busy = false
    }

    /// Repairs a cut link: channels opened afterwards (and unsent bytes of open ones) flow again.
    /// Bytes lost by the cut stay lost (their channels never see them delivered).
    public func restore() {
        guard !isUp else { return }
        isUp = true
        for c in channels where c.unsent > 0 && !c.aborted { hasData(c.index) }
    }

    /// Whether the link is up (a cut link is unreachable in both directions).
    public func isReachable(from source: String, to destination: String) -> Bool { isUp }

    func hasData(_ index: Int) {
        guard isUp else { return }
        if !channels[index].queuedForLink { channels[index].queuedForLink = true; ready.append(index) }
        if !busy { startNext() }
    }

    private func startNext() {
        while let i = ready.popFirst() {
            let c = channels[i]
            c.queuedForLink = false
            guard c.unsent > 0, !c.aborted else { continue }
            let b = Swift.min(segmentBytes, c.unsent)
            c.unsent -= b
            if c.unsent > 0 { c.queuedForLink = true; ready.append(i) }
            busy = true
            inService = (i, b)
            sim.schedule(after: .transmission(bytes: b, bitsPerSecond: bitsPerSecond), handler: id,
                         code: Code.serialised.rawValue, argument: generation)
            return
        }
        busy = false
    }

    public func handle(_ event: Event, in sim: Simulator) {
        guard event.argument == generation else { return }
        switch Code(rawValue: event.code)! {
        case .serialised:
            guard let s = inService else { busy = false; return }
            inService = nil
            count(channels[s.channel].trafficClass, s.bytes)
            propagation.append((sim.now + oneWayDelay, s.channel, s.bytes, false))
            sim.schedule(after: oneWayDelay, handler: id, code: Code.propagated.rawValue, argument: generation)
            startNext()
        case .propagated:
            guard let p = propagation.popFirst() else { return }
            let c = channels[p.channel]
            if c.aborted { return }
            if !p.ack {
                c.delivered += p.bytes
                propagation.append((sim.now + oneWayDelay, p.channel, p.bytes, true))
                sim.schedule(after: oneWayDelay, handler: id, code: Code.propagated.rawValue, argument: generation)
                c.onDelivered?(c.delivered)
            } else {
                c.acknowledged += p.bytes
                c.onAcknowledged?(c.acknowledged)
                c.onSpace?()
            }
        }
    }

    private func count(_ cls: String, _ bytes: Int64) {
        if let i = bytesByClass.firstIndex(where: { $0.0 == cls }) { bytesByClass[i].1 += bytes }
        else { bytesByClass.append((cls, bytes)) }
    }
}
