/// How a TCP segment's payload becomes the length a qdisc charges and the link serialises
/// (wire framing), and how many payload bytes one model segment carries.
///
/// A model packet stands for one GSO/TSO super-packet (architecture.md, "Granularity of the
/// WAN") of `n = max(1, segment / mtu)` MTU-sized wire segments, each carrying `mss = mtu - 52`
/// payload bytes (IPv4 header 20 B + TCP header 32 B with the timestamp option, RFC 7323; Linux
/// enables timestamps by default, `net.ipv4.tcp_timestamps = 1`). So `wan.segment` plays the role
/// of the kernel's `gso_max_size` (an IP-level budget, 64 KiB by default) rounded down to whole
/// MTUs; the kernel's `tcp_xmit_size_goal` lands within two MSS of the same size.
///
/// The length charged for a packet of `payload` bytes is
/// `payload + gso_segs x header`, `gso_segs = ceil(payload / mss)`, as Linux's
/// `qdisc_pkt_len_init` (net/core/dev.c) sets `qdisc_skb_cb(skb)->pkt_len` for a GSO skb: the
/// skb's length (one set of headers) plus `(gso_segs - 1) x hdr_len`, where `hdr_len` is the
/// MAC + IP + TCP header length. Kinds:
/// - `.linux` (default of scenarios): header = Ethernet 14 + IPv4 20 + TCP 32 = 66 B per wire
///   segment; a 1500 B MTU carries 1448 B of payload in a 1514 B frame, so a tbf at rate R passes
///   R x 1448/1514 of goodput. What `tc -s` counts on an Ethernet device.
/// - `.ip`: header = IPv4 20 + TCP 32 = 52 B (no link-layer header): what an ns-3 traffic-control
///   layer charges (its queue disc items are IP packets), for side-by-side comparisons.
/// - `.none`: no headers and no rounding: a segment of `segment` bytes is all payload (the model
///   before issue 14; still the `NetworkConfig` API default so unit tests of other models keep
///   their hand-derived numbers).
///
/// Not charged by any kind: the Ethernet preamble, start delimiter, FCS and inter-frame gap
/// (24 B per frame on the physical line), which tc never sees; a link's `rate` is the rate at
/// which qdisc-visible bytes leave. Datagrams (detector probes) are charged the size their sender
/// gives; ACKs are not queued (see `Link`); the sites' LANs (10 Gbit/s, unshaped) carry
/// payload-only packets.
public struct Framing: Sendable, Equatable, Hashable {
    /// The header accounting.
    public enum Kind: String, Sendable, CaseIterable {
        /// Ethernet + IPv4 + TCP with timestamps (66 B per wire segment).
        case linux
        /// IPv4 + TCP with timestamps (52 B per wire segment), as ns-3 charges.
        case ip
        /// Payload only (no headers, segments not rounded to MTUs).
        case none
    }

    /// Ethernet II header (14 B, no VLAN tag; `ETH_HLEN` in include/uapi/linux/if_ether.h).
    public static let ethernetHeader: Int64 = 14
    /// IPv4 header without options (20 B, RFC 791).
    public static let ipHeader: Int64 = 20
    /// TCP header with the timestamp option padded to 12 B (20 + 12 = 32 B, RFC 7323 §3;
    /// `TCPOLEN_TSTAMP_ALIGNED` in include/net/tcp.h).
    public static let tcpHeader: Int64 = 32

    /// The header accounting.
    public var kind: Kind
    /// IP MTU in bytes (Ethernet's 1500 by default, `ETH_DATA_LEN`).
    public var mtu: Int

    /// Framing `kind` with an IP MTU of `mtu` bytes.
    public init(_ kind: Kind = .linux, mtu: Int = 1500) {
        precondition(mtu > Int(Framing.ipHeader + Framing.tcpHeader), "framing: the MTU must exceed the 52 B of IP + TCP headers")
        self.kind = kind
        self.mtu = mtu
    }

    /// Linux framing at a 1500 B MTU.
    public static let linux = Framing(.linux)
    /// IP-only framing at a 1500 B MTU.
    public static let ip = Framing(.ip)
    /// Payload-only packets (no framing).
    public static let none = Framing(.none)

    /// TCP payload per MTU-sized wire segment (`mtu - 52`: 1448 B at 1500; what Linux's
    /// `tcp_current_mss` gives with timestamps). Also the window arithmetic's MSS under `.none`.
    public var mss: Int64 { Int64(mtu) - Framing.ipHeader - Framing.tcpHeader }

    /// Header bytes charged per wire segment.
    public var headerBytes: Int64 {
        switch kind {
        case .linux: return Framing.ethernetHeader + Framing.ipHeader + Framing.tcpHeader
        case .ip: return Framing.ipHeader + Framing.tcpHeader
        case .none: return 0
        }
    }

    /// Payload bytes of a full model segment of `segmentSize` (the link's or a flow's GSO budget):
    /// `max(1, segmentSize / mtu) x mss`, or `segmentSize` itself under `.none`.
    public func segmentPayload(segmentSize: Int) -> Int64 {
        kind == .none ? Int64(segmentSize) : Int64(max(1, segmentSize / mtu)) * mss
    }

    /// Wire segments a packet of `payload` bytes stands for (`gso_segs`, at least 1).
    public func wireSegments(payload: Int64) -> Int64 {
        max(1, (payload + mss - 1) / mss)
    }

    /// The length a qdisc charges for a TCP packet of `payload` bytes (qdisc_pkt_len).
    public func wireLength(payload: Int64) -> Int64 {
        kind == .none ? payload : payload + wireSegments(payload: payload) * headerBytes
    }

    /// The length charged for the largest packet of a link with segment size `segmentSize`.
    public func largestPacket(segmentSize: Int) -> Int {
        Int(wireLength(payload: segmentPayload(segmentSize: segmentSize)))
    }
}
