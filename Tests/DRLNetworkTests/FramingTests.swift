import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

/// Wire framing (issue 14): what a qdisc charges for a TCP segment (`Framing`, Linux
/// `qdisc_pkt_len_init`) and what goodput a shaper leaves.
@Suite struct FramingTests {
    /// Hand-derived lengths at a 1500 B MTU: MSS 1448; a 1448 B segment is a 1514 B Ethernet
    /// frame (linux) or a 1500 B IP packet (ip); a 64 KiB GSO budget holds 43 MTUs = 62 264 B of
    /// payload charged 43 x 1514 = 65 102 B; a 100 B runt is charged 100 + 66.
    @Test func lengthsFollowQdiscPktLenInit() {
        let l = Framing.linux
        #expect(l.mss == 1448)
        #expect(l.headerBytes == 66)
        #expect(l.wireLength(payload: 1448) == 1514)
        #expect(Framing.ip.wireLength(payload: 1448) == 1500)
        #expect(l.segmentPayload(segmentSize: 65_536) == 62_264)
        #expect(l.wireSegments(payload: 62_264) == 43)
        #expect(l.wireLength(payload: 62_264) == 65_102)
        #expect(l.largestPacket(segmentSize: 65_536) == 65_102)
        #expect(l.wireLength(payload: 100) == 166)
        #expect(l.wireLength(payload: 1449) == 1449 + 2 * 66)
        #expect(l.segmentPayload(segmentSize: 1500) == 1448)
        #expect(Framing.none.segmentPayload(segmentSize: 65_536) == 65_536)
        #expect(Framing.none.wireLength(payload: 65_536) == 65_536)
        let jumbo = Framing(.linux, mtu: 9000)
        #expect(jumbo.mss == 8948)
        #expect(jumbo.segmentPayload(segmentSize: 65_536) == 7 * 8948)
    }

    /// A saturating flow through `tbf rate 100mbit` delivers payload at R x 1448/1514 (linux),
    /// R x 1448/1500 (ip) or R (none) within 1 % once past slow start, for 1500 B segments and
    /// 64 KiB GSO packets alike; the tbf's dequeued bytes (wire) run at R.
    @Test(arguments: [(Framing.Kind.linux, 1500), (.ip, 1500), (.none, 1500), (.linux, 65_536), (.ip, 65_536)])
    func tbfGoodputIsRateTimesPayloadShare(kind: Framing.Kind, segment: Int) throws {
        let framing = Framing(kind)
        let tbf = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "256kb", "latency": "50ms"],
                              classes: [QdiscClassConfig(classid: "1:1", qdisc: QdiscConfig(type: "fq_codel"))])
        let net = try makeNetwork(rate: .gbit(1), delay: .microseconds(2500), segment: segment, qdisc: tbf, framing: framing)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        _ = BulkSender(flow: f, total: 1 << 40)
        net.sim.run(until: .seconds(2.0))
        let d0 = f.deliveredBytes, w0 = net.link(from: 0, to: 1).stats.deliveredBytes
        net.sim.run(until: .seconds(12.0))
        let goodput = Double(f.deliveredBytes - d0) * 8 / 10
        let wire = Double(net.link(from: 0, to: 1).stats.deliveredBytes - w0) * 8 / 10
        let share: Double
        switch kind {
        case .linux: share = 1448.0 / 1514.0
        case .ip: share = 1448.0 / 1500.0
        case .none: share = 1
        }
        print("framing \(kind) seg \(segment): goodput \(goodput) wire \(wire) expected \(1e8 * share)")
        #expect(Approx.equal(goodput, 1e8 * share, relative: 0.01))
        #expect(Approx.equal(wire, 1e8, relative: 0.01))
        if segment == 1500 && kind != .none {
            // Every segment is a full 1448 B one: charged payload + one header each.
            #expect(f.transmittedBytes % 1448 == 0)
            #expect(f.wireTransmittedBytes == f.transmittedBytes + framing.headerBytes * (f.transmittedBytes / 1448))
        }
        expectConserved(net)
    }

    /// The link and the qdisc count wire bytes; the flow counts payload: with 1500 B segments and
    /// linux framing every full segment is charged 1514 B for 1448 B of data.
    @Test func linkCountsWireFlowCountsPayload() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), segment: 1500, framing: .linux)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        let total: Int64 = 1448 * 1000
        let s = BulkSender(flow: f, total: total)
        net.sim.run()
        #expect(s.completedAt != nil)
        #expect(f.deliveredBytes == total)
        #expect(f.retransmittedBytes == 0)
        #expect(f.transmittedBytes == total)
        #expect(f.wireTransmittedBytes == 1514 * 1000)
        #expect(net.link(from: 0, to: 1).stats.deliveredBytes == 1514 * 1000)
        #expect(net.link(from: 0, to: 1).root.stats.dequeuedBytes == 1514 * 1000)
        expectConserved(net)
    }
}
