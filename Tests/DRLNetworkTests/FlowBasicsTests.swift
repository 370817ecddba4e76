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
