import DRLSimCore

/// `tbf`: the token bucket filter with Linux's arithmetic (net/sched/sch_tbf.c, tc-tbf(8)).
///
/// Tokens are kept as time: `buffer = burst/rate`, `mtu = minburst/peakrate` (nanoseconds).
/// Dequeue of the head packet of length L at `now`:
/// ```
/// toks  = min(now - t_c, buffer)
/// ptoks = min(toks + ptokens, mtu) - L/peakrate        (only with a peak rate)
/// toks  = min(toks + tokens, buffer) - L/rate
/// send if toks >= 0 and ptoks >= 0 (t_c = now; keep both), else wake up after max(-toks, -ptoks)
/// ```
/// Enqueue: a packet larger than `maxSize` (what the buckets can ever pay for) is dropped
/// (`.oversize`; the kernel segments GSO packets instead, so configure `burst` >= the segment size);
/// otherwise it goes to the inner qdisc, a bfifo of `limit` bytes by default. With `latency`
/// instead of `limit`: `limit = min(rate*latency + burst, peakrate*latency + mtu)` (tc/q_tbf.c;
/// drbd-and-tc.md: the man-page example gives 9495 B).
public final class TbfQdisc: Qdisc {
    /// Token rate.
    @exclusivity(unchecked) public private(set) var rate: Rate
    /// Peak rate, if any.
    @exclusivity(unchecked) public private(set) var peakRate: Rate?
    /// Bucket size in bytes.
    public let burst: Int64
    /// Peak bucket size in bytes (minburst; the MTU).
    public let minburst: Int64
    /// Bucket depth in nanoseconds (q->buffer).
    @exclusivity(unchecked) public private(set) var bufferNs: Int64
    /// Peak bucket depth in nanoseconds (q->mtu).
    @exclusivity(unchecked) public private(set) var mtuNs: Int64
    /// The largest packet the buckets can send (q->max_size).
    @exclusivity(unchecked) public private(set) var maxSize: Int64
    /// Rate tokens in nanoseconds (q->tokens).
    @exclusivity(unchecked) public private(set) var tokens: Int64
    /// Peak tokens in nanoseconds (q->ptokens).
    @exclusivity(unchecked) public private(set) var ptokens: Int64
    /// Time of the last send (q->t_c).
    @exclusivity(unchecked) public private(set) var lastCheckpoint: SimInstant
    /// The inner qdisc (default bfifo of `limit` bytes).
    @exclusivity(unchecked) public private(set) var inner: Qdisc

    /// A tbf with an explicit inner `limit` in bytes (or a custom `inner` qdisc).
    public init(rate: Rate, burst: Int64, limit: Int64, peakRate: Rate? = nil, minburst: Int64 = 0,
                inner: Qdisc? = nil, now: SimInstant = .zero) {
        precondition(burst > 0, "tbf: burst must be positive")
        self.rate = rate
        self.peakRate = peakRate
        self.burst = burst
        self.minburst = minburst
        precondition(peakRate == nil || minburst > 0, "tbf: peakrate needs minburst (mtu)")
        (bufferNs, mtuNs, maxSize) = Self.buckets(rate: rate, burst: burst, peakRate: peakRate, minburst: minburst)
        tokens = bufferNs
        ptokens = mtuNs
        lastCheckpoint = now
        self.inner = inner ?? FifoQdisc(mode: .bytes, limit: limit)
        super.init(kind: "tbf")
        adopt(self.inner)
    }

    /// The inner limit tc derives from `latency` (tc/q_tbf.c).
    public static func limit(rate: Rate, burst: Int64, latency: SimDuration, peakRate: Rate? = nil,
                             minburst: Int64 = 0) -> Int64 {
        var l = rate.bytes(inNanoseconds: latency.nanoseconds) + burst
        if let pr = peakRate {
            l = min(l, pr.bytes(inNanoseconds: latency.nanoseconds) + minburst)
        }
        return l
    }

    /// Changes the rates at run time, as `tc qdisc change ... tbf rate R burst B` does
    /// (`tbf_change` in net/sched/sch_tbf.c): `burst` and `minburst` keep their byte sizes and are
    /// re-expressed in time at the new rates (`q->buffer`, `q->mtu`, `q->max_size` recomputed);
    /// both buckets are refilled (`q->tokens = q->buffer; q->ptokens = q->mtu`); `t_c` and the
    /// queued packets are kept (the inner bfifo only has its limit reset, unchanged here).
    /// drbd-and-tc.md gives the dequeue arithmetic but not `change`; the refill is the kernel's.
    public func change(rate newRate: Rate, peakRate newPeak: Rate? = nil) {
        precondition(newRate.bitsPerSecond > 0, "tbf: rate must be positive")
        rate = newRate
        if let pr = newPeak ?? peakRate, pr.bitsPerSecond > newRate.bitsPerSecond { peakRate = pr } else { peakRate = nil }
        (bufferNs, mtuNs, maxSize) = Self.buckets(rate: rate, burst: burst, peakRate: minburst > 0 ? peakRate : nil,
                                                  minburst: minburst)
        tokens = bufferNs
        ptokens = mtuNs
    }

