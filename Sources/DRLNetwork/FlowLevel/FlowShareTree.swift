import DRLSimCore

/// How one WAN direction of the flow-level model (`FlowNetwork`) shares its capacity among the
/// flows crossing it: a tree compiled from the packet model's qdisc tree (the same `QdiscConfig`
/// built by `QdiscRegistry`), whose nodes divide payload rate instead of scheduling packets.
///
/// The allocation is SimGrid's flow-level approach (the CM02/LV08 network models of SimGrid,
/// `src/kernel/resource/models/network_cm02.cpp`, solved by the max-min `lmm` system of
/// `src/kernel/lmm/maxmin.cpp`): every flow is a variable bounded by its own limit (the demand
/// and TCP's window limit `W / RTT`, CM02's `TCP_gamma / (2 x latency)`), every shaping point a
/// capacity constraint, and the allocation is max-min fair (progressive filling: raise all
/// unfrozen rates together until a constraint or a bound saturates). Here the constraints
/// nest (one direction's qdisc tree), so the max-min solution is computed top-down:
/// - `.fair` (the link, `pfifo`/`bfifo`/`codel`/`fq_codel` leaves, a `tbf`'s cap): max-min among
///   the children (water-filling with each child's demand as its bound). A FIFO shared by
///   long-lived TCP flows of equal RTT converges to equal shares, fq_codel enforces them (DRR).
/// - `.strict` (`prio`): bands in order, each takes what it demands of what is left
///   (prio_dequeue in net/sched/sch_prio.c serves the lowest band first).
/// - `.htb`: each class first gets its assured `rate` (capped by its demand), then what is left
///   goes to classes that want more, lowest `prio` first, shared within one priority in
///   proportion to the classes' DRR `quantum`, each up to its `ceil` (htb_dequeue_tree and
///   htb_charge_class in net/sched/sch_htb.c; Devera's HTB manual, "Sharing hierarchy"). A class
///   directly under the qdisc cannot borrow (htb_activate_prios only adds a MAY_BORROW class to
///   its parent's feed, and a root class has none), so its ceiling is its rate.
///
/// Capacities and rates are payload bytes per second: a link's wire rate is multiplied by its
/// framing's payload fraction (`Framing`, a 100 mbit tbf passes 95.64 Mbit/s of payload with
/// linux framing and 64 KiB segments), so the flow model agrees with what the packet model's
/// tbf lets through.
public final class FlowShareNode {
    /// How the node divides its allocation among its children.
    public enum Kind: Sendable, Equatable { case fair, strict, htb }
    /// The division rule.
    public let kind: Kind
    /// The node's own capacity (payload bytes/s; `.infinity` when it does not shape).
    public var capacity: Double
    /// Children (empty for a leaf, which holds flows).
    public internal(set) var children: [FlowShareNode] = []
    /// As a child of an `.htb` node: the assured rate (payload bytes/s).
    public var assured: Double = 0
    /// As a child of an `.htb` node: the ceiling (payload bytes/s).
    public var ceiling: Double = .infinity
    /// As a child of an `.htb` node: the priority (lower first).
    public var priority: Int = 0
    /// As a child of an `.htb` node: the DRR weight (the class's quantum).
    public var weight: Double = 1
    /// The flows attached to this leaf (their `bound` is read, their `rate` written).
    public internal(set) var flows: [FlowShareVariable] = []
    /// The htb class this node stands for (its rate and ceil are re-read by `refresh`, so a
    /// `tc class change` at run time takes effect at the next allocation).
    public internal(set) var htbClass: HtbClass?
    /// The qdisc this node stands for (classification of flows into leaves).
    public internal(set) var qdisc: Qdisc?
    /// Payload bytes per wire byte (applied to the htb class rates on `refresh`).
    var payloadFraction: Double = 1
    /// Extra one-way delay added by this node (netem `delay`).
    public internal(set) var extraDelay: SimDuration = .zero
    /// A leaf's standing queue, payload bytes (`FlowNetwork`'s estimate after each allocation).
    public internal(set) var standingQueue: Double = 0
    /// What the subtree would take if it were alone (computed by `allocate`).
    public private(set) var demand: Double = 0
    /// What the subtree was given by the last `allocate`.
    public private(set) var allocated: Double = 0

    /// A node of `kind` with `capacity` payload bytes per second.
    public init(kind: Kind, capacity: Double = .infinity) {
        self.kind = kind
        self.capacity = capacity
    }

    /// Adds a child node.
    public func add(_ child: FlowShareNode) { children.append(child) }

