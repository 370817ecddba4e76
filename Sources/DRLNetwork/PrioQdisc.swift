import DRLSimCore

/// `prio`: strict-priority bands, band 0 served first (net/sched/sch_prio.c).
///
/// Classification: a matching filter gives a band (filter result `n` means band `n`, tc's
/// `classid :n+1`); a result `>= bands` falls back to `priomap[0]`; without a filter match the
/// band is `priomap[skb->priority & 15]` (`prio_classify`). Default 3 bands, priomap
/// `1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1` (drbd-and-tc.md), each band a pfifo of txqueuelen 1000.
public final class PrioQdisc: Qdisc {
    /// The kernel's default priomap (TC_PRIO_* -> band).
    public static let defaultPriomap: [Int] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]
    /// The band qdiscs, band 0 first.
    @exclusivity(unchecked) public private(set) var bands: [Qdisc]
    /// skb priority (0-15) -> band.
    public let priomap: [Int]
    /// Filters mapping a packet to a band index.
    @exclusivity(unchecked) public var filters: [PacketFilter]

    /// A prio qdisc with `bands` bands (default pfifo limit 1000 each).
    public init(bands: Int = 3, priomap: [Int] = PrioQdisc.defaultPriomap, filters: [PacketFilter] = [],
                children: [Qdisc]? = nil) {
        precondition(bands >= 2 && bands <= 16, "prio: bands must be 2...16")
        precondition(priomap.count == 16 && priomap.allSatisfy { $0 >= 0 && $0 < bands }, "prio: bad priomap")
        self.bands = children ?? (0..<bands).map { _ in FifoQdisc(mode: .packets, limit: 1000) }
        precondition(self.bands.count == bands)
        self.priomap = priomap
        self.filters = filters
        super.init(kind: "prio")
        for b in self.bands { adopt(b) }
    }

    public override var children: [Qdisc] { bands }

    /// Replaces band `i`'s qdisc (tc qdisc add ... parent X:i+1).
    public func setBand(_ i: Int, _ q: Qdisc) {
        bands[i] = q
        adopt(q)
    }

    /// The band `packet` goes to (prio_classify).
    public func band(for packet: Packet) -> Int {
        if let r = PacketFilter.classify(packet, filters) {
            return r < bands.count ? r : priomap[0]
        }
        return priomap[Int(packet.priority & 15)]
    }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        bands[band(for: packet)].enqueue(packet, now: now)
    }

    public override func doDequeue(now: SimInstant) -> Packet? {
        for b in bands {
            if let p = b.dequeue(now: now) { return p }
        }
        return nil
    }
}

extension PrioQdisc {
    /// Builds a prio from tc parameters `bands` and `priomap` (16 space-separated bands); classes
    /// `1:N` may carry the qdisc of band N-1; filters with `flowid 1:N` select band N-1.
    /// prio's parameters (tc-prio(8)).
    static let schema: ParameterSchema = [
        ParameterSpec("bands", .count, default: .number(3), minimum: 2, maximum: 16, doc: "number of bands (tc-prio(8); default 3)"),
        ParameterSpec("priomap", .text, doc: "16 space-separated bands by skb priority (default 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1)"),
    ]

    /// `prio`: strict priority bands.
    public static let plugin = QdiscPlugin(type: "prio", summary: "strict-priority bands, filters pick the band (tc-prio(8))",
                                           schema: schema, classSchema: .empty) { c, ctx throws(NetworkConfigError) in try make(c, ctx) }

    static func make(_ c: QdiscConfig, _ ctx: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        let p = try QdiscParams(c, schema: schema)
        let bands = Int(p.count("bands")!)
        var priomap = PrioQdisc.defaultPriomap
        if let s = p.text("priomap") {
            let m = s.split(separator: " ").compactMap { Int($0) }
            guard m.count == 16, m.allSatisfy({ $0 >= 0 && $0 < bands }) else {
                throw .badValue(key: "priomap", value: s, expected: "16 band numbers below bands")
            }
            priomap = m
        }
        var filters: [PacketFilter] = []
        for (i, f) in c.filters.enumerated() {
            do throws(NetworkConfigError) {
                let minor = try ClassID.parse(f.flowid).minor
                filters.append(PacketFilter(try f.match(), target: minor - 1))
            } catch { throw error.prefixed("filters[\(i)]") }
        }
        let q = PrioQdisc(bands: bands, priomap: priomap, filters: filters)
        for (i, cls) in c.classes.enumerated() {
            guard let sub = cls.qdisc else { continue }
            do throws(NetworkConfigError) {
                let minor = try ClassID.parse(cls.classid).minor
                guard minor >= 1 && minor <= bands else { throw NetworkConfigError.badValue(key: "classid", value: cls.classid, expected: "1:1 ... 1:\(bands)") }
                q.setBand(minor - 1, try ctx.qdiscs.build(sub, context: ctx))
            } catch { throw error.prefixed("classes[\(i)]") }
        }
        return q
    }
}
