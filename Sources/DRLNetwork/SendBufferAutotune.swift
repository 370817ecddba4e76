/// Linux send-buffer autotuning of a TCP socket whose buffer the application did not fix
/// (no SO_SNDBUF, no `SOCK_SNDBUF_LOCK`; DRBD's `sndbuf-size 0`).
///
/// net/ipv4/tcp_input.c `tcp_sndbuf_expand`:
///
///     per_mss = roundup_pow_of_two(max(mss_clamp, mss_cache) + MAX_TCP_HEADER
///                                  + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)))
///               + SKB_DATA_ALIGN(sizeof(struct sk_buff))
///     nr_segs = max(TCP_INIT_CWND, snd_cwnd, reordering + 1)
///     sndmem  = 2 * nr_segs * per_mss           ("Cubic needs 1.7 factor, rounded to 2")
///     if sk_sndbuf < sndmem: sk_sndbuf = min(sndmem, tcp_wmem[2])
///
/// It runs once when the connection is established (`tcp_init_buffer_space`) and again from
/// `tcp_new_space` when ACKs freed queue space for a writer that found the buffer full
/// (SOCK_NOSPACE) and `tcp_should_expand_sndbuf` holds: not locked, no memory pressure, and
/// **the congestion window not filled** (`tcp_packets_in_flight < snd_cwnd`, checked after
/// `tcp_data_snd_check` pushed what the window allows). So the buffer only grows, and only while
/// it, not the window, limits the sender. The model has no memory pressure and reordering 3
/// (`nr_segs` >= 4 never binds above TCP_INIT_CWND = 10).
///
/// Constants (x86_64, a distribution kernel): MAX_TCP_HEADER = L1_CACHE_ALIGN(128 + MAX_HEADER)
/// = 320 (include/net/tcp.h; MAX_HEADER = LL_MAX_HEADER 128 + 48), SKB_DATA_ALIGN(sizeof(struct
/// skb_shared_info)) = 320, SKB_DATA_ALIGN(sizeof(struct sk_buff)) = 256. For MSS 1448:
/// 1448 + 320 + 320 = 2088 -> 4096, + 256 = per_mss 4352 B; the first buffer is
/// 2 x 10 x 4352 = 87,040 B (tcp_wmem[1] = 16 KiB is only the pre-connection value).
///
/// sk_sndbuf bounds `sk_wmem_queued`, which counts skb **truesize**, not payload. The payload
/// the buffer holds is modelled as sk_sndbuf x P / (P + per_mss - mss), with P the payload of
/// one of the flow's segments: each skb costs its payload plus the non-payload part of per_mss
/// (the kernel's own worst-case estimate above). With one-MSS segments that is sk_sndbuf x
/// mss / per_mss: the buffer holds exactly 2 x cwnd segments of payload, the sizing's intent.
/// Simplification: GSO skbs carry their payload in page fragments with a smaller fixed part, so
/// with 64 KB segments the real payload share (~98 %) is a little above the model's (~96 %).
public struct SendBufferAutotune: Sendable, Equatable {
    /// tcp_wmem[2] (net.ipv4.tcp_wmem third value, default 4 MiB = 4194304): the cap, truesize.
    public var maxBytes: Int64 = Self.linuxMaxSendBuffer
    /// MAX_TCP_HEADER (320 B on x86_64).
    public var maxTCPHeader: Int64 = 320
    /// SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) (320 B on x86_64).
    public var sharedInfo: Int64 = 320
    /// SKB_DATA_ALIGN(sizeof(struct sk_buff)) (256 B on x86_64).
    public var skbStruct: Int64 = 256
    /// TCP_INIT_CWND (10 segments, include/net/tcp.h): the smallest `nr_segs`.
    public var minSegments: Int64 = 10

    /// Linux's defaults, capped at `maxBytes`.
    public init(maxBytes: Int64 = Self.linuxMaxSendBuffer) { self.maxBytes = maxBytes }

    /// Linux's `tcp_wmem[2]` default, 4 MiB (net.ipv4.tcp_wmem third value): the largest send
    /// buffer autotuning reaches. The one place this number is set.
    public static let linuxMaxSendBuffer: Int64 = 4_194_304

    /// per_mss of `tcp_sndbuf_expand`: the truesize of one MSS sent as its own skb.
    public func perMSS(mss: Int64) -> Int64 {
        var p: Int64 = 1
        while p < mss + maxTCPHeader + sharedInfo { p <<= 1 }
        return p + skbStruct
    }

    /// The sk_sndbuf `tcp_sndbuf_expand` asks for at a window of `cwndSegments` (before the cap).
    public func wanted(cwndSegments: Int64, mss: Int64) -> Int64 {
        2 * max(minSegments, cwndSegments) * perMSS(mss: mss)
    }

    /// The payload bytes a buffer of `sndbuf` truesize bytes holds, for segments of
    /// `segmentPayload` payload bytes (see the type's comment).
    public func payloadCapacity(sndbuf: Int64, mss: Int64, segmentPayload: Int64) -> Int64 {
        let overhead = perMSS(mss: mss) - mss
        return sndbuf * segmentPayload / (segmentPayload + overhead)
    }
}
