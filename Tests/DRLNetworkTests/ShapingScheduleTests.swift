import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

/// Throttling windows (`ShapingSchedule` driven by `ShapingScheduler`): `tc qdisc change ... tbf`
/// and `tc class change ... htb` at scheduled instants.
@Suite struct ShapingScheduleTests {
    /// Token arithmetic at `tc qdisc change ... tbf rate 20mbit` (sch_tbf.c tbf_change): burst
    /// kept in bytes, re-expressed in time at the new rate, both buckets refilled, t_c kept.
    @Test func tbfChangeRefillsTheBucketAtTheNewRate() {
        let q = TbfQdisc(rate: .mbit(100), burst: 100_000, limit: 1_000_000)
        for i in 0..<25 { #expect(q.enqueue(Packet(bytes: 10_000, segment: Int64(i)), now: .zero).isAccepted) }
        // 10 x 10 kB empty the 100 kB bucket at t=0; the 11th must wait 10 kB / 12.5 MB/s = 0.8 ms.
        for _ in 0..<10 { #expect(q.dequeue(now: .zero) != nil) }
        #expect(q.tokens == 0 && q.bufferNs == 8_000_000)
        #expect(q.dequeue(now: .zero) == nil)
        // At 0.5 ms (6250 B of tokens earned, not enough) the rate drops to 20 mbit.
        let t = SimInstant(nanoseconds: 500_000)
        #expect(q.dequeue(now: t) == nil)
        q.change(rate: .mbit(20))
        #expect(q.rate == .mbit(20))
        #expect(q.bufferNs == 40_000_000)          // 100 kB at 2.5 MB/s
        #expect(q.tokens == 40_000_000 && q.tokenBytes == 100_000)  // refilled, not 6250 B carried over
        #expect(q.maxSize == 100_000)
        // Now 10 packets leave at once (the burst at the switch), each costing 4 ms of tokens.
        for k in 1...10 {
            #expect(q.dequeue(now: t) != nil)
            #expect(q.tokens == 40_000_000 - Int64(k) * 4_000_000)
        }
        // The next one waits exactly 10 kB / 20 mbit = 4 ms.
        #expect(q.dequeue(now: t) == nil)
        #expect(q.dequeue(now: t + .nanoseconds(3_999_999)) == nil)
        #expect(q.dequeue(now: t + .milliseconds(4)) != nil)
        #expect(q.stats.isConserved)
    }

    static let tbf = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "262144b", "latency": "50ms"])