    /// The bucket depths in time and the largest sendable packet for byte sizes `burst` and
    /// `minburst` at `rate` / `peakRate` (`tbf_change`: `q->buffer`, `q->mtu`, `q->max_size`).
    static func buckets(rate: Rate, burst: Int64, peakRate: Rate?, minburst: Int64)
        -> (bufferNs: Int64, mtuNs: Int64, maxSize: Int64) {
        let bufferNs = rate.nanoseconds(forBytes: burst)
        var maxSize = rate.bytes(inNanoseconds: bufferNs)
        var mtuNs: Int64 = 0
        if let pr = peakRate {
            mtuNs = pr.nanoseconds(forBytes: minburst)
            maxSize = min(maxSize, pr.bytes(inNanoseconds: mtuNs))
        }
        return (bufferNs, mtuNs, maxSize)
    }

    /// Rate tokens expressed in bytes (ns-3's view: tokens x rate), for tests.
    public var tokenBytes: Int64 { rate.bytes(inNanoseconds: tokens) }
    /// Peak tokens expressed in bytes.
    public var peakTokenBytes: Int64 { peakRate.map { $0.bytes(inNanoseconds: ptokens) } ?? 0 }

    public override var children: [Qdisc] { [inner] }

    /// Replaces the inner qdisc (tc qdisc add ... parent <tbf handle>).
    public func setInner(_ q: Qdisc) {
        inner = q
        adopt(q)
    }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        if Int64(packet.bytes) > maxSize { return .dropped(.oversize) }
        return inner.enqueue(packet, now: now)
    }

    public override func doDequeue(now: SimInstant) -> Packet? {
        guard let p = inner.peek(now: now) else { return nil }
        let len = Int64(p.bytes)
        var toks = min(now.nanoseconds - lastCheckpoint.nanoseconds, bufferNs)
        var ptoks: Int64 = 0
        if let pr = peakRate {
            ptoks = min(toks + ptokens, mtuNs) - pr.nanoseconds(forBytes: len)
        }
        toks = min(toks + tokens, bufferNs) - rate.nanoseconds(forBytes: len)
        if (toks | ptoks) >= 0 {
            let out = inner.dequeue(now: now)
            lastCheckpoint = now
            tokens = toks
            ptokens = ptoks
            return out
        }
        requestWakeup(at: now + SimDuration(nanoseconds: max(-toks, -ptoks)))
        countOverlimit()
        return nil
    }
}

extension TbfQdisc {
    /// Builds a tbf from tc parameters: `rate`, `burst` (alias `buffer`, `maxburst`), `limit` or
    /// `latency`, optional `peakrate` with `minburst` (alias `mtu`); an optional single class
    /// holding the inner qdisc (`classes: [{ classid: "1:1", qdisc: ... }]`).
    /// tbf's parameters as tc-tbf(8) lists them, aliases included (`burst` "also known as
    /// buffer or maxburst", `minburst` also `mtu`).
    static let schema: ParameterSchema = [
        ParameterSpec("rate", .rate, required: true, doc: "token rate (tc-tbf(8) rate)"),
        ParameterSpec("burst", .size, required: true, aliases: ["buffer", "maxburst"],
                      doc: "bucket size in bytes, at least one segment (tc-tbf(8) burst/buffer/maxburst)"),
        ParameterSpec("limit", .size, doc: "bytes that may queue for tokens, at least one segment; or give latency"),
        ParameterSpec("latency", .duration, doc: "longest wait for tokens; sets limit = rate x latency + burst (tc-tbf(8))"),
        ParameterSpec("peakrate", .rate, doc: "maximum depletion rate of the bucket (needs minburst)"),
        ParameterSpec("minburst", .size, aliases: ["mtu"], doc: "size of the peakrate bucket (tc-tbf(8) mtu/minburst)"),
    ]

    /// `tbf`: the token bucket filter.
    public static let plugin = QdiscPlugin(type: "tbf", summary: "token bucket filter: a rate cap with a burst (tc-tbf(8))",
                                           schema: schema) { c, ctx throws(NetworkConfigError) in try make(c, ctx) }

    static func make(_ c: QdiscConfig, _ ctx: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        let p = try QdiscParams(c, schema: schema)
        let rate = try p.requiredRate("rate")
        // A bucket smaller than one segment can never send it: Linux only warns ("burst is lower
        // than device mtu", sch_tbf.c tbf_change) and then drops every larger packet; this model
        // does not split segments (no GSO), so such a tbf would black-hole the link: refused.
        guard let burst = try p.atLeast("burst", p.size("burst"), Int64(ctx.mtu),
                                        "at least one segment (\(ctx.mtu) bytes): a smaller bucket can never send a packet")
        else { throw .missing(key: "burst") }
        let peak = p.rate("peakrate")
        let minburst = p.size("minburst") ?? 0
        if peak != nil && minburst == 0 { throw .missing(key: "minburst") }
        let limit: Int64
        if let l = try p.atLeast("limit", p.size("limit"), Int64(ctx.mtu),
                                 "at least one segment (\(ctx.mtu) bytes): a smaller limit drops every packet") {
            limit = l
        } else if let lat = p.time("latency") {
            limit = TbfQdisc.limit(rate: rate, burst: burst, latency: lat, peakRate: peak, minburst: minburst)
        } else {
            throw .missing(key: "limit")
        }
        var inner: Qdisc?
        if let cls = c.classes.first, let q = cls.qdisc {
            do throws(NetworkConfigError) { inner = try ctx.qdiscs.build(q, context: ctx) } catch { throw error.prefixed("classes[0].qdisc") }
        }
        return TbfQdisc(rate: rate, burst: burst, limit: limit, peakRate: peak, minburst: minburst, inner: inner)
    }
}
