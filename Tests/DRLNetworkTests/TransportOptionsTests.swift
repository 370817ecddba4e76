import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

/// Transport details against Linux and RFC 5681/6298/3465 (issue 14 part 2).
@Suite struct TransportOptionsTests {
    /// One round trip of a window-limited sender whose receiver acknowledges every second
    /// segment: `cwnd / mss` segments acknowledged by ACKs of 2 MSS each.
    func round(_ w: inout CongestionWindow, now: Int64) {
        let acks = w.cwnd / w.mss / 2
        for _ in 0..<acks { w.onAck(acked: 2 * w.mss, now: SimInstant(nanoseconds: now), rtt: .milliseconds(10)) }
    }

    /// Slow start with delayed ACKs: Linux (`tcp_slow_start`, per segment) doubles per RTT,
    /// 10 -> 20 -> 40 -> 80 segments; per-ACK counting (RFC 3465 L = 1, ns-3) grows 1.5x:
    /// 10 -> 15 -> 22 -> 33 (an odd segment's ACK waits for the timer and is not counted here).
    @Test func slowStartPerRoundTrip() {
        var linux = CongestionWindow(algorithm: .reno, mss: 1448, initialWindow: 10 * 1448, ackCounting: .segments)
        var ns3 = CongestionWindow(algorithm: .reno, mss: 1448, initialWindow: 10 * 1448, ackCounting: .acks)
        var a: [Int64] = [], b: [Int64] = []
        for k in 0..<3 {
            round(&linux, now: Int64(k) * 10_000_000); a.append(linux.cwnd / 1448)
            round(&ns3, now: Int64(k) * 10_000_000); b.append(ns3.cwnd / 1448)
        }
        #expect(a == [20, 40, 80])
        #expect(b == [15, 22, 33])
    }

    /// Reno congestion avoidance with delayed ACKs from a 100-segment window: Linux
    /// (`tcp_cong_avoid_ai`, per acknowledged segment) adds 1 MSS per RTT, RFC 5681 eq. (3) per
    /// ACK adds 0.5 MSS per RTT; over 20 rounds, +20 and +10 segments (+-1).
    @Test func renoAvoidancePerRoundTrip() {
        for (counting, expected) in [(AckCounting.segments, 20.0), (.acks, 10.0)] {
            var w = CongestionWindow(algorithm: .reno, mss: 1448, initialWindow: 200 * 1448, ackCounting: counting)
            w.onLoss(now: .zero)               // ssthresh = cwnd = 100 segments: avoidance from here
            #expect(w.cwnd == 100 * 1448 && !w.inSlowStart)
            for k in 0..<20 { round(&w, now: Int64(k) * 10_000_000) }
            let grown = Double(w.cwnd - 100 * 1448) / 1448
            #expect(abs(grown - expected) <= 1, "\(counting): grew \(grown) segments in 20 RTTs")
        }
    }

    /// A large cumulative ACK in avoidance (Linux counts the delivered segments): 50 segments
    /// at once on a 100-segment window add 0.5 MSS, never a jump larger than the ACKed share.
    @Test func stretchAckInAvoidanceIsProportional() {
        var w = CongestionWindow(algorithm: .reno, mss: 1448, initialWindow: 200 * 1448)
        w.onLoss(now: .zero)
        let before = w.cwnd
        w.onAck(acked: 50 * 1448, now: .zero, rtt: .milliseconds(10))
        #expect(w.cwnd - before == 724)
    }