    /// Attaches a flow to this leaf.
    public func attach(_ v: FlowShareVariable) { flows.append(v) }

    /// Detaches a flow.
    public func detach(_ v: FlowShareVariable) {
        if let i = flows.firstIndex(where: { $0 === v }) { flows.remove(at: i) }
    }

    /// Re-reads the htb classes' rates (run-time `tc class change`).
    func refresh() {
        if let c = htbClass {
            assured = Double(c.rate.bitsPerSecond) / 8 * payloadFraction
            ceiling = c.parent == nil ? assured : Double(c.ceil.bitsPerSecond) / 8 * payloadFraction
            capacity = ceiling
            weight = Double(max(1, c.quantum))
        }
        for c in children { c.refresh() }
    }

    /// Computes demands bottom-up, then divides `available` top-down; sets every flow's `rate`.
    public func allocate(_ available: Double = .infinity) {
        computeDemand()
        divide(available)
    }

    @discardableResult
    private func computeDemand() -> Double {
        var d = 0.0
        for f in flows { d += max(0, f.bound) }
        for c in children { d += c.computeDemand() }
        demand = Swift.min(d, capacity, ceiling)
        return demand
    }

    private func divide(_ available: Double) {
        let a = Swift.max(0, Swift.min(available, demand))
        allocated = a
        if !flows.isEmpty || children.isEmpty {
            // Leaf (flows) or a leaf whose flows share with child nodes: max-min fair.
            var items: [(cap: Double, w: Double)] = flows.map { (max(0, $0.bound), 1) }
            items += children.map { ($0.demand, 1) }
            let shares = FlowShareNode.waterFill(items, amount: a)
            for (i, f) in flows.enumerated() { f.rate = shares[i] }
            for (j, c) in children.enumerated() { c.divide(shares[flows.count + j]) }
            return
        }
        switch kind {
        case .fair:
            let shares = FlowShareNode.waterFill(children.map { ($0.demand, 1) }, amount: a)
            for (c, s) in zip(children, shares) { c.divide(s) }
        case .strict:
            var left = a
            for c in children { let s = Swift.min(c.demand, left); left -= s; c.divide(s) }
        case .htb:
            var give = children.map { Swift.min($0.assured, $0.demand) }
            let assuredSum = give.reduce(0, +)
            if assuredSum > a, assuredSum > 0 { give = give.map { $0 * a / assuredSum } }
            var left = Swift.max(0, a - give.reduce(0, +))
            for p in Set(children.map(\.priority)).sorted() where left > 0 {
                let idx = children.indices.filter { children[$0].priority == p && children[$0].demand > give[$0] }
                guard !idx.isEmpty else { continue }
                let extra = FlowShareNode.waterFill(idx.map { (children[$0].demand - give[$0], children[$0].weight) }, amount: left)
                for (k, i) in idx.enumerated() { give[i] += extra[k]; left -= extra[k] }
            }
            for (c, g) in zip(children, give) { c.divide(g) }
        }
    }

    /// Weighted max-min water-filling: shares `amount` among items, item `i` getting
    /// `min(cap_i, w_i x level)` with the level raised until the amount is used or every item is
    /// at its cap (progressive filling, Bertsekas & Gallager, Data Networks, §6.5.2).
    public static func waterFill(_ items: [(cap: Double, w: Double)], amount: Double) -> [Double] {
        var out = [Double](repeating: 0, count: items.count)
        guard amount > 0, !items.isEmpty else { return out }
        let order = items.indices.sorted { items[$0].cap / items[$0].w < items[$1].cap / items[$1].w }
        var left = amount
        var weight = order.reduce(0.0) { $0 + items[$1].w }
        for (k, i) in order.enumerated() {
            let level = left / weight
            if items[i].cap <= items[i].w * level {
                out[i] = items[i].cap
                left -= items[i].cap
                weight -= items[i].w
            } else {
                // Sorted by cap / w: every remaining item is capped above the level.
                for j in order[k...] { out[j] = items[j].w * level }
                return out
            }
        }
        return out
    }
}

/// One flow's variable in a `FlowShareNode` tree: its bound (demand and window limit) in, its
/// allocated rate out (payload bytes per second).
public final class FlowShareVariable {
    /// The most the flow can use: `min(demand, window / RTT)` (`.infinity`: unbounded).
    public var bound: Double
    /// The allocated rate.
    public internal(set) var rate: Double = 0
    /// A variable with `bound`.
    public init(bound: Double) { self.bound = bound }
}
