import DRLSimCore

extension FlowShareNode {
    /// The sharing tree of a qdisc tree (the packet model's own `Qdisc` objects, built from the
    /// same `QdiscConfig`), rates converted to payload with `payloadFraction` (payload bytes per
    /// wire byte of the link's `Framing`):
    /// - `tbf`: a cap at its `rate` over its inner qdisc (a sustained flow gets the token rate;
    ///   the `burst` only matters for the first `burst` bytes, not modelled);
    /// - `netem`: a leaf adding its `delay` to the one-way delay, capped at its `rate` if set;
    ///   `jitter` and `loss` are not modelled (Docs/flow-model.md);
    /// - `htb`: the class tree (`.htb` nodes), unclassified flows in the direct queue (served
    ///   first and unshaped, htb_dequeue's direct queue);
    /// - `prio`: bands in strict order;
    /// - `pfifo`, `bfifo`, `codel`, `fq_codel`: fair leaves.
    public static func compile(_ q: Qdisc, payloadFraction f: Double) -> FlowShareNode {
        if let t = q as? TbfQdisc {
            let n = FlowShareNode(kind: .fair, capacity: Double(t.rate.bitsPerSecond) / 8 * f)
            n.qdisc = t
            n.add(compile(t.inner, payloadFraction: f))
            return n
        }
        if let ne = q as? NetemQdisc {
            let n = FlowShareNode(kind: .fair, capacity: ne.rate.map { Double($0.bitsPerSecond) / 8 * f } ?? .infinity)
            n.qdisc = ne
            n.extraDelay = ne.delay
            return n
        }
        if let h = q as? HtbQdisc {
            let n = FlowShareNode(kind: .htb)
            n.qdisc = h
            let direct = FlowShareNode(kind: .fair)
            direct.assured = .infinity
            direct.priority = -1
            n.add(direct)
            for c in h.classes where c.parent == nil { n.add(compileClass(c, payloadFraction: f)) }
            n.refresh()
            return n
        }
        if let p = q as? PrioQdisc {
            let n = FlowShareNode(kind: .strict)
            n.qdisc = p
            for b in p.bands { n.add(compile(b, payloadFraction: f)) }
            return n
        }
        let n = FlowShareNode(kind: .fair)
        n.qdisc = q
        return n
    }

    private static func compileClass(_ c: HtbClass, payloadFraction f: Double) -> FlowShareNode {
        let n = FlowShareNode(kind: c.children.isEmpty ? .fair : .htb)
        n.htbClass = c
        n.payloadFraction = f
        n.priority = c.children.isEmpty ? c.prio : leafPriority(c)
        for k in c.children { n.add(compileClass(k, payloadFraction: f)) }
        return n
    }

    /// An inner class competes for its parent's excess at the best priority of its leaves
    /// (HTB serves leaves by priority across the whole tree, htb_dequeue_tree).
    private static func leafPriority(_ c: HtbClass) -> Int {
        c.children.isEmpty ? c.prio : c.children.map(leafPriority).min() ?? c.prio
    }

    /// The leaf a flow of `trafficClass` (flow id `flow`, skb priority `priority`) is classified
    /// to, with the extra one-way delay (netem) on its path; the qdiscs' own filters decide, as
    /// for the packet model's packets.
    public func leaf(trafficClass: TrafficClass, flow: Int32, priority: UInt8) -> (FlowShareNode, SimDuration) {
        var node = self
        var delay = SimDuration.zero
        let probe = Packet(bytes: 1, trafficClass: trafficClass, flow: flow, priority: priority)
        while true {
            delay += node.extraDelay
            if let h = node.qdisc as? HtbQdisc {
                if let c = h.classify(probe), let k = node.classNode(c) { node = k } else { node = node.children[0] }
                return (node, delay)
            }
            if let p = node.qdisc as? PrioQdisc {
                let b = p.band(for: probe)
                guard b >= 0, b < node.children.count else { return (node, delay) }
                node = node.children[b]
                continue
            }
            if node.children.count == 1 { node = node.children[0]; continue }
            return (node, delay)
        }
    }

    private func classNode(_ c: HtbClass) -> FlowShareNode? {
        if htbClass === c { return self }
        for k in children { if let n = k.classNode(c) { return n } }
        return nil
    }

    /// Every leaf of the subtree.
    var leaves: [FlowShareNode] {
        children.isEmpty ? [self] : children.flatMap(\.leaves)
    }
}