    /// RTO on a dead path (RFC 6298 with Linux's form): the first expiry comes SRTT + 200 ms
    /// (min RTO; rttvar is tiny on a clean path) after the last ACK, then the timer doubles
    /// (x2, x4); ssthresh is set by the first expiry only (tcp_enter_loss does not reduce it
    /// again within the episode), cwnd is 1 MSS after each; after the path returns the flow
    /// completes. `min_rto` 1 s moves the first expiry accordingly; the RFC 6298 formula (ns-3)
    /// floors SRTT + 4 RTTVAR at the minimum instead: 200 ms.
    @Test(arguments: [(Int64(200), RTOFormula.linux), (1000, .linux), (200, .rfc6298)] as [(Int64, RTOFormula)])
    func rtoBackoffKeepsThreshold(minRtoMs: Int64, formula: RTOFormula) throws {
        var o = FlowOptions()
        o.congestionControl = .reno
        o.minRTO = .milliseconds(minRtoMs)
        o.rtoFormula = formula
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5), segment: 1500, framing: .linux)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 256 << 10, options: o)
        let s = BulkSender(flow: f, total: 50_000_000)
        var lastAck = SimInstant.zero
        f.onAcknowledged = { fl, _ in lastAck = fl.network.sim.now }
        var fires: [(t: SimInstant, ssthresh: Int64, cwnd: Int64)] = []
        f.onTimeout = { fl in fires.append((fl.network.sim.now, fl.congestion.ssthresh, fl.congestion.cwnd)) }
        net.sim.run(until: .seconds(1.0))
        let srtt = try #require(f.smoothedRTT)
        let cwndBefore = f.congestion.cwnd
        net.block(from: 0, to: 1)
        net.block(from: 1, to: 0)
        let t0 = lastAck
        net.unblock(from: 0, to: 1, at: .seconds(12.0))
        net.unblock(from: 1, to: 0, at: .seconds(12.0))
        net.sim.run(until: .seconds(11.9))
        #expect(fires.count >= 3)
        let first = (fires[0].t - t0).seconds
        let rto = formula == .linux ? srtt.seconds + Double(minRtoMs) / 1000 : max(Double(minRtoMs) / 1000, srtt.seconds)
        print("min_rto \(minRtoMs): first RTO \(first) s after the last ACK (srtt \(srtt.seconds)), fires \(fires.map { $0.t.seconds })")
        #expect(abs(first - rto) < 0.01)
        let d1 = (fires[1].t - fires[0].t).seconds, d2 = (fires[2].t - fires[1].t).seconds
        #expect(abs(d1 - 2 * rto) < 0.02 && abs(d2 - 4 * rto) < 0.04)
        #expect(fires[0].ssthresh == max(cwndBefore / 2, 2 * 1448) || fires[0].ssthresh < cwndBefore)
        #expect(fires.allSatisfy { $0.ssthresh == fires[0].ssthresh && $0.cwnd == 1448 })
        #expect(fires[0].ssthresh > 2 * 1448)
        net.sim.run()
        #expect(s.completedAt != nil && f.deliveredBytes == 50_000_000)
        expectConserved(net)
    }

    /// Slow start through a fast, loss-free path (1500 B segments, linux framing, RTT 20 ms):
    /// the window after k round trips is 10 x 2^k segments (Linux) or about 10 x 1.5^k (per ACK).
    @Test(arguments: [AckCounting.segments, .acks]) func slowStartOnAPath(counting: AckCounting) throws {
        var o = FlowOptions()
        o.ackCounting = counting
        let net = try makeNetwork(rate: .gbit(10), delay: .milliseconds(10), segment: 1500, framing: .linux)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 64 << 20, options: o)
        _ = BulkSender(flow: f, total: 1 << 30)
        var seen: [Double] = []
        for k in 1...4 {
            net.sim.run(until: .seconds(0.020 * Double(k) + 0.010))
            seen.append(Double(f.congestion.cwnd) / 1448)
        }
        let factor = counting == .segments ? 2.0 : 1.5
        print("slow start \(counting): \(seen)")
        for (i, w) in seen.enumerated() {
            var expected = 10.0
            for _ in 0...i { expected *= factor }
            #expect(abs(w - expected) / expected < 0.15, "round \(i + 1): \(w) vs \(expected)")
        }
        expectConserved(net)
    }

    /// Network-wide and per-class overrides reach flows opened with default options; a
    /// class's send buffer replaces the one the opening model asked for.
    @Test func classOverridesApply() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        var cfg = NetworkConfig.twoSites(rate: .mbit(100), delay: .milliseconds(5))
        cfg.transport = TransportOptions(congestion: .reno, minRTO: .milliseconds(300))
        cfg.classTransport[.snapshot] = TransportOptions(congestion: .cubic, initialWindow: 4, sendBuffer: 1 << 20)
        let net = try Network(config: cfg, context: ctx)
        let a = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        let b = net.openFlow(from: 0, to: 1, trafficClass: .snapshot, sendBuffer: 4 << 20)
        #expect(a.congestion.algorithm == .reno && a.minRTO == .milliseconds(300) && a.sendBufferSize == 4 << 20)
        #expect(b.congestion.algorithm == .cubic && b.minRTO == .milliseconds(300) && b.sendBufferSize == 1 << 20)
        #expect(b.congestion.cwnd == 4 * 1448)
    }

    /// `extraDelay` adds to one flow's RTT only: two flows through one link, 5 ms and 5 + 2 x 20 ms.
    @Test func extraDelayLengthensOneFlowsRoundTrip() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .microseconds(2500), segment: 1500, framing: .linux)
        var o = FlowOptions()
        o.extraDelay = .milliseconds(20)
        let a = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 64 << 10)
        let b = net.openFlow(from: 0, to: 1, trafficClass: .snapshot, sendBuffer: 64 << 10, options: o)
        _ = BulkSender(flow: a, total: 1 << 40)
        _ = BulkSender(flow: b, total: 1 << 40)
        net.sim.run(until: .seconds(2))
        let ra = try #require(a.minRTT).seconds, rb = try #require(b.minRTT).seconds
        #expect(ra > 0.005 && ra < 0.0055)
        #expect(abs(rb - ra - 0.040) < 0.0005)
        expectConserved(net)
    }
}
