import DRLSimCore

/// `htb`: hierarchical token bucket (net/sched/sch_htb.c, tc-htb(8), drbd-and-tc.md).
///
/// Dequeue order follows `htb_dequeue`: the direct queue first (unclassified packets when no
/// default class is set bypass shaping, as in Linux), then for level 0, 1, ... and within a level
/// for prio 0..7, the leaves whose traffic can be served at that level: a leaf that is CAN_SEND
/// is served at level 0 (its own rate); a MAY_BORROW leaf is served at the level of its nearest
/// CAN_SEND ancestor reachable through MAY_BORROW ancestors (borrowing); a CANT_SEND class on
/// the way blocks it. Among leaves of the same level and prio, deficit round robin with each
/// leaf's quantum (per level deficits, `htb_dequeue_tree`), in class-id order. After a packet is
/// sent its leaf and all ancestors are charged (`htb_charge_class`). When nothing can be sent the
/// qdisc sleeps until the earliest class mode change (the wait queue).
///
/// Simplification: the DRR among leaves of one (level, prio) is flat over the leaves rather than
/// nested per lending ancestor; it differs from Linux only with several lenders at one level.
/// Defaults (tc/q_htb.c): ceil = rate, burst = cburst = 1600 B + rate/1e9 s (mtu 1600, hrtimer
/// HZ), quantum = rate/r2q with r2q 10 clamped to 1000...200000 B, prio 0, leaf qdisc pfifo 1000,
/// direct queue 1000 packets.
public final class HtbQdisc: Qdisc {
    /// All classes in class-id order.
    @exclusivity(unchecked) public private(set) var classes: [HtbClass] = []
    /// Leaf classes in class-id order.
    @exclusivity(unchecked) public private(set) var leaves: [HtbClass] = []
    /// Filters: target is an index into `classes`.
    @exclusivity(unchecked) public var filters: [PacketFilter] = []
    /// Index into `classes` of the default class (unclassified traffic), if any.
    @exclusivity(unchecked) public var defaultClass: Int?
    /// Packets held in the direct (unshaped) queue.
    public var directPackets: Int { direct.count }
    /// Packets that went to the direct queue.
    @exclusivity(unchecked) public private(set) var directPacketsTotal: Int64 = 0
    let directLimit: Int
    @exclusivity(unchecked) var direct = Ring<Packet>(capacity: 16)
    @exclusivity(unchecked) var rrPointer = [[Int]](repeating: [Int](repeating: 0, count: 8), count: 8)

    /// An empty htb (add classes with `addClass`).
    public init(directLimit: Int = 1000) {
        self.directLimit = directLimit
        super.init(kind: "htb")
    }

    public override var children: [Qdisc] { leaves.compactMap { $0.leaf } }

    /// Adds a class under `parent` (nil: a root class); a leaf gets `qdisc` (default pfifo 1000).
    @discardableResult
    public func addClass(classid: String, parent: HtbClass? = nil, rate: Rate, ceil: Rate? = nil,
                         burst: Int64? = nil, cburst: Int64? = nil, prio: Int = 0, quantum: Int? = nil,
                         r2q: Int = 10, qdisc: Qdisc? = nil) -> HtbClass {
        let minor = (try? ClassID.parse(classid).minor) ?? classes.count + 1
        let ceil = ceil ?? rate
        let q = quantum ?? min(200_000, max(1000, Int(rate.bytesPerSecond / Int64(r2q))))
        let c = HtbClass(classid: classid, minor: minor, rate: rate, ceil: ceil,
                         burst: burst ?? (1600 + rate.bytesPerSecond / 1_000_000_000),
                         cburst: cburst ?? (1600 + ceil.bytesPerSecond / 1_000_000_000),
                         prio: max(0, min(7, prio)), quantum: q)
        c.parent = parent
        if let p = parent {
            if let old = p.leaf { p.leaf = nil; old.parent = nil }
            p.children.append(c)
        }
        c.leaf = qdisc ?? FifoQdisc(mode: .packets, limit: 1000)
        adopt(c.leaf!)
        classes.append(c)
        classes.sort { $0.minor < $1.minor }
        recompute()
        return c
    }

    /// The leaf serving traffic class `c` (through the filters, else the default class).
    public func leaf(for c: TrafficClass) -> HtbClass? { classify(Packet(bytes: 0, trafficClass: c)) }

    /// The class with id `classid`.
    public func htbClass(_ classid: String) -> HtbClass? { classes.first { $0.classid == classid } }

