import DRLSimCore

/// One unit the qdiscs and links handle: a GSO-sized TCP segment, a datagram or an ACK.
///
/// Linux qdiscs see GSO/TSO super-packets of up to 64 KiB (architecture.md, "Granularity of the
/// WAN"), so a packet here is a segment of `NetworkConfig` `segmentSize` bytes or less.
public struct Packet: Sendable {
    /// Length in bytes as the qdisc sees it and the link serialises (qdisc_pkt_len): the payload
    /// plus the headers of every wire segment it stands for (`Framing.wireLength`).
    public var bytes: Int
    /// TCP payload bytes carried (a datagram: equal to `bytes`).
    public var payload: Int
    /// The flow's index in its network, or -1 for a datagram.
    public var flow: Int32
    /// Traffic class (the field filters classify on).
    public var trafficClass: TrafficClass
    /// The skb priority used by `prio`'s priomap (0-15; default 0).
    public var priority: UInt8
    /// A flow hash (fq_codel's flow selector).
    public var hash: UInt32
    /// Segment number within the flow, or the datagram's token.
    public var segment: Int64
    /// Transmission index within the flow (first sending and each retransmission get a new one).
    public var transmission: Int64
    /// When the packet entered the current qdisc (skb timestamp; CoDel's sojourn start).
    public var enqueuedAt: SimInstant
    /// A netem qdisc's release time (time_to_send).
    public var timeToSend: SimInstant

    /// A packet of `bytes` bytes (on the wire) of class `trafficClass`, carrying `payload` bytes
    /// of data (default: all of it).
    public init(bytes: Int, payload: Int? = nil, trafficClass: TrafficClass = .application, flow: Int32 = -1, priority: UInt8 = 0,
                hash: UInt32 = 0, segment: Int64 = 0, transmission: Int64 = 0) {
        self.bytes = bytes; self.payload = payload ?? bytes; self.trafficClass = trafficClass; self.flow = flow; self.priority = priority
        self.hash = hash; self.segment = segment; self.transmission = transmission
        self.enqueuedAt = .zero; self.timeToSend = .zero
    }
}
