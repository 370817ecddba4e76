import DRLSimCore
import Testing
@testable import DRLNetwork

/// Ports of the ns-3 traffic-control conformance cases (drbd-and-tc.md). ns-3 counts TBF tokens
/// in bytes and its "KB/s" is 1000 B/s: a rate of N KB/s is `Rate.bytesPerSecond(N * 1000)` and
/// token bytes are `tokens_ns x rate / 1e9` (`TbfQdisc.tokenBytes`).
@Suite struct QdiscConformanceTests {
    static func t(_ s: Double) -> SimInstant { .seconds(s) }

    /// The inner limit in packets (a pfifo) or in bytes (a bfifo of n x size).
    static func tbf(rate: Int64, burst: Int64, peak: Int64? = nil, mtu: Int64 = 0, packets: Int64, size: Int64, inBytes: Bool) -> TbfQdisc {
        let inner: Qdisc = inBytes ? FifoQdisc(mode: .bytes, limit: packets * size) : FifoQdisc(mode: .packets, limit: packets)
        return TbfQdisc(rate: .bytesPerSecond(rate), burst: burst, limit: packets * size,
                        peakRate: peak.map { .bytesPerSecond($0) }, minburst: mtu, inner: inner)
    }

    @Test(arguments: [false, true]) func tbf1(inBytes: Bool) {
        let q = Self.tbf(rate: 6000, burst: 6000, packets: 4, size: 1500, inBytes: inBytes)
        for i in 0..<5 {
            let r = q.enqueue(Packet(bytes: 1500, segment: Int64(i)), now: .zero)
            #expect(r.isAccepted == (i < 4))
        }
        #expect(q.stats.backlogPackets == 4)
        #expect(q.stats.drops(.overlimit) == 1)
        #expect(q.tokenBytes == 6000)
        var expected: Int64 = 4500
        for i in 0..<4 {
            let p = q.dequeue(now: .zero)
            #expect(p?.segment == Int64(i))
            #expect(q.tokenBytes == expected)
            expected -= 1500
        }
        #expect(q.stats.isConserved)
    }

    /// TBF 2-4 as a sequence of enqueues at `enq(i)` and dequeue attempts at given instants.
    struct Attempt { var at: Double; var ok: Bool; var wake: Double? = nil }

