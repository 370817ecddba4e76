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
