import Testing
import DRLSimCore
import DRLNetwork
@testable import DRLDetector

/// The detector over DRLNetwork datagrams (detector traffic class, sharing the WAN qdisc).
@Suite struct NetworkTransportTests {
    func makeRun(replicationLoad: Bool, faults: [ScheduledDetectorFault]) throws -> (RunContext, Network, DetectorDeployment) {
        let ctx = RunContext(seed: 5, replication: 0)
        // the paper's testbed: 100 mbit cap, 2.5 ms one way, default pfifo (1000 packets) root qdisc
        let net = try Network(config: .twoSites(primary: "umea", backup: "lulea", rate: .mbit(100), delay: .microseconds(2500)),
                              context: ctx)
        if replicationLoad {
            // a DRBD-like bulk flow primary -> backup with a 16 MiB send buffer that it keeps full
            let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 16 << 20)
            f.onSpaceAvailable = { f in f.offer(1 << 40) }
            f.offer(1 << 40)
        }
        let d = try DetectorDeployment.install(in: ctx, topology: .primaryBackup(),
                                               transport: NetworkDetectorTransport(network: net), faults: faults)
        return (ctx, net, d)
    }

    /// An idle WAN: a disaster is decided within the defaults' bound (as over fixed delays, plus
    /// serialisation of the tiny datagrams), and the network carried the detector's datagrams.
    @Test func siteFailureOverTheRealNetwork() throws {
        let (ctx, net, d) = try makeRun(replicationLoad: false, faults: [.init(at: .seconds(3.0), .siteDown(site: 0))])
        ctx.sim.run(until: .seconds(4.5))
        let dec = d.decisions.filter { $0.site == 0 }
        #expect(dec.count == 3)
        for x in dec {
            let delay = try #require(x.detectionDelay)
            #expect(delay > .milliseconds(497) && delay < .milliseconds(504))
        }
        #expect(d.notifications.filter(\.first).count == 1)
        #expect(net.datagramsSent > 1000 && net.datagramsDelivered > 1000)
        #expect(d.totals().externalFalsePositives == 0)
    }

    /// Replication fills the shared FIFO primary -> backup with ~16 MiB of DRBD data (about 1.3 s
    /// at 100 mbit). Every exchange crosses that direction once (the backup's PONGs, the
    /// primary's PINGs), so every 5 x 100 ms round misses and both sites declare the other
    /// failed: the paper's detector shares the bottleneck with the data it protects.
    @Test func replicationBacklogDelaysPongsIntoAFalseFailover() throws {
        let (ctx, _, d) = try makeRun(replicationLoad: true, faults: [])
        ctx.sim.run(until: .seconds(6))
        let backup = d.totals(site: 1)
        #expect(backup.deadRounds >= 3)
        #expect(d.decisions.filter { $0.site == 0 }.allSatisfy { $0.falseFailover })
        #expect(!d.decisions.filter { $0.site == 0 }.isEmpty)
        #expect(d.decisions.count == 6 && d.decisions.allSatisfy { $0.falseFailover && $0.at < .seconds(1.5) })
    }

    /// WAN blocks map to the network's block (both ways): a false failover, as over fixed delays.
    @Test func wanBlockThroughTheNetwork() throws {
        let (ctx, net, d) = try makeRun(replicationLoad: false, faults: [.init(at: .seconds(2), .wanBlocked(0, 1, blocked: true))])
        ctx.sim.run(until: .seconds(4))
        #expect(d.decisions.count == 6 && d.decisions.allSatisfy { $0.falseFailover })
        #expect(net.datagramsLost > 0)
        #expect(throws: DetectorError.self) { try d.apply(.pathLoss(from: 0, to: 1, probability: 0.1)) }
    }
}
