import DRLSimCore

/// `netem`: delay with uniform jitter, random loss (Bernoulli or Gilbert-Elliott), rate and a
/// packet limit (net/sched/sch_netem.c, tc-netem(8)).
///
/// Enqueue: a lost packet is dropped (`.netemLoss`); with `limit` (default 1000) packets already
/// held the packet is tail-dropped (`.overlimit`); otherwise its release time is
/// `now + delay + U[-jitter, jitter)` (tabledist without a distribution table: uniform), and with
/// a `rate` the release is serialised after the last held packet (`delay -= last - now` bounded at
/// 0, plus len/rate). Held packets are ordered by release time (tfifo), so jitter can reorder.
/// Dequeue hands out the head once its release time has come, else arms the watchdog.
/// Gilbert-Elliott (`gemodel p r 1-h 1-k`): from Good go Bad with p, from Bad go Good with r; a
/// packet is lost with 1-k in Good and 1-h in Bad, judged in the state before the transition
/// (loss_gilb_ell's order). Loss correlation and duplication/corruption are not modelled.
public final class NetemQdisc: Qdisc {
    /// A loss model.
    public enum LossModel: Sendable, Equatable {
        /// No loss.
        case none
        /// Independent loss with probability p.
        case bernoulli(Double)
        /// Gilbert-Elliott with transition probabilities p (G->B), r (B->G) and loss
        /// probabilities lossBad (1-h) and lossGood (1-k).
        case gilbertElliott(p: Double, r: Double, lossBad: Double, lossGood: Double)
    }

    /// Base delay.
    public let delay: SimDuration
    /// Jitter (uniform +- jitter).
    public let jitter: SimDuration
    /// Loss model.
    public let loss: LossModel
    /// Serialisation rate, if any.
    public let rate: Rate?
    /// Packet limit.
    public let limit: Int
    /// True while the Gilbert-Elliott chain is in the Bad state.
    @exclusivity(unchecked) public private(set) var inBadState = false
    let stream: RandomStream
    @exclusivity(unchecked) var tfifo = Ring<Packet>(capacity: 64)

    /// A netem qdisc drawing from `stream`.
    public init(delay: SimDuration = .zero, jitter: SimDuration = .zero, loss: LossModel = .none,
                rate: Rate? = nil, limit: Int = 1000, stream: RandomStream) {
        self.delay = delay; self.jitter = jitter; self.loss = loss; self.rate = rate
        self.limit = limit; self.stream = stream
        super.init(kind: "netem")
    }

    func isLost() -> Bool {
        switch loss {
        case .none: return false
        case .bernoulli(let p): return stream.bernoulli(p)
        case .gilbertElliott(let p, let r, let lossBad, let lossGood):
            if !inBadState {
                if stream.uniform() < p { inBadState = true }
                return stream.uniform() < lossGood
            } else {
                if stream.uniform() < r { inBadState = false }
                return stream.uniform() < lossBad
            }
        }
    }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        if isLost() { return .dropped(.netemLoss) }
        if tfifo.count >= limit { return .dropped(.overlimit) }
        var d = delay.nanoseconds
        if jitter.nanoseconds > 0 {
            let span = 2 * jitter.nanoseconds
            let r: Int64 = span <= Int64(UInt32.max) ? Int64(stream.uniformInt(Int(span))) : Int64(stream.uniform() * Double(span))
            d = max(0, d - jitter.nanoseconds + r)
        }
        var base = now.nanoseconds
        if let rate {
            if let last = tfifo.last {
                d -= last.timeToSend.nanoseconds - now.nanoseconds
                d = max(0, d)
                base = last.timeToSend.nanoseconds
            }
            d += rate.nanoseconds(forBytes: Int64(packet.bytes))
        }
        var p = packet
        p.timeToSend = SimInstant(nanoseconds: base + d)
        // tfifo_enqueue: keep sorted by release time, after equal ones.
        var i = tfifo.count
        while i > 0 && tfifo[i - 1].timeToSend > p.timeToSend { i -= 1 }
        if i == tfifo.count { tfifo.append(p) } else { tfifo.insert(p, at: i) }
        return .accepted
    }

    public override func doDequeue(now: SimInstant) -> Packet? {
        guard let head = tfifo.first else { return nil }
        if head.timeToSend <= now { return tfifo.popFirst() }
        requestWakeup(at: head.timeToSend)
        return nil
    }

    public override func doReset(reason: DropReason) {
        while let p = tfifo.popFirst() { noteDrop(p, reason: reason) }
    }

    /// Builds a netem from tc spelling: `delay`, `jitter`, `loss` (percentage, Bernoulli) or
    /// `loss_model: gemodel` with `p`, `r`, `1-h`, `1-k`, `rate`, `limit`.
    /// netem's parameters (tc-netem(8)).
    static let schema: ParameterSchema = [
        ParameterSpec("delay", .duration, default: .duration(.zero), doc: "added delay (tc-netem(8) delay)"),
        ParameterSpec("jitter", .duration, default: .duration(.zero), doc: "uniform variation of the delay"),
        ParameterSpec("loss", .probability, doc: "independent loss probability (loss random)"),
        ParameterSpec("loss_model", .choice(["none", "random", "bernoulli", "gemodel"]),
                      doc: "loss model (default: random when loss is given, else none)"),
        ParameterSpec("p", .probability, doc: "gemodel: good -> bad transition probability"),
        ParameterSpec("r", .probability, doc: "gemodel: bad -> good transition probability (default 1 - p)"),
        ParameterSpec("1-h", .probability, doc: "gemodel: loss probability in the bad state (default 1)"),
        ParameterSpec("1-k", .probability, doc: "gemodel: loss probability in the good state (default 0)"),
        ParameterSpec("rate", .rate, doc: "rate limit of the emulated link"),
        ParameterSpec("limit", .count, default: .number(1000), maximum: Double(Int32.max), doc: "queue length in packets (default 1000)"),
    ]

    /// `netem`: delay, jitter and loss emulation.
    public static let plugin = QdiscPlugin(type: "netem", summary: "network emulator: delay, jitter, loss, rate (tc-netem(8))",
                                           schema: schema) { c, ctx throws(NetworkConfigError) in try make(c, ctx) }

    static func make(_ c: QdiscConfig, _ ctx: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        let p = try QdiscParams(c, schema: schema)
        var model = LossModel.none
        switch p.text("loss_model") ?? (p.probability("loss") != nil ? "random" : "none") {
        case "none": break
        case "random", "bernoulli":
            model = .bernoulli(p.probability("loss") ?? 0)
        case "gemodel":
            guard let gp = p.probability("p") else { throw .missing(key: "p") }
            model = .gilbertElliott(p: gp, r: p.probability("r") ?? (1 - gp),
                                    lossBad: p.probability("1-h") ?? 1, lossGood: p.probability("1-k") ?? 0)
        case let other:
            throw .badValue(key: "loss_model", value: other, expected: "random or gemodel")
        }
        return NetemQdisc(delay: p.time("delay")!, jitter: p.time("jitter")!, loss: model,
                          rate: p.rate("rate"), limit: Int(p.count("limit")!), stream: ctx.stream("netem"))
    }
}
