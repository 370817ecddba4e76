import DRLSimCore
import Testing
@testable import DRLNetwork

/// Linux send-buffer autotuning (tcp_input.c `tcp_sndbuf_expand`, `tcp_new_space`,
/// `tcp_should_expand_sndbuf`); answers derived by hand from those rules (`SendBufferAutotune`).
@Suite struct SendBufferAutotuneTests {
    /// per_mss = roundup_pow_of_two(mss + MAX_TCP_HEADER 320 + shinfo 320) + sk_buff 256:
    /// MSS 1448: 2088 -> 4096 + 256 = 4352; MSS 8948 (MTU 9000): 9588 -> 16384 + 256 = 16640.
    /// First buffer 2 x 10 x 4352 = 87040 B truesize = 28960 B = 20 MSS of payload; the cap
    /// 4194304 B truesize holds 4194304 x 1448 / 4352 = 1395531 B of one-MSS segments and
    /// 4194304 x 65160 / (65160 + 2904) = 4015349 B of 64 KB GSO segments (45 x 1448 payload).
    @Test func perMSSAndCapacityByHand() {
        let a = SendBufferAutotune()
        #expect(a.perMSS(mss: 1448) == 4352)
        #expect(a.perMSS(mss: 8948) == 16640)
        #expect(a.wanted(cwndSegments: 4, mss: 1448) == 87040)
        #expect(a.wanted(cwndSegments: 100, mss: 1448) == 870_400)
        #expect(a.payloadCapacity(sndbuf: 87040, mss: 1448, segmentPayload: 1448) == 28960)
        #expect(a.payloadCapacity(sndbuf: 4_194_304, mss: 1448, segmentPayload: 1448) == 1_395_531)
        #expect(a.payloadCapacity(sndbuf: 4_194_304, mss: 1448, segmentPayload: 65160) == 4_194_304 * 65160 / 68064)
    }

