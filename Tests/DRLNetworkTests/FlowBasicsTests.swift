import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

@Suite struct FlowBasicsTests {
    @Test func datagramArrivesAfterSerialisationAndDelay() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        var got: [SimInstant] = []
        net.sendDatagram(from: Endpoint(site: 0, host: 1), to: Endpoint(site: 1, host: 2), bytes: 1250,
                         trafficClass: .detector) { _ in got.append(net.sim.now) }
        net.sim.run()
        // 1250 B at 100 Mbit/s = 100 us, plus 5 ms.
        #expect(got == [SimInstant(nanoseconds: 5_100_000)])
        expectConserved(net)
    }

    @Test func smallTransferCompletes() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        let s = BulkSender(flow: f, total: 10_000_000)
        net.sim.run()
        #expect(f.deliveredBytes == 10_000_000)
        #expect(f.ackedBytes == 10_000_000)
        let t = try #require(s.completedAt)
        print("completed", t, f.retransmittedBytes, f.lossEpisodes, f.timeouts, f.congestion.cwnd)
        #expect(t.seconds > 0.8 && t.seconds < 1.2)
        expectConserved(net)
    }
}

@Suite struct DelayedAckTests {
    /// Small segments are acknowledged in pairs; GSO-sized ones one by one; an odd last segment
    /// waits for the 40 ms delayed-ACK timer.
    @Test func smallSegmentsAckedInPairs() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5), segment: 1448)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 21)
        #expect(f.offer(1448 * 1001) == 1448 * 1001)
        var ackedAt: SimInstant?
        f.onAcknowledged = { fl, _ in if fl.ackedBytes == 1448 * 1001 { ackedAt = net.sim.now } }
        net.sim.run()
        #expect(f.deliveredBytes == 1448 * 1001)
        #expect(f.acksSent >= 500 && f.acksSent <= 520)
        #expect(ackedAt != nil)
        expectConserved(net)

        let net2 = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        let g = net2.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 23)
        #expect(g.offer(65_536 * 100) == 65_536 * 100)
        net2.sim.run()
        #expect(g.acksSent >= 100)   // every GSO segment acknowledged at once
        expectConserved(net2)
    }

    @Test func loneSmallSegmentWaitsForTimer() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .metadata, sendBuffer: 1 << 20)
        var ackedAt: SimInstant?
        f.onAcknowledged = { _, _ in ackedAt = net.sim.now }
        f.offer(1000)
        net.sim.run()
        // data arrives at ~1 ms; the ACK leaves 40 ms later and takes 1 ms back.
        let t = try #require(ackedAt)
        #expect(t.nanoseconds > 41_000_000 && t.nanoseconds < 42_100_000)
        var o = FlowOptions()
        o.delayedAck = false
        let g = net.openFlow(from: 0, to: 1, trafficClass: .metadata, sendBuffer: 1 << 20, options: o)
        let start = net.sim.now
        var gAckedAt: SimInstant?
        g.onAcknowledged = { _, _ in gAckedAt = net.sim.now }
        g.offer(1000)
        net.sim.run()
        #expect(try #require(gAckedAt) - start < .milliseconds(3))
        expectConserved(net)
    }
}

@Suite struct PathVariantsTests {
    @Test func flowWithinASiteUsesTheLAN() throws {
        let net = try makeNetwork(rate: .mbit(10), delay: .milliseconds(10))
        let f = net.openFlow(from: 1, to: 1, trafficClass: .application, sendBuffer: 4 << 20)
        let s = BulkSender(flow: f, total: 100_000_000)
        net.sim.run()
        // 100 MB over the 10 gbit LAN: ~0.08 s, far below the WAN's 80 s.
        let t = try #require(s.completedAt)
        #expect(t.seconds < 0.5)
        #expect(net.link(from: 0, to: 1).stats.offeredBytes == 0)
        expectConserved(net)
    }

    @Test func renoCompletesAndHalvesOnLoss() throws {
        var o = FlowOptions()
        o.congestionControl = .reno
        let tbf = QdiscConfig(type: "tbf", params: ["rate": "50mbit", "burst": "128kb", "latency": "20ms"])
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(5), qdisc: tbf)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 8 << 20, options: o)
        var before: Int64 = 0
        var after: Int64 = 0
        var episodes = 0
        let s = BulkSender(flow: f, total: 50_000_000)
        f.onAcknowledged = { fl, _ in
            if fl.lossEpisodes != episodes && episodes == 0 { after = fl.congestion.cwnd }
            if fl.lossEpisodes == 0 { before = fl.congestion.cwnd }
            episodes = fl.lossEpisodes
        }
        net.sim.run()
        #expect(s.completedAt != nil)
        #expect(f.lossEpisodes >= 1)
        // Reno's multiplicative decrease: the window after the first loss is about half.
        #expect(after > 0 && Double(after) <= 0.55 * Double(before) + 3000)
        expectConserved(net)
    }

    @Test func lostAcksStallUntilTheReversePathReturns() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 20)
        let s = BulkSender(flow: f, total: 20_000_000)
        net.block(from: 1, to: 0, at: .seconds(0.5))
        net.unblock(from: 1, to: 0, at: .seconds(1.5))
        net.sim.run(until: .seconds(0.6))
        let acked = f.ackedBytes
        net.sim.run(until: .seconds(1.49))
        #expect(f.ackedBytes == acked)          // no ACK gets through
        #expect(net.link(from: 1, to: 0).stats.acksLost > 0)
        net.sim.run()
        #expect(s.completedAt != nil && f.deliveredBytes == 20_000_000)
        expectConserved(net)
    }

    @Test func isolateBlocksBothDirections() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        net.isolate(site: 1)
        #expect(net.link(from: 0, to: 1).isBlocked && net.link(from: 1, to: 0).isBlocked)
        net.reconnect(site: 1)
        #expect(!net.link(from: 0, to: 1).isBlocked && !net.link(from: 1, to: 0).isBlocked)
    }
}