    /// A bulk TCP flow over a tbf at 100, 20, then 100 mbit (changes at 10 s and 20 s).
    /// Bytes dequeued by the tbf in each 10 s window: at most rate x 10 s + one burst (a token
    /// bucket never sends more than its content at the window start, <= burst, plus what it
    /// earns; the change refills it), at least 98 % of rate x 10 s (TCP keeps the queue
    /// backlogged; the first window includes slow start).
    @Test func bulkFlowFollowsTheWindows() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), qdisc: Self.tbf)
        let link = net.link(from: 0, to: 1)
        let sched = ShapingSchedule(steps: [.init(at: .seconds(10 as Int64), rate: .mbit(20)),
                                            .init(at: .seconds(20 as Int64), rate: .mbit(100))])
        let s = try ShapingScheduler(schedule: sched, link: link)
        var applied: [ShapingScheduler.Applied] = []
        s.onChange = { applied.append($0) }
        s.start()
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 8 << 20)
        _ = BulkSender(flow: f, total: 1 << 40)
        net.sim.run(until: .seconds(30.0))
        let acc = try #require(net.trafficAccount(from: 0, to: 1))
        func window(_ a: Int) -> Int64 { (a..<(a + 10)).reduce(0) { $0 + acc.bytes(bin: $1, .replication) } }
        let burst: Int64 = 262_144
        for (start, mbit) in [(0, 100.0), (10, 20.0), (20, 100.0)] {
            let ideal = Int64(mbit * 1e6 / 8 * 10)
            let got = window(start)
            #expect(got <= ideal + burst, "window \(start): \(got) > \(ideal) + burst")
            #expect(Double(got) >= 0.98 * Double(ideal), "window \(start): \(got) < 98 % of \(ideal)")
        }
        #expect(applied.map(\.at) == [.seconds(10.0), .seconds(20.0)])
        #expect(applied.map(\.classid) == ["root", "root"] && applied.map(\.rate) == [.mbit(20), .mbit(100)])
        #expect((link.root as? TbfQdisc)?.rate == .mbit(100))
        expectConserved(net)
    }

    /// `tc class change` from a schedule moves the 30/70 split of two saturated htb classes.
    @Test func htbClassChangeMovesTheSplit() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), qdisc: HtbTests.htb(rateA: "30mbit", rateB: "70mbit"))
        let sched = ShapingSchedule(steps: [.init(at: .seconds(5 as Int64), rate: .mbit(70), ceil: .mbit(100), classid: "1:10"),
                                            .init(at: .seconds(5 as Int64), rate: .mbit(30), ceil: .mbit(100), classid: "1:20")])
        let s = try ShapingScheduler(schedule: sched, link: net.link(from: 0, to: 1))
        s.start()
        let fa = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 8 << 20)
        let fb = net.openFlow(from: 0, to: 1, trafficClass: .application, sendBuffer: 8 << 20)
        _ = BulkSender(flow: fa, total: 1 << 40)
        _ = BulkSender(flow: fb, total: 1 << 40)
        let acc = try #require(net.trafficAccount(from: 0, to: 1))
        net.sim.run(until: .seconds(10.0))
        func mbps(_ c: TrafficClass, _ r: Range<Int>) -> Double { Double(r.reduce(0) { $0 + acc.bytes(bin: $1, c) }) * 8 / Double(r.count) }
        #expect(Approx.equal(mbps(.replication, 1..<5), 30e6, relative: 0.02))
        #expect(Approx.equal(mbps(.application, 1..<5), 70e6, relative: 0.02))
        #expect(Approx.equal(mbps(.replication, 6..<10), 70e6, relative: 0.02))
        #expect(Approx.equal(mbps(.application, 6..<10), 30e6, relative: 0.02))
        #expect(s.applied == 2)
        expectConserved(net)
    }

    /// A daily cycle (repeat 24h) applies the same changes on day 2; the schedule's instants.
    @Test func dailyCycleRepeatsOnDayTwo() throws {
        let h = Int64(3600)
        let sched = ShapingSchedule(steps: [.init(at: .zero, rate: .mbit(500)), .init(at: .seconds(8 * h), rate: .mbit(100)),
                                            .init(at: .seconds(18 * h), rate: .mbit(500))], period: .seconds(24 * h))
        #expect((0..<7).map { sched.instant(ofOccurrence: $0)! } == [0, 8, 18, 24, 32, 42, 48].map { SimInstant.seconds(Double($0 * h)) })
        #expect(ShapingSchedule(steps: sched.steps).instant(ofOccurrence: 3) == nil)
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1),
                                  qdisc: QdiscConfig(type: "tbf", params: ["rate": "500mbit", "burst": "262144b", "latency": "50ms"]))
        let link = net.link(from: 0, to: 1)
        let tbf = try #require(link.root as? TbfQdisc)
        let s = try ShapingScheduler(schedule: sched, link: link)
        var seen: [(Double, Int64)] = []
        s.onChange = { seen.append(($0.at.seconds / 3600, $0.rate.bitsPerSecond)) }
        s.start()
        net.sim.run(until: .seconds(Double(33 * h)))          // day 2, 09:00: throttled
        #expect(tbf.rate == .mbit(100))
        net.sim.run(until: .seconds(Double(43 * h)))          // day 2, 19:00: open again
        #expect(tbf.rate == .mbit(500))
        #expect(seen.map(\.0) == [0, 8, 18, 24, 32, 42])
        #expect(seen.map(\.1) == [500, 100, 500, 500, 100, 500].map { $0 * 1_000_000 })
    }

    /// Binding errors: a schedule needs a shaping root; classes must exist.
    @Test func bindingChecksTheRootQdisc() throws {
        let plain = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1))
        let one = ShapingSchedule(steps: [.init(at: .zero, rate: .mbit(10))])
        #expect(throws: ShapingScheduler.BindError.notShaping(kind: "pfifo")) { try ShapingScheduler(schedule: one, link: plain.link(from: 0, to: 1)) }
        let htb = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), qdisc: HtbTests.htb(rateA: "30mbit", rateB: "70mbit"))
        let bad = ShapingSchedule(steps: [.init(at: .zero, rate: .mbit(10), classid: "1:99")])
        #expect(throws: ShapingScheduler.BindError.unknownClass("1:99")) { try ShapingScheduler(schedule: bad, link: htb.link(from: 0, to: 1)) }
        // Without a class, the htb's only root class (1:1).
        let s = try ShapingScheduler(schedule: one, link: htb.link(from: 0, to: 1))
        var got: [String] = []
        s.onChange = { got.append($0.classid) }
        s.start()
        htb.sim.run(until: .seconds(1.0))
        #expect(got == ["1:1"])
    }
}
