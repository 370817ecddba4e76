import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

/// `LinkFault` (issue 14 part 4): outages and random loss without a detector.
@Suite struct LinkFaultTests {
    /// A 2 s outage of both directions at t = 3 s in a transfer through a 100 mbit tbf: nothing
    /// is delivered during it; the flow resumes at its next RTO after the path returns (backed
    /// off: the RTO doubles through the outage, srtt + 200 ms -> x2 -> x4 -> x8 covers 2 s at the
    /// 4th expiry, 0.2 x (1 + 2 + 4 + 8) = 3 s after the cut, ~1 s after the path returns) and
    /// completes; the completion is delayed by the outage plus that wait, within 5 %.
    @Test func outageStallsAndRecoversAtTheNextRTO() throws {
        func transfer(outage: Bool) throws -> (Double, Flow, Network) {
            let tbf = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "256kb", "latency": "50ms"])
            let net = try makeNetwork(rate: .gbit(1), delay: .microseconds(2500), segment: 1500, qdisc: tbf, framing: .linux)
            if outage { net.schedule(LinkFault(.down, at: .seconds(3 as Int64), duration: .seconds(2 as Int64))) }
            let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
            let s = BulkSender(flow: f, total: 100_000_000)
            net.sim.run(until: .seconds(3.01))
            let d = f.deliveredBytes
            net.sim.run(until: .seconds(4.99))
            if outage { #expect(f.deliveredBytes == d) }
            net.sim.run()
            return (try #require(s.completedAt).seconds, f, net)
        }
        let (base, _, _) = try transfer(outage: false)
        let (cut, f, net) = try transfer(outage: true)
        let srtt = try #require(f.smoothedRTT).seconds
        print("outage: \(base) s without, \(cut) s with; rtos \(f.timeouts)")
        #expect(f.timeouts >= 4)
        // The 4th expiry: 15 x RTO after the last ACK before the cut (RTO ~ srtt + 200 ms).
        let expectedDelay = 15 * (0.2 + srtt)
        #expect(cut - base > 2.0 && Approx.equal(cut - base, expectedDelay, relative: 0.1), "delay \(cut - base) vs \(expectedDelay)")
        #expect(net.link(from: 0, to: 1).stats.droppedPackets > 0)
        expectConserved(net)
    }

    /// A loss fault of probability 0.02 on the forward direction for 5 s drops 2 % of the packets
    /// offered in that time (binomial, within 4 standard deviations) and nothing after it ends.
    @Test func lossFaultDropsItsShare() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5), segment: 1500, framing: .linux)
        net.schedule(LinkFault(.loss, at: .seconds(1 as Int64), duration: .seconds(5 as Int64), probability: 0.02, direction: .forward))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        _ = BulkSender(flow: f, total: 1 << 40)
        let l = net.link(from: 0, to: 1)
        net.sim.run(until: .seconds(1.0))
        let o0 = l.stats.offeredPackets
        net.sim.run(until: .seconds(6.0))
        let n = Double(l.stats.offeredPackets - o0)
        let lost = Double(l.stats.faultLossPackets)
        print("loss fault: \(lost) of \(n) packets, fast recoveries \(f.lossEpisodes)")
        #expect(abs(lost - 0.02 * n) < 4 * (n * 0.02 * 0.98).squareRoot())
        #expect(f.lossEpisodes > 10)
        #expect(net.link(from: 1, to: 0).stats.faultLossPackets == 0)
        net.sim.run(until: .seconds(8.0))
        #expect(Double(l.stats.faultLossPackets) == lost)
        expectConserved(net)
    }

    /// `up` ends a `down` without duration, in the given direction only.
    @Test func downUntilUp() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        net.schedule(LinkFault(.down, at: .seconds(1 as Int64), direction: .reverse))
        net.schedule(LinkFault(.up, at: .seconds(2 as Int64), direction: .reverse))
        net.sim.run(until: .seconds(1.5))
        #expect(net.link(from: 1, to: 0).isBlocked && !net.link(from: 0, to: 1).isBlocked)
        net.sim.run(until: .seconds(2.5))
        #expect(!net.link(from: 1, to: 0).isBlocked)
    }
}
