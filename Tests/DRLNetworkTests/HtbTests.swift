import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

/// HTB behaviour through the whole stack: greedy flows on a 1 gbit link shaped by htb.
@Suite struct HtbTests {
    static func htb(rateA: String, rateB: String, prioA: Int = 0, prioB: Int = 0) -> QdiscConfig {
        QdiscConfig(type: "htb", handle: "1:", params: ["default": "1:20"],
                    classes: [
                        QdiscClassConfig(classid: "1:1", parent: "1:", params: ["rate": "100mbit"]),
                        QdiscClassConfig(classid: "1:10", parent: "1:1", params: ["rate": .text(rateA), "ceil": "100mbit", "prio": .text("\(prioA)")]),
                        QdiscClassConfig(classid: "1:20", parent: "1:1", params: ["rate": .text(rateB), "ceil": "100mbit", "prio": .text("\(prioB)")]),
                    ],
                    filters: [QdiscFilterConfig(trafficClass: "replication", flowid: "1:10"),
                              QdiscFilterConfig(trafficClass: "application", flowid: "1:20")])
    }

    func run(_ q: QdiscConfig, a: Bool, b: Bool, seconds: Double = 10) throws -> (Double, Double, Network) {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), qdisc: q)
        let fa = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 8 << 20)
        let fb = net.openFlow(from: 0, to: 1, trafficClass: .application, sendBuffer: 8 << 20)
        if a { _ = BulkSender(flow: fa, total: 1 << 40) }
        if b { _ = BulkSender(flow: fb, total: 1 << 40) }
        net.sim.run(until: .seconds(1))
        let a0 = fa.deliveredBytes, b0 = fb.deliveredBytes
        net.sim.run(until: .seconds(1 + seconds))
        return (Double(fa.deliveredBytes - a0) * 8 / seconds, Double(fb.deliveredBytes - b0) * 8 / seconds, net)
    }

    @Test func sharesFollowRatesWhenBothSaturated() throws {
        let (ra, rb, net) = try run(Self.htb(rateA: "30mbit", rateB: "70mbit"), a: true, b: true)
        #expect(Approx.equal(ra, 30e6, relative: 0.02))
        #expect(Approx.equal(rb, 70e6, relative: 0.02))
        expectConserved(net)
    }

    @Test func idleSiblingLetsTheOtherBorrowToCeil() throws {
        let (ra, rb, net) = try run(Self.htb(rateA: "30mbit", rateB: "70mbit"), a: true, b: false)
        #expect(rb == 0)
        #expect(Approx.equal(ra, 100e6, relative: 0.02))
        let h = try #require(net.link(from: 0, to: 1).root as? HtbQdisc)
        #expect(try #require(h.htbClass("1:10")).borrows > 0)
        expectConserved(net)
    }

    /// Borrowed bandwidth goes to the lower prio first: with rates 10/10 and ceil 100, the prio 0
    /// class gets its 10 plus all 80 spare; the prio 1 class is held to its assured 10.
    @Test func prioStarvesTheLowerPriorityBorrower() throws {
        let (ra, rb, net) = try run(Self.htb(rateA: "10mbit", rateB: "10mbit", prioA: 0, prioB: 1), a: true, b: true)
        #expect(Approx.equal(ra, 90e6, relative: 0.02))
        #expect(Approx.equal(rb, 10e6, relative: 0.02))
        expectConserved(net)
    }

    /// Equal prios share the borrowed bandwidth by quantum (both 10 mbit: quantum 125000 B): 50/50.
    @Test func equalPrioSplitsBorrowedBandwidth() throws {
        let (ra, rb, net) = try run(Self.htb(rateA: "10mbit", rateB: "10mbit"), a: true, b: true)
        #expect(Approx.equal(ra, 50e6, relative: 0.03))
        #expect(Approx.equal(rb, 50e6, relative: 0.03))
        expectConserved(net)
    }

    /// Unclassified traffic with no default class bypasses shaping (the direct queue).
    @Test func unclassifiedWithoutDefaultBypassesShaping() throws {
        var q = Self.htb(rateA: "30mbit", rateB: "70mbit")
        q.params = [:]
        q.filters = [QdiscFilterConfig(trafficClass: "replication", flowid: "1:10")]
        let (ra, rb, net) = try run(q, a: false, b: true)
        #expect(ra == 0)
        #expect(rb > 500e6)   // not held to the 100 mbit parent
        let h = try #require(net.link(from: 0, to: 1).root as? HtbQdisc)
        #expect(h.directPacketsTotal > 0)
        expectConserved(net)
    }

    @Test func quantumFromR2QIsClamped() {
        let h = HtbQdisc()
        let small = h.addClass(classid: "1:1", rate: .kbit(10))
        let big = h.addClass(classid: "1:2", rate: .gbit(10))
        let mid = h.addClass(classid: "1:3", rate: .mbit(30))
        #expect(small.quantum == 1000)
        #expect(big.quantum == 200_000)
        // 30 mbit = 3.75e6 B/s, / r2q 10 = 375000 B, above the 200000 B clamp.
        #expect(mid.quantum == 200_000)
        let r = h.addClass(classid: "1:4", rate: .mbit(8))   // 1e6 B/s / 10 = 100000 B
        #expect(r.quantum == 100_000)
    }
}

@Suite struct HtbChangeTests {
    /// `tc class change` at run time: after moving 30/70 to 70/30 the shares follow.
    @Test func changingRatesMovesShares() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), qdisc: HtbTests.htb(rateA: "30mbit", rateB: "70mbit"))
        let fa = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 8 << 20)
        let fb = net.openFlow(from: 0, to: 1, trafficClass: .application, sendBuffer: 8 << 20)
        _ = BulkSender(flow: fa, total: 1 << 40)
        _ = BulkSender(flow: fb, total: 1 << 40)
        net.sim.run(until: .seconds(3))
        let h = try #require(net.link(from: 0, to: 1).root as? HtbQdisc)
        try #require(h.leaf(for: .replication)).change(rate: .mbit(70), ceil: .mbit(100))
        try #require(h.leaf(for: .application)).change(rate: .mbit(30), ceil: .mbit(100))
        net.sim.run(until: .seconds(4))
        let a0 = fa.deliveredBytes, b0 = fb.deliveredBytes
        net.sim.run(until: .seconds(9))
        #expect(Approx.equal(Double(fa.deliveredBytes - a0) * 8 / 5, 70e6, relative: 0.03))
        #expect(Approx.equal(Double(fb.deliveredBytes - b0) * 8 / 5, 30e6, relative: 0.03))
        expectConserved(net)
    }
}