    private func recompute() {
        leaves = classes.filter { $0.children.isEmpty }
        for c in classes { c.level = 0 }
        for l in leaves {
            var lvl = 0
            var p = l.parent
            while let x = p { lvl += 1; x.level = max(x.level, lvl); p = x.parent }
        }
        for c in classes where c.level > 7 { preconditionFailure("htb: tree deeper than 8 levels") }
    }

    /// The leaf a packet goes to, or nil for the direct queue (htb_classify).
    public func classify(_ p: Packet) -> HtbClass? {
        if let i = PacketFilter.classify(p, filters), i >= 0, i < classes.count, classes[i].leaf != nil { return classes[i] }
        if let d = defaultClass, classes[d].leaf != nil { return classes[d] }
        return nil
    }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        guard let c = classify(packet) else {
            if direct.count >= directLimit { return .dropped(.overlimit) }
            direct.append(packet)
            directPacketsTotal += 1
            return .accepted
        }
        return c.leaf!.enqueue(packet, now: now)
    }

    /// The level at which leaf `l` can be served now, or nil.
    private func servingLevel(_ l: HtbClass, now: SimInstant) -> Int? {
        var c: HtbClass? = l
        while let x = c {
            switch x.mode(at: now).0 {
            case .canSend: return x.level
            case .cantSend: return nil
            case .mayBorrow: c = x.parent
            }
        }
        return nil
    }

    public override func doDequeue(now: SimInstant) -> Packet? {
        if let p = direct.popFirst() { return p }
        var tried = [Bool](repeating: false, count: leaves.count)
        var levels = [Int?](repeating: nil, count: leaves.count)
        var anyBacklog = false
        for (i, l) in leaves.enumerated() where l.leaf!.stats.backlogPackets > 0 {
            anyBacklog = true
            levels[i] = servingLevel(l, now: now)
        }
        guard anyBacklog else { return nil }
        while true {
            // The best (level, prio) group among untried candidates.
            var best: (Int, Int)?
            for (i, l) in leaves.enumerated() where !tried[i] {
                guard let lv = levels[i] else { continue }
                if best == nil || (lv, l.prio) < best! { best = (lv, l.prio) }
            }
            guard let (level, prio) = best else { break }
            // DRR: start at the round-robin pointer (first class id >= pointer, wrapping).
            let group = leaves.indices.filter { !tried[$0] && levels[$0] == level && leaves[$0].prio == prio }
            let ptr = rrPointer[level][prio]
            let ordered = group.filter { leaves[$0].minor >= ptr } + group.filter { leaves[$0].minor < ptr }
            for i in ordered {
                let l = leaves[i]
                tried[i] = true
                guard let p = l.leaf!.dequeue(now: now) else {
                    rrPointer[level][prio] = l.minor + 1
                    continue
                }
                l.deficit[level] -= p.bytes
                if l.deficit[level] < 0 {
                    l.deficit[level] += l.quantum
                    rrPointer[level][prio] = l.minor + 1
                } else {
                    rrPointer[level][prio] = l.minor
                }
                var c: HtbClass? = l
                while let x = c {
                    x.charge(bytes: Int64(p.bytes), level: level, now: now)
                    c = x.parent
                }
                return p
            }
        }
        // Nothing can be sent: sleep until the earliest mode change on a backlogged chain.
        var wait = Int64.max
        for l in leaves where l.leaf!.stats.backlogPackets > 0 {
            var c: HtbClass? = l
            while let x = c {
                let (m, d) = x.mode(at: now)
                if m != .canSend { wait = min(wait, max(d, 1)) }
                c = x.parent
            }
        }
        if wait != .max {
            countOverlimit()
            requestWakeup(at: now + SimDuration(nanoseconds: wait))
        }
        return nil
    }

    public override func doReset(reason: DropReason) {
        while let p = direct.popFirst() { noteDrop(p, reason: reason) }
        for l in leaves { l.leaf!.reset(reason: reason) }
    }

    /// Builds an htb from tc spelling: qdisc params `default` (class id) and `r2q`; classes with
    /// `rate` (required), `ceil`, `burst`, `cburst`, `prio`, `quantum` and optional leaf `qdisc`;
    /// filters by traffic class, flow or priority with a `flowid`.
    /// htb's qdisc parameters (tc-htb(8)).
    static let schema: ParameterSchema = [
        ParameterSpec("default", .text, doc: "class id (or minor) of unclassified traffic; none: sent direct (tc-htb(8))"),
        ParameterSpec("r2q", .count, default: .number(10), minimum: 1, maximum: Double(Int32.max),
                      doc: "divisor of a class rate giving its default quantum (tc-htb(8); default 10)"),
        ParameterSpec("direct_qlen", .count, default: .number(1000), maximum: Double(Int32.max),
                      doc: "limit of the direct queue in packets (default txqueuelen 1000)"),
    ]
    /// An htb class's parameters (tc-htb(8) "CLASSES").
    static let classSchema: ParameterSchema = [
        ParameterSpec("rate", .rate, required: true, doc: "guaranteed rate; a share (60%) of the parent's rate in a scenario"),
        ParameterSpec("ceil", .rate, doc: "most the class may borrow up to (default: rate)"),
        ParameterSpec("burst", .size, doc: "bytes sent at ceil before rate applies (default from rate, as tc)"),
        ParameterSpec("cburst", .size, doc: "bytes sent at wire speed before ceil applies (default from ceil, as tc)"),
        ParameterSpec("prio", .count, default: .number(0), maximum: Double(Int32.max), doc: "priority for spare bandwidth, lower first (default 0)"),
        ParameterSpec("quantum", .count, maximum: Double(Int32.max), doc: "bytes served per DRR turn (default rate / r2q)"),
    ]

    /// `htb`: hierarchical token bucket.
    public static let plugin = QdiscPlugin(type: "htb", summary: "hierarchical token bucket: classes with guaranteed rates and ceilings (tc-htb(8))",
                                           schema: schema, classSchema: classSchema) { c, ctx throws(NetworkConfigError) in try make(c, ctx) }

    static func make(_ c: QdiscConfig, _ ctx: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        let qp = try QdiscParams(c, schema: schema)
        let r2q = Int(qp.count("r2q")!)
        let h = HtbQdisc(directLimit: Int(qp.count("direct_qlen")!))
        var byId: [String: HtbClass] = [:]
        var pending = Array(c.classes.enumerated())
        // Parents before children, whatever the listing order.
        while !pending.isEmpty {
            var progressed = false
            var rest: [(Int, QdiscClassConfig)] = []
            for (i, cc) in pending {
                let parentClass: HtbClass?
                if let pid = cc.parent, let handle = c.handle.map({ $0.hasSuffix(":") ? $0 : $0 + ":" }), pid == handle || pid == handle + "0" {
                    parentClass = nil
                } else if let pid = cc.parent {
                    guard let pc = byId[pid] else { rest.append((i, cc)); continue }
                    parentClass = pc
                } else {
                    parentClass = nil
                }
                do throws(NetworkConfigError) {
                    _ = try ClassID.parse(cc.classid)
                    let p = try QdiscParams(cc.params, schema: classSchema)
                    let rate = try p.requiredRate("rate")
                    var leafQ: Qdisc?
                    if let sub = cc.qdisc {
                        do throws(NetworkConfigError) { leafQ = try ctx.qdiscs.build(sub, context: ctx) } catch { throw error.prefixed("qdisc") }
                    }
                    let cl = h.addClass(classid: cc.classid, parent: parentClass, rate: rate, ceil: p.rate("ceil"),
                                        burst: p.size("burst"), cburst: p.size("cburst"),
                                        prio: Int(p.count("prio")!), quantum: p.count("quantum").map { Int($0) },
                                        r2q: r2q, qdisc: leafQ)
                    byId[cc.classid] = cl
                } catch { throw error.prefixed("classes[\(i)]") }
                progressed = true
            }
            if !progressed {
                throw .badValue(key: "classes[\(rest[0].0)].parent", value: rest[0].1.parent ?? "", expected: "an existing class id")
            }
            pending = rest
        }
        for (i, f) in c.filters.enumerated() {
            do throws(NetworkConfigError) {
                let m = try f.match()
                guard let idx = h.classes.firstIndex(where: { $0.classid == f.flowid }) else {
                    throw NetworkConfigError.badValue(key: "flowid", value: f.flowid, expected: "a class id of this htb")
                }
                h.filters.append(PacketFilter(m, target: idx))
            } catch { throw error.prefixed("filters[\(i)]") }
        }
        if let d = qp.text("default") {
            // tc's `default 20` means minor 0x20 of the qdisc's major; accept "1:20" or "20".
            let id = d.contains(":") ? d : "\(c.handle?.split(separator: ":").first.map(String.init) ?? "1"):\(d)"
            if let idx = h.classes.firstIndex(where: { $0.classid == id }) { h.defaultClass = idx }
            // A default naming no class means unclassified traffic goes direct (Linux behaviour).
        }
        return h
    }
}
