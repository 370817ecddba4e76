/// A tc filter: a match on a packet's traffic class, flow or priority, giving a class/band index.
///
/// The model's stand-in for `tc filter ... match mark` / `u32` / `flow`: the scenario says
/// `{ class: replication, flowid: 1:10 }`; the classful qdisc resolves `flowid` to its own index.
public struct PacketFilter: Sendable, Equatable {
    /// What the filter matches.
    public enum Match: Sendable, Equatable {
        /// Packets of this traffic class.
        case trafficClass(TrafficClass)
        /// Packets of this flow (`Flow.id`).
        case flow(Int32)
        /// Packets with this skb priority.
        case priority(UInt8)
        /// Every packet.
        case all
    }
    /// The match.
    public var match: Match
    /// The result: a band (prio) or a class index (htb), as resolved by the owning qdisc.
    public var target: Int

    /// A filter sending `match` to `target`.
    public init(_ match: Match, target: Int) {
        self.match = match
        self.target = target
    }

    /// True when `p` matches.
    @inlinable public func matches(_ p: Packet) -> Bool {
        switch match {
        case .trafficClass(let c): p.trafficClass == c
        case .flow(let f): p.flow == f
        case .priority(let x): p.priority == x
        case .all: true
        }
    }

    /// The first matching filter's target, in order (tc filter priority order), or nil.
    @inlinable public static func classify(_ p: Packet, _ filters: [PacketFilter]) -> Int? {
        for f in filters where f.matches(p) { return f.target }
        return nil
    }
}