    func openAutotuned(_ net: Network) -> Flow {
        var o = FlowOptions()
        o.sendBufferAutotune = SendBufferAutotune()
        return net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20, options: o)
    }

    /// Small BDP, an application slower than the link (1 Gbit/s, RTT 2 ms; 10 MSS every 10 ms =
    /// 11.6 Mbit/s): the writer never finds the buffer full (14480 B < 28960 B, all acknowledged
    /// within ~2 ms), so `tcp_new_space` never runs: the buffer stays at its first value,
    /// 2 x TCP_INIT_CWND x per_mss = 87040 B (28960 B of payload), for the whole 2 s.
    @Test func appLimitedFlowKeepsTheFirstBuffer() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(1), segment: 1500, framing: .linux)
        let f = openAutotuned(net)
        #expect(f.socketSendBuffer == 87040 && f.sendBufferSize == 28960)
        for k in 0..<200 {
            net.sim.schedule(at: ms(Int64(k) * 10)) { _ in #expect(f.offer(14480) == 14480) }
        }
        net.sim.run(until: .seconds(2.1))
        #expect(f.deliveredBytes == 200 * 14480)
        #expect(f.socketSendBuffer == 87040 && f.sendBufferSize == 28960)
        expectConserved(net)
    }

    /// Large BDP (1 Gbit/s, RTT 100 ms = 12.5 MB), a bulk writer: the buffer is 2 x cwnd, so the
    /// sender stays window-limited and slow start doubles cwnd per RTT; each time the buffer
    /// drains into a larger window it grows to 2 x cwnd x 4352 until 2 x 482 x 4352 exceeds
    /// tcp_wmem[2]: sk_sndbuf = 4194304 B, payload 1395531 B (963.8 MSS). From then on the
    /// buffer, not the window, limits the flow (no loss: nothing queues at 1 Gbit/s): goodput =
    /// 1395531 B per RTT (100 ms + ~0.1 ms of serialisation and delayed ACK effects) = 13.96 MB/s,
    /// not the 12.5 MB BDP / RTT a 4 MiB payload buffer would reach. The buffer never shrinks.
    @Test func largeBDPGrowsToTcpWmemMax() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(50), segment: 1500, framing: .linux)
        let f = openAutotuned(net)
        _ = BulkSender(flow: f, total: 1 << 34)
        var last: Int64 = 0
        var grew = 0
        for k in 1...300 {
            net.sim.run(until: ms(Int64(k) * 10))
            let s = f.socketSendBuffer!
            #expect(s >= last)
            if s > last { grew += 1 }
            last = s
        }
        #expect(grew > 3)
        #expect(f.socketSendBuffer == 4_194_304 && f.sendBufferSize == 1_395_531)
        let d0 = f.deliveredBytes
        net.sim.run(until: .seconds(5))
        let goodput = Double(f.deliveredBytes - d0) / 2
        print("autotune large BDP: goodput \(goodput) B/s, cwnd \(f.congestion.cwnd / 1448) MSS, losses \(f.lossEpisodes)")
        #expect(abs(goodput - 13_955_310) / 13_955_310 < 0.02)
        #expect(f.lossEpisodes == 0 && f.timeouts == 0)
        expectConserved(net)
    }

    /// An explicit size is a locked SO_SNDBUF: never autotuned. A 1 MiB fixed buffer at the same
    /// large BDP stays 1 MiB (goodput 1048576 B per 100 ms RTT = 10.49 MB/s), and a class
    /// transport `send_buffer` overrides autotuning with its fixed size.
    @Test func explicitSizesStayFixed() throws {
        let net = try makeNetwork(rate: .gbit(1), delay: .milliseconds(50), segment: 1500, framing: .linux)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 20)
        _ = BulkSender(flow: f, total: 1 << 30)
        net.sim.run(until: .seconds(3))
        #expect(f.socketSendBuffer == nil && f.sendBufferSize == 1 << 20)
        let d0 = f.deliveredBytes
        net.sim.run(until: .seconds(5))
        let goodput = Double(f.deliveredBytes - d0) / 2
        #expect(abs(goodput - 10_485_760) / 10_485_760 < 0.02, "\(goodput)")
        #expect(f.sendBufferSize == 1 << 20)
        expectConserved(net)
    }

    /// A class transport `send_buffer` is an explicit size: it turns autotuning off.
    @Test func transportSendBufferDisablesAutotune() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        var cfg = NetworkConfig.twoSites(rate: .mbit(100), delay: .milliseconds(5))
        cfg.classTransport[.replication] = TransportOptions(sendBuffer: 1 << 20)
        let net2 = try Network(config: cfg, context: ctx)
        let g = openAutotuned(net2)
        #expect(g.sendBufferAutotune == nil && g.socketSendBuffer == nil && g.sendBufferSize == 1 << 20)
        withExtendedLifetime((net2, g)) {}
    }

    /// `send_buffer: auto` on a class autotunes a flow opened with a fixed size, capped at that
    /// size: 1 MiB asked for -> first buffer 87040 B (28960 B of one-MSS payload), cap 1048576 B.
    @Test func transportAutoAutotunesUpToTheAskedSize() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        var cfg = NetworkConfig.twoSites(rate: .gbit(1), delay: .milliseconds(50), segmentSize: 1500,
                                         framing: .linux)
        cfg.classTransport[.replication] = TransportOptions(sendBufferAutotune: true)
        let net = try Network(config: cfg, context: ctx)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 20)
        #expect(f.sendBufferAutotune?.maxBytes == 1 << 20 && f.socketSendBuffer == 87040 && f.sendBufferSize == 28960)
        _ = BulkSender(flow: f, total: 1 << 30)
        net.sim.run(until: .seconds(3))
        // 1048576 x 1448 / 4352 = 348882 B of payload at the cap.
        #expect(f.socketSendBuffer == 1 << 20 && f.sendBufferSize == 348_882)
        withExtendedLifetime(net) {}
    }
}
