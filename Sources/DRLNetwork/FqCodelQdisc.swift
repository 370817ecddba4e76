import DRLSimCore

/// `fq_codel`: per-flow queues served by deficit round robin, new flows before old ones, each
/// queue managed by CoDel (net/sched/sch_fq_codel.c; RFC 8290).
///
/// Defaults: limit 10240 packets, 1024 flows, quantum 1514 B (device MTU), target 5 ms,
/// interval 100 ms, drop batch 64 (drbd-and-tc.md; sch_fq_codel.c `fq_codel_init`). The flow of
/// a packet is `hash % flows` (the model's `Packet.hash` replaces the kernel's skb hash). On
/// overflow the fattest flow (most bytes) loses packets from its head until half its backlog
/// is gone or 64 packets were dropped (`fq_codel_drop`); the arriving packet stays.
public final class FqCodelQdisc: Qdisc {
    /// Packet limit.
    public let limit: Int64
    /// Number of flow buckets.
    public let flowCount: Int
    /// DRR quantum in bytes.
    public let quantum: Int
    /// CoDel parameters.
    public let params: CoDelParameters
    /// Maximum packets dropped per overflow.
    public let dropBatch: Int

    struct FlowQueue {
        var queue = Ring<Packet>(capacity: 4)
        var backlog: Int64 = 0
        var deficit: Int = 0
        var codel = CoDelState()
        var list: UInt8 = 0     // 0 none, 1 new, 2 old
    }
    @exclusivity(unchecked) var flows: [FlowQueue]
    @exclusivity(unchecked) var newFlows = Ring<Int>(capacity: 16)
    @exclusivity(unchecked) var oldFlows = Ring<Int>(capacity: 16)
    @exclusivity(unchecked) var qlen: Int64 = 0
    @exclusivity(unchecked) var bytes: Int64 = 0

    /// An fq_codel qdisc.
    public init(limit: Int64 = 10_240, flows: Int = 1024, quantum: Int = 1514,
                params: CoDelParameters = CoDelParameters(), dropBatch: Int = 64) {
        precondition(flows > 0 && quantum > 0 && limit > 0)
        self.limit = limit
        self.flowCount = flows
        self.quantum = quantum
        self.params = params
        self.dropBatch = dropBatch
        self.flows = Array(repeating: FlowQueue(), count: flows)
        super.init(kind: "fq_codel")
    }

    /// The bucket of `p`.
    public func flowIndex(of p: Packet) -> Int { Int(p.hash % UInt32(flowCount)) }
    /// Packets queued in bucket `i`.
    public func packets(inFlow i: Int) -> Int { flows[i].queue.count }
    /// Deficit of bucket `i`.
    public func deficit(ofFlow i: Int) -> Int { flows[i].deficit }
    /// Which list bucket `i` is on: "new", "old" or "inactive".
    public func status(ofFlow i: Int) -> String { ["inactive", "new", "old"][Int(flows[i].list)] }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        let idx = flowIndex(of: packet)
        flows[idx].queue.append(packet)
        flows[idx].backlog += Int64(packet.bytes)
        qlen += 1
        bytes += Int64(packet.bytes)
        if flows[idx].list == 0 {
            flows[idx].list = 1
            flows[idx].deficit = quantum
            newFlows.append(idx)
        }
        if qlen <= limit { return .accepted }
        // Overflow: drop from the fattest flow (the arriving packet is already queued; if it was
        // itself dropped, the books still balance because drops are reported one by one).
        var fat = 0
        var maxBacklog: Int64 = 0
        for i in 0..<flowCount where flows[i].backlog > maxBacklog { maxBacklog = flows[i].backlog; fat = i }
        let threshold = maxBacklog >> 1
        var len: Int64 = 0
        var n = 0
        var droppedArriving = false
        repeat {
            guard let p = flows[fat].queue.popFirst() else { break }
            len += Int64(p.bytes)
            flows[fat].backlog -= Int64(p.bytes)
            qlen -= 1
            bytes -= Int64(p.bytes)
            n += 1
            if fat == idx && flows[fat].queue.isEmpty { droppedArriving = true }
            if droppedArriving {
                return .dropped(.fattestFlow)   // the arriving packet itself went: report it as refused
            }
            noteDrop(p, reason: .fattestFlow)
        } while n < dropBatch && len < threshold
        return .accepted
    }

    public override func doDequeue(now: SimInstant) -> Packet? {
        while true {
            var fromNew = true
            guard let idx = newFlows.first ?? { fromNew = false; return oldFlows.first }() else { return nil }
            if flows[idx].deficit <= 0 {
                flows[idx].deficit += quantum
                if fromNew { newFlows.popFirst() } else { oldFlows.popFirst() }
                flows[idx].list = 2
                oldFlows.append(idx)
                continue
            }
            var v = flows[idx].codel
            let p = CoDelAlgorithm.dequeue(&v, params, now: now, dequeueHead: {
                guard let p = flows[idx].queue.popFirst() else { return nil }
                flows[idx].backlog -= Int64(p.bytes)
                qlen -= 1
                bytes -= Int64(p.bytes)
                return (p, bytes)
            }, drop: { p in noteDrop(p, reason: .codel) })
            flows[idx].codel = v
            guard let p else {
                if fromNew { newFlows.popFirst() } else { oldFlows.popFirst() }
                if fromNew && !oldFlows.isEmpty {
                    flows[idx].list = 2
                    oldFlows.append(idx)
                } else {
                    flows[idx].list = 0
                }
                continue
            }
            flows[idx].deficit -= p.bytes
            return p
        }
    }

    public override func doReset(reason: DropReason) {
        for i in 0..<flowCount {
            while let p = flows[i].queue.popFirst() { noteDrop(p, reason: reason) }
            flows[i] = FlowQueue()
        }
        newFlows.removeAll()
        oldFlows.removeAll()
        qlen = 0
        bytes = 0
    }

    /// fq_codel's parameters (tc-fq_codel(8) and its defaults in sch_fq_codel.c
    /// `fq_codel_init`: limit 10240, flows 1024, quantum = MTU + 14 = 1514).
    static let schema = ParameterSchema([
        ParameterSpec("limit", .count, default: .number(10_240), minimum: 1, maximum: Double(Int32.max), doc: "total queue length in packets (default 10240)"),
        ParameterSpec("flows", .count, default: .number(1024), minimum: 1, maximum: Double(Int32.max), doc: "number of flow queues (default 1024)"),
        ParameterSpec("quantum", .count, default: .number(1514), maximum: Double(Int32.max), doc: "bytes served per DRR turn (default 1514)"),
    ] + CoDelParameters.specs)

    /// `fq_codel`: fair queueing with CoDel per flow.
    public static let plugin = QdiscPlugin(type: "fq_codel", summary: "flow queues with CoDel per queue (tc-fq_codel(8))",
                                           schema: schema) { c, ctx throws(NetworkConfigError) in try make(c, ctx) }

    static func make(_ c: QdiscConfig, _ ctx: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        let p = try QdiscParams(c, schema: schema)
        return FqCodelQdisc(limit: p.count("limit")!, flows: Int(p.count("flows")!),
                            quantum: Int(p.count("quantum")!), params: CoDelParameters(p))
    }
}
