import DRLSimCore

/// One direction of the flow-level WAN (`FlowNetwork`): its sharing tree, the flows crossing it,
/// its propagation delay and traffic account.
public final class FlowLink {
    /// Source site index.
    public let from: Int
    /// Destination site index.
    public let to: Int
    /// Line rate.
    public let rate: Rate
    /// One-way propagation delay (host to host, as the packet model's link).
    public let delay: SimDuration
    /// Wire framing.
    public let framing: Framing
    /// Segment (GSO) size of the packet model's link.
    public let segmentSize: Int
    /// Payload bytes per wire byte for full segments (`Framing.segmentPayload / largestPacket`).
    public let payloadFraction: Double
    /// The root of the sharing tree: the line rate over the compiled root qdisc.
    public let root: FlowShareNode
    /// The packet model's root qdisc this direction was compiled from (its classes' rates are
    /// read at every allocation, so `tc class change` through `HtbClass.change` takes effect).
    public let qdisc: Qdisc
    /// Whether the direction is blocked (disaster, partition).
    public internal(set) var isBlocked = false
    /// The traffic account (nil when the direction is not accounted).
    public internal(set) var accounting: TrafficAccount?
    /// Flows crossing this direction in the allocation (sending or wanting to).
    var members: [FlowMember] = []
    /// Every open flow crossing this direction.
    var all: [FlowMember] = []
    /// The leaves of the sharing tree.
    lazy var leaves: [FlowShareNode] = root.leaves
    /// Serialisation of one full segment at the line rate (part of every flow's base RTT, as in
    /// the packet model, where a segment is serialised before it propagates).
    public let segmentTime: SimDuration
    /// Reallocations of this direction so far.
    public internal(set) var reallocations: Int64 = 0
    /// Wire bytes carried so far, per traffic class (raw index).
    public internal(set) var wireBytes = [Int64](repeating: 0, count: TrafficClass.names.count)

    init(config c: NetworkConfig.Link, qdisc: Qdisc) {
        from = c.from; to = c.to; rate = c.rate; delay = c.delay; framing = c.framing; segmentSize = c.segmentSize
        let payload = c.framing.segmentPayload(segmentSize: c.segmentSize)
        let wire = c.framing.wireLength(payload: payload)
        payloadFraction = Double(payload) / Double(wire)
        self.qdisc = qdisc
        root = FlowShareNode(kind: .fair, capacity: Double(c.rate.bitsPerSecond) / 8 * payloadFraction)
        root.add(FlowShareNode.compile(qdisc, payloadFraction: payloadFraction))
        segmentTime = .nanoseconds(c.rate.nanoseconds(forBytes: wire))
    }

    /// The payload capacity of the direction (line rate, or the tightest shaper on the way).
    public var payloadCapacity: Double { root.capacity }

    /// Counts `payload` bytes of class `c` sent from `t0` to `t1` at a constant rate, in wire
    /// bytes, split over the traffic bins; `carry` keeps the fractional wire bytes of the sender.
    func account(payload: Double, trafficClass c: TrafficClass, from t0: SimInstant, to t1: SimInstant, carry: inout Double) {
        guard payload > 0 else { return }
        let wire = payload / payloadFraction
        guard let acc = accounting, t1 > t0 else {
            carry += wire
            let n = Int64(carry.rounded(.down))
            carry -= Double(n)
            wireBytes[Int(c.raw)] += n
            accounting?.add(bytes: n, trafficClass: c, at: t1 > t0 ? t0 : t1)
            return
        }
        let bin = acc.bin.nanoseconds
        var s = t0.nanoseconds
        let total = Double(t1.nanoseconds - t0.nanoseconds)
        while s < t1.nanoseconds {
            let e = Swift.min(t1.nanoseconds, (s / bin + 1) * bin)
            carry += wire * Double(e - s) / total
            let n = Int64(carry.rounded(.down))
            carry -= Double(n)
            if n > 0 { acc.add(bytes: n, trafficClass: c, at: SimInstant(nanoseconds: s)); wireBytes[Int(c.raw)] += n }
            s = e
        }
    }
}
