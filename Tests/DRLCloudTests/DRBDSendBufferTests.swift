import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLCloud

/// DRBD's send buffer: `sndbuf-size 0` (auto) leaves the socket to Linux's autotuning
/// (drbd_transport_tcp.c `dtt_setbufsize` locks sk_sndbuf only for a non-zero size;
/// tcp_input.c `tcp_sndbuf_expand`, see `SendBufferAutotune`); an explicit size stays fixed.
@Suite struct DRBDSendBufferTests {
    /// A 200 Mbit/s writer (1 MiB writes) over a 100 Mbit/s WAN with 50 ms one way (BDP 1.25 MB):
    /// the writer keeps the buffer full. Returns the device and its send buffer sampled every 100 ms.
    func run(_ sndbuf: Int64?) -> (DRBDDevice, [Int64]) {
        let w = TestWorld(.wan, mbit: 100, oneWayMs: 50)
        var cfg = DRBDConfig()
        cfg.sendBuffer = sndbuf
        let (vm, v, d) = w.vmWithVolume(size: 4 * ByteUnits.GiB, type: .drbd, drbd: cfg)
        let gen = ConstantRateGenerator(bytesPerSecond: 25e6, writeSize: ByteUnits.MiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: d!, vm: vm).start()
        var seen: [Int64] = []
        w.sample(every: .milliseconds(100), until: .seconds(10)) { seen.append(d!.currentSendBuffer) }
        return (d!, seen)
    }

    /// Auto. Model segments of 64 KiB payload under `.none` framing, MSS 1448, per_mss 4352:
    /// each skb costs its payload + 2904 B. First buffer 2 x 10 x 4352 = 87040 B truesize =
    /// 87040 x 65536 / 68440 = 83346 B of payload. Slow start with the buffer at 2 x cwnd keeps
    /// the sender window-limited, so the buffer follows the window until 2 x cwnd x 4352 passes
    /// tcp_wmem[2] (cwnd > 482 MSS = 0.70 MB, below the 1.25 MB BDP, reached within ~6 RTT):
    /// 4194304 B truesize = 4194304 x 65536 / 68440 = 4016334 B of payload, never shrinking.
    @Test func autoGrowsFromTheFirstBufferToTcpWmemMax() {
        let (d, seen) = run(nil)
        let flow = (d.currentChannel as! WANChannel).flow
        #expect(seen.first == 83346)
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(flow.socketSendBuffer == 4_194_304)
        #expect(d.currentSendBuffer == 4_016_334)
        if let i = seen.firstIndex(of: 4_016_334) { print("DRBD sndbuf auto: at the cap after \(Double(i) / 10) s") }
        #expect(seen.firstIndex(of: 4_016_334).map { $0 <= 20 } == true)
        #expect(d.conservationHolds && d.replicationConservationHolds)
    }

    /// `sndbuf-size 1M`: a locked buffer, 1 MiB of payload at every sample.
    @Test func explicitSizeIsUnchanged() {
        let (d, seen) = run(ByteUnits.MiB)
        let flow = (d.currentChannel as! WANChannel).flow
        #expect(flow.socketSendBuffer == nil && flow.sendBufferAutotune == nil)
        #expect(seen.count == 100 && seen.allSatisfy { $0 == ByteUnits.MiB })
        #expect(d.conservationHolds && d.replicationConservationHolds)
    }
}