    func runTbf(_ q: TbfQdisc, enqueueAt: (Int) -> Double, attempts: [Attempt], sourceLocation: SourceLocation = #_sourceLocation) {
        var wake: SimInstant?
        q.onWakeup = { wake = $0 }
        var events: [(Double, Int, Int)] = []   // (time, kind 0 enqueue / 1 dequeue, index)
        for i in 1...10 { events.append((enqueueAt(i), 0, i)) }
        for (k, a) in attempts.enumerated() { events.append((a.at, 1, k)) }
        events.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        for (time, kind, idx) in events {
            let now = SimInstant.seconds(time)
            if kind == 0 {
                #expect(q.enqueue(Packet(bytes: 1000, segment: Int64(idx)), now: now).isAccepted, sourceLocation: sourceLocation)
            } else {
                wake = nil
                let a = attempts[idx]
                let p = q.dequeue(now: now)
                #expect((p != nil) == a.ok, "dequeue at \(a.at)", sourceLocation: sourceLocation)
                if let w = a.wake { #expect(wake == .seconds(w), "wake after \(a.at)", sourceLocation: sourceLocation) }
            }
        }
        #expect(q.stats.isConserved, sourceLocation: sourceLocation)
    }

    @Test(arguments: [false, true]) func tbf2(inBytes: Bool) {
        let q = Self.tbf(rate: 10_000, burst: 10_000, peak: 100_000, mtu: 1000, packets: 10, size: 1000, inBytes: inBytes)
        runTbf(q, enqueueAt: { 0.09 * Double($0 + 1) },
               attempts: (1...10).map { Attempt(at: 0.1 * Double($0 + 1), ok: true) })
    }

    @Test(arguments: [false, true]) func tbf3(inBytes: Bool) {
        let q = Self.tbf(rate: 5000, burst: 5000, peak: 100_000, mtu: 1000, packets: 10, size: 1000, inBytes: inBytes)
        var tokens: [Int64] = []
        var wake: SimInstant?
        q.onWakeup = { wake = $0 }
        for i in 1...10 { q.enqueue(Packet(bytes: 1000, segment: Int64(i)), now: .seconds(0.09 * Double(i + 1))) }
        for i in 1...9 {
            #expect(q.dequeue(now: .seconds(0.1 * Double(i + 1))) != nil)
            tokens.append(q.tokenBytes)
        }
        #expect(tokens == [4000, 3500, 3000, 2500, 2000, 1500, 1000, 500, 0])
        #expect(q.dequeue(now: .seconds(1.1)) == nil)   // -500 token bytes: blocked
        #expect(wake == .seconds(1.2))
        #expect(q.dequeue(now: .seconds(1.2))?.segment == 10)
        #expect(q.stats.overlimits == 1)
        #expect(q.stats.isConserved)
    }

    @Test(arguments: [false, true]) func tbf4(inBytes: Bool) {
        let q = Self.tbf(rate: 15_000, burst: 15_000, peak: 20_000, mtu: 1000, packets: 10, size: 1000, inBytes: inBytes)
        var attempts: [Attempt] = []
        for k in 1...5 {
            let base = 0.1 * Double(k)
            attempts.append(Attempt(at: base, ok: true))
            // 40 ms later the peak bucket holds 800 B of the 1000 needed: blocked for 10 ms more.
            attempts.append(Attempt(at: base + 0.04, ok: false, wake: base + 0.05))
            attempts.append(Attempt(at: base + 0.05, ok: true))
        }
        runTbf(q, enqueueAt: { 0.04 * Double($0 + 1) }, attempts: attempts)
    }

    @Test func tbfManPageLatencyLimit() {
        // tc-tbf(8): rate 0.5mbit burst 5kb latency 70ms peakrate 1mbit minburst 1540 -> limit 9495 B.
        let l = TbfQdisc.limit(rate: .kbit(500), burst: 5 * 1024, latency: .milliseconds(70),
                               peakRate: .mbit(1), minburst: 1540)
        #expect(l == 9495)
        let built = try? QdiscRegistry.standard.build(QdiscConfig(type: "tbf", params: ["rate": "0.5mbit", "burst": "5kb", "latency": "70ms",
                                                                                 "peakrate": "1mbit", "minburst": "1540b"]),
                                             context: QdiscBuildContext(linkRate: .mbit(10), mtu: 1514))
        let tbf = built as? TbfQdisc
        #expect((tbf?.inner as? FifoQdisc)?.limit == 9495)
    }

    @Test func tbfOversizePacketDropped() {
        let q = TbfQdisc(rate: .mbit(100), burst: 10_000, limit: 100_000)
        #expect(q.enqueue(Packet(bytes: 65_536), now: .zero) == .dropped(.oversize))
        #expect(q.stats.drops(.oversize) == 1 && q.stats.isConserved)
    }

    @Test(arguments: [false, true]) func fifo(inBytes: Bool) {
        let q = inBytes ? FifoQdisc(mode: .bytes, limit: 10_000) : FifoQdisc(mode: .packets, limit: 10)
        for i in 0..<11 {
            #expect(q.enqueue(Packet(bytes: 1000, segment: Int64(i)), now: .zero).isAccepted == (i < 10))
        }
        for i in 0..<10 { #expect(q.dequeue(now: .zero)?.segment == Int64(i)) }
        #expect(q.dequeue(now: .zero) == nil)
        #expect(q.stats.droppedPackets == 1 && q.stats.isConserved)
    }

    @Test func prioBandsPriomapAndFallback() {
        let q = PrioQdisc(bands: 4, priomap: [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3])
        // Enqueue in reverse priority so dequeue order proves strict priority.
        for prio in [3, 2, 1, 0] {
            for k in 0..<2 {
                q.enqueue(Packet(bytes: 100, priority: UInt8(prio), segment: Int64(prio * 10 + k)), now: .zero)
            }
        }
        for b in 0..<4 { #expect(q.bands[b].stats.backlogPackets == 2) }
        // A filter result >= bands falls back to priomap[0] = band 0.
        q.filters = [PacketFilter(.trafficClass(.detector), target: 7)]
        q.enqueue(Packet(bytes: 100, trafficClass: .detector, priority: 3, segment: 99), now: .zero)
        #expect(q.bands[0].stats.backlogPackets == 3)
        var order: [Int64] = []
        while let p = q.dequeue(now: .zero) { order.append(p.segment) }
        #expect(order == [0, 1, 99, 10, 11, 20, 21, 30, 31])
        #expect(q.stats.isConserved)
    }

    @Test(arguments: [false, true]) func codelOverflow(inBytes: Bool) {
        // ns-3 limits 500 packets (or 500 x 1000 B).
        let q = inBytes ? CodelQdisc(byteLimit: 500_000) : CodelQdisc(limit: 500)
        for _ in 0..<503 { q.enqueue(Packet(bytes: 1000), now: .zero) }
        #expect(q.stats.backlogPackets == 500)
        #expect(q.stats.drops(.overlimit) == 3)
        #expect(q.stats.isConserved)
    }

    @Test func codelBasicDrop() {
        let q = CodelQdisc(limit: 500)
        for i in 0..<20 { q.enqueue(Packet(bytes: 1000, segment: Int64(i)), now: .zero) }
        // 10 ms (2 x target): sojourn above target only now: no drop.
        #expect(q.dequeue(now: ms(10)) != nil)
        #expect(q.stats.drops(.codel) == 0 && q.stats.backlogPackets == 19)
        // 210 ms: above target for a whole interval: one drop, then the next packet is sent.
        #expect(q.dequeue(now: ms(210)) != nil)
        #expect(q.stats.drops(.codel) == 1 && q.stats.backlogPackets == 17)
        // Same instant: dropping, but not yet time for the next drop.
        #expect(q.dequeue(now: ms(210)) != nil)
        #expect(q.stats.drops(.codel) == 1 && q.stats.backlogPackets == 16)
        // 420 ms: drops = 1 + drop-next updates during this dequeue (3 with the fixed-point law).
        let before = q.state.dropNextUpdates
        #expect(q.dequeue(now: ms(420)) != nil)
        let updates = q.state.dropNextUpdates - before
        #expect(updates == 3)
        #expect(q.stats.drops(.codel) == Int64(1 + updates))
        #expect(q.stats.backlogPackets == 16 - Int64(updates + 1))
        #expect(q.stats.isConserved)
    }

    @Test func codelNewtonStepMatchesFloatingPoint() {
        // One Newton step from 1.0 for count 2 gives 0.5 (Q0.16: 0x7fff..0x8000).
        let r = CoDelState.newtonStep(recInvSqrt: .max, count: 2)
        #expect(abs(Int(r) - 32768) <= 1)
        // Iterating converges to 1/sqrt(count).
        var x: UInt16 = .max
        for _ in 0..<20 { x = CoDelState.newtonStep(recInvSqrt: x, count: 4) }
        #expect(abs(Double(x) / 65536 - 0.5) < 0.001)
        // control law: interval x 1/sqrt(1) = interval (minus fixed-point truncation).
        let i = CoDelState.codelTime(SimDuration.milliseconds(100))
        let next = CoDelState.controlLaw(0, interval: i, recInvSqrt: .max)
        #expect(next <= i && i - next <= 2)
    }

    @Test func fqCodelLimitDropsFromFattestFlow() {
        let q = FqCodelQdisc(limit: 4, flows: 1024, quantum: 1514)
        let a = Packet(bytes: 100, hash: 1)
        let b = Packet(bytes: 100, hash: 2)
        for _ in 0..<3 { #expect(q.enqueue(a, now: .zero).isAccepted) }
        #expect(q.enqueue(b, now: .zero).isAccepted)
        #expect(q.enqueue(b, now: .zero).isAccepted)
        #expect(q.packets(inFlow: 1) == 1)
        #expect(q.packets(inFlow: 2) == 2)
        #expect(q.stats.drops(.fattestFlow) == 2)
        #expect(q.stats.backlogPackets == 3 && q.stats.isConserved)
    }

    @Test func fqCodelDeficit() {
        let q = FqCodelQdisc(limit: 100, flows: 1024, quantum: 90)
        let a = Packet(bytes: 120, hash: 1)
        let b = Packet(bytes: 120, hash: 2)
        var da: [Int] = []
        var db: [Int] = []
        q.enqueue(a, now: .zero)
        da.append(q.deficit(ofFlow: 1))
        _ = q.dequeue(now: .zero)
        da.append(q.deficit(ofFlow: 1))
        q.enqueue(a, now: .zero); q.enqueue(a, now: .zero)
        #expect(q.status(ofFlow: 1) == "new")
        q.enqueue(b, now: .zero); q.enqueue(b, now: .zero)
        db.append(q.deficit(ofFlow: 2))
        for _ in 0..<4 {
            #expect(q.dequeue(now: .zero) != nil)
            da.append(q.deficit(ofFlow: 1))
            db.append(q.deficit(ofFlow: 2))
        }
        // Dequeue order: B (A negative), A, B, A.
        #expect(da == [90, -30, 60, -60, 30, -90])
        #expect(db == [90, -30, 60, -60, 30])
        #expect(Array(da.prefix(6)) == [90, -30, 60, -60, 30, -90])
        #expect(q.dequeue(now: .zero) == nil)
        #expect(q.deficit(ofFlow: 1) == 90 && q.status(ofFlow: 1) == "inactive")
        #expect(q.deficit(ofFlow: 2) == 30 && q.status(ofFlow: 2) == "inactive")
        #expect(q.stats.isConserved)
    }
}
