import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

@Suite struct TransportTests {
    /// One 1 GiB flow through `tbf rate 100mbit` (burst 256kb, latency 50ms) on a 1 gbit link with
    /// a 5 ms RTT finishes in 2^30 x 8 / 1e8 = 85.9 s plus the slow-start ramp, within 2 %.
    @Test func oneGiBOverTbf100mbit() throws {
        let tbf = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "256kb", "latency": "50ms"])
        let net = try makeNetwork(rate: .gbit(1), delay: .microseconds(2500), qdisc: tbf)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        let total: Int64 = 1 << 30
        let s = BulkSender(flow: f, total: total)
        net.sim.run()
        let t = try #require(s.completedAt)
        let ideal = Double(total) * 8 / 1e8
        print("1GiB: \(t.seconds) s ideal \(ideal) retx \(f.retransmittedBytes) losses \(f.lossEpisodes) rto \(f.timeouts) srtt \(f.smoothedRTT!)")
        // The first `burst` bytes leave at the line rate, so the bound is (total - burst) / rate.
        #expect(t.seconds >= Double(total - 256 * 1024) * 8 / 1e8)
        #expect(Approx.equal(t.seconds, ideal, relative: 0.02))
        #expect(f.deliveredBytes == total)
        expectConserved(net)
    }

    /// A 64 KiB send buffer over a 10 ms RTT on 1 gbit reaches 64 KiB / RTT (+-5 %), not the line rate.
    @Test(arguments: [1500, 65_536]) func sendBufferLimitsToWindowOverRTT(segment: Int) throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(5), segment: segment)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 65_536)
        _ = BulkSender(flow: f, total: 1 << 40)
        net.sim.run(until: .seconds(1.0))
        let d0 = f.deliveredBytes
        net.sim.run(until: .seconds(3.0))
        let rate = Double(f.deliveredBytes - d0) / 2.0
        let nominal = 65_536.0 / 0.010
        let measured = 65_536.0 / f.smoothedRTT!.seconds
        print("bdp seg \(segment): \(rate) B/s nominal \(nominal) window/srtt \(measured)")
        #expect(Approx.equal(rate, measured, relative: 0.02))
        #expect(Approx.equal(rate, nominal, relative: 0.05))
        #expect(rate < 0.1 * 125e6)
        expectConserved(net)
    }

    /// Runs two saturating flows (4 MiB send buffers) for 30 s through `qdisc` on a 1 gbit, 2.5 ms
    /// path; returns the network and each flow's delivered bytes.
    func twoBulkFlows(through qdisc: QdiscConfig) throws -> (Network, Double, Double) {
        let net = try makeNetwork(rate: .gbit(1), delay: .microseconds(2500), qdisc: qdisc)
        let a = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        let b = net.openFlow(from: 0, to: 1, trafficClass: .snapshot, sendBuffer: 4 << 20)
        _ = BulkSender(flow: a, total: 1 << 40)
        _ = BulkSender(flow: b, total: 1 << 40)
        net.sim.run(until: .seconds(30))
        return (net, Double(a.deliveredBytes), Double(b.deliveredBytes))
    }

    /// Two identical flows through one bottleneck share it within 5 %. The shaper's inner qdisc is
    /// fq_codel (net.core.default_qdisc on systemd distributions); under a pure drop-tail FIFO a
    /// deterministic simulation shows drop-tail phase effects (Floyd & Jacobson 1992) and the
    /// split wanders (see `dropTailSharesWithoutStarvation`).
    @Test func twoFlowsShareFairly() throws {
        let tbf = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "256kb", "latency": "50ms"],
                              classes: [QdiscClassConfig(classid: "1:1", qdisc: QdiscConfig(type: "fq_codel"))])
        let (net, ra, rb) = try twoBulkFlows(through: tbf)
        #expect(Approx.equal(ra, rb, relative: 0.05))
        #expect(Approx.equal((ra + rb) * 8 / 30, 1e8, relative: 0.03))
        expectConserved(net)
    }

    /// Under a drop-tail bfifo both flows keep a substantial share and the link stays full.
    @Test func dropTailSharesWithoutStarvation() throws {
        let tbf = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "256kb", "latency": "50ms"])
        let (net, ra, rb) = try twoBulkFlows(through: tbf)
        #expect(min(ra, rb) / (ra + rb) > 0.3)
        #expect(Approx.equal((ra + rb) * 8 / 30, 1e8, relative: 0.03))
        expectConserved(net)
    }

    /// Blocking the path mid-transfer loses what is queued and on the wire, stalls the flow, and
    /// the flow resumes and completes after the unblock.
    @Test func blockMidTransferStallsThenResumes() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        let total: Int64 = 50_000_000
        let s = BulkSender(flow: f, total: total)
        net.block(from: 0, to: 1, at: .seconds(1.0))
        net.unblock(from: 0, to: 1, at: .seconds(3.0))
        net.sim.run(until: .seconds(0.999))
        let inFlightAtBlock = net.link(from: 0, to: 1).inFlightBytes + net.link(from: 0, to: 1).queuedBytes
        #expect(inFlightAtBlock > 0)
        net.sim.run(until: .seconds(1.1))
        let deliveredAfterBlock = f.deliveredBytes
        let link = net.link(from: 0, to: 1)
        #expect(link.isBlocked)
        #expect(link.stats.lostOnWireBytes > 0)
        #expect(f.droppedBytes >= link.stats.lostOnWireBytes)
        net.sim.run(until: .seconds(2.99))
        #expect(f.deliveredBytes == deliveredAfterBlock)   // stalled
        #expect(f.timeouts >= 1)
        expectConserved(net)
        net.sim.run()
        let t = try #require(s.completedAt)
        print("block: done at \(t.seconds) timeouts \(f.timeouts) dropped \(f.droppedBytes) retx \(f.retransmittedBytes)")
        #expect(f.deliveredBytes == total)
        #expect(f.retransmittedBytes >= f.droppedBytes)
        #expect(t.seconds > 3.0 + 4.0)   // 2 s of outage + ~4 s of transfer at 100 mbit
        expectConserved(net)
    }

    /// Datagrams are lost silently while the path is blocked, delivered otherwise.
    @Test func datagramsLostWhileBlocked() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        var delivered: [Int64] = []
        for i in 0..<10 {
            net.sim.schedule(at: .seconds(Double(i) * 0.1)) { _ in
                net.sendDatagram(from: Endpoint(site: 0), to: Endpoint(site: 1), bytes: 64, trafficClass: .detector, tag: Int64(i)) {
                    delivered.append($0.tag)
                }
            }
        }
        net.block(from: 0, to: 1, at: .seconds(0.35))
        net.unblock(from: 0, to: 1, at: .seconds(0.65))
        net.sim.run()
        #expect(delivered == [0, 1, 2, 3, 7, 8, 9])
        #expect(net.datagramsLost == 3)
        expectConserved(net)
    }

    /// A flow's backpressure: offer accepts only the free space, and space callbacks come as acks free it.
    @Test func offerBackpressure() throws {
        let net = try makeNetwork(rate: .mbit(10), delay: .milliseconds(10))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 100_000)
        #expect(f.offer(250_000) == 100_000)
        #expect(f.offer(1) == 0)
        var spaceCalls = 0
        var acked: Int64 = 0
        f.onSpaceAvailable = { _ in spaceCalls += 1 }
        f.onAcknowledged = { _, n in acked += n }
        net.sim.run()
        #expect(spaceCalls == 1)
        #expect(acked == 100_000 && f.ackedBytes == 100_000 && f.freeSpace == 100_000)
        expectConserved(net)
    }

    /// Aborting loses everything offered and not delivered.
    @Test func abortLosesOutstanding() throws {
        let net = try makeNetwork(rate: .mbit(10), delay: .milliseconds(10))
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1_000_000)
        f.offer(1_000_000)
        net.sim.run(until: .seconds(0.3))
        let delivered = f.deliveredBytes
        #expect(delivered > 0 && delivered < 1_000_000)
        f.abort()
        #expect(f.lostOnAbortBytes == 1_000_000 - delivered)
        #expect(f.offer(10) == 0)
        net.sim.run()
        #expect(f.deliveredBytes == delivered)
        expectConserved(net)
    }
}
