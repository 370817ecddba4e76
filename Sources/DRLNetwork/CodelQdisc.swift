import DRLSimCore

/// `codel`: a single FIFO managed by CoDel (net/sched/sch_codel.c); tail drop at `limit`
/// packets (default 1000) or, if set, at `byteLimit` bytes (ns-3's byte mode); CoDel drops at
/// dequeue (`.codel`).
public final class CodelQdisc: Qdisc {
    /// Packet limit.
    public let limit: Int64
    /// Optional byte limit (replaces the packet limit).
    public let byteLimit: Int64?
    /// CoDel parameters.
    public let params: CoDelParameters
    /// CoDel state (exposed for tests).
    @exclusivity(unchecked) public private(set) var state = CoDelState()
    @exclusivity(unchecked) var queue = Ring<Packet>(capacity: 64)
    @exclusivity(unchecked) var bytes: Int64 = 0

    /// A codel qdisc.
    public init(limit: Int64 = 1000, byteLimit: Int64? = nil, params: CoDelParameters = CoDelParameters()) {
        self.limit = limit
        self.byteLimit = byteLimit
        self.params = params
        super.init(kind: "codel")
    }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        if let b = byteLimit {
            if bytes + Int64(packet.bytes) > b { return .dropped(.overlimit) }
        } else if Int64(queue.count) >= limit { return .dropped(.overlimit) }
        queue.append(packet)
        bytes += Int64(packet.bytes)
        return .accepted
    }

    public override func doDequeue(now: SimInstant) -> Packet? {
        CoDelAlgorithm.dequeue(&state, params, now: now, dequeueHead: {
            guard let p = queue.popFirst() else { return nil }
            bytes -= Int64(p.bytes)
            return (p, bytes)
        }, drop: { p in noteDrop(p, reason: .codel) })
    }

    public override func doReset(reason: DropReason) {
        while let p = queue.popFirst() { bytes -= Int64(p.bytes); noteDrop(p, reason: reason) }
        state = CoDelState()
    }

    /// codel's parameters (tc-codel(8)); target and interval default to `CoDelParameters`'
    /// (5 ms, 100 ms, RFC 8289).
    static let schema = ParameterSchema([
        ParameterSpec("limit", .count, default: .number(1000), maximum: Double(Int32.max), doc: "queue length in packets (tc-codel(8); default 1000)"),
    ] + CoDelParameters.specs)

    /// `codel`: controlled delay AQM.
    public static let plugin = QdiscPlugin(type: "codel", summary: "controlled-delay AQM (tc-codel(8), RFC 8289)",
                                           schema: schema) { c, ctx throws(NetworkConfigError) in try make(c, ctx) }

    static func make(_ c: QdiscConfig, _ ctx: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        let p = try QdiscParams(c, schema: schema)
        return CodelQdisc(limit: p.count("limit")!, params: CoDelParameters(p))
    }
}
