import DRLSimCore
import Testing
@testable import DRLNetwork

/// `Network.conservationViolations` compares the flows' books with the links' own counts.
@Suite struct FlowConservationTests {
    /// A bulk flow whose path is cut for 2 s (drops at the blocked link), plus datagrams.
    func cutTransfer() throws -> (Network, Flow) {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        _ = BulkSender(flow: f, total: 40_000_000)
        for i in 0..<50 {
            _ = net.sim.schedule(at: .seconds(Double(i) * 0.1)) { _ in
                net.sendDatagram(from: Endpoint(site: 0, host: 1), to: Endpoint(site: 1, host: 2), bytes: 1000,
                                 trafficClass: .detector)
            }
        }
        net.block(from: 0, to: 1, at: .seconds(1.0))
        net.unblock(from: 0, to: 1, at: .seconds(3.0))
        net.sim.run()
        return (net, f)
    }

    @Test func linksAndSendersAgreeThroughACut() throws {
        let (net, f) = try cutTransfer()
        #expect(f.deliveredBytes == 40_000_000)
        #expect(f.statistics.droppedWireBytes > 0 && net.datagramBytesLost > 0)
        #expect(net.datagramBytesSent == 50_000)
        let offered = net.link(from: 0, to: 1).stats.offeredBytes
        #expect(offered == f.wireTransmittedBytes + net.datagramBytesSent)
        expectConserved(net)
    }

    /// A flow's wire counter off by one byte is caught against the links' counts.
    @Test func aWrongFlowCounterIsCaught() throws {
        let (net, f) = try cutTransfer()
        let good = f.statistics
        f.statistics.wireTransmittedBytes += 1
        #expect(net.conservationViolations().contains { $0.hasPrefix("links offered") })
        f.statistics = good
        f.statistics.droppedWireBytes -= 1
        #expect(net.conservationViolations().contains { $0.hasPrefix("links dropped") })
        f.statistics = good
        expectConserved(net)
    }
}
