import DRLSimCore
import DRLTestSupport
import Testing
@testable import DRLNetwork

@Suite struct NetemTests {
    func stream() -> RandomStream { RandomStream(name: "test.netem", rawSeed: 7) }

    @Test func bernoulliLossRate() {
        let q = NetemQdisc(loss: .bernoulli(0.1), stream: stream())
        var lost = 0
        for i in 0..<20_000 {
            if !q.enqueue(Packet(bytes: 100), now: SimInstant(nanoseconds: Int64(i))).isAccepted { lost += 1 }
            _ = q.dequeue(now: SimInstant(nanoseconds: Int64(i)))
        }
        // Binomial(20000, 0.1): sd = 42; allow 5 sd.
        #expect(abs(lost - 2000) < 5 * 43)
        #expect(q.stats.drops(.netemLoss) == Int64(lost))
        #expect(q.stats.isConserved)
    }

    @Test func gilbertElliottLongRunLoss() {
        // p = 1 %, r = 10 %, loss 100 % in Bad, 0 in Good: stationary P(Bad) = p/(p+r) = 1/11.
        let q = NetemQdisc(loss: .gilbertElliott(p: 0.01, r: 0.1, lossBad: 1, lossGood: 0), stream: stream())
        var lost = 0
        var bursts = 0
        var prevLost = false
        let n = 200_000
        for _ in 0..<n {
            let l = !q.enqueue(Packet(bytes: 100), now: .zero).isAccepted
            if l { lost += 1; if !prevLost { bursts += 1 } }
            prevLost = l
            _ = q.dequeue(now: .zero)
        }
        #expect(Approx.equal(Double(lost) / Double(n), 1.0 / 11.0, relative: 0.1))
        // Mean burst length 1/r = 10 packets.
        #expect(Approx.equal(Double(lost) / Double(bursts), 10, relative: 0.15))
        #expect(q.stats.isConserved)
    }

    @Test func delayAndJitterHoldPacketsAndCanReorder() {
        let q = NetemQdisc(delay: .milliseconds(10), jitter: .milliseconds(5), stream: stream())
        var wake: SimInstant?
        q.onWakeup = { wake = $0 }
        for i in 0..<50 { q.enqueue(Packet(bytes: 100, segment: Int64(i)), now: SimInstant(nanoseconds: Int64(i) * 100_000)) }
        #expect(q.dequeue(now: ms(4)) == nil)
        #expect(wake != nil && wake! >= ms(5))
        var out: [Int64] = []
        var t = ms(5)
        while out.count < 50 {
            while let p = q.dequeue(now: t) {
                #expect(p.timeToSend <= t)
                let sent = Int64(p.segment) * 100_000
                #expect(p.timeToSend.nanoseconds - sent >= 5_000_000 && p.timeToSend.nanoseconds - sent < 15_000_000)
                out.append(p.segment)
            }
            t = t + .microseconds(100)
        }
        #expect(out != out.sorted())   // jitter reordered some packets
        #expect(Set(out).count == 50)
        #expect(q.stats.isConserved)
    }

    @Test func rateSerialisesReleases() {
        let q = NetemQdisc(rate: .mbit(8), stream: stream())   // 1000 B per ms
        for _ in 0..<3 { q.enqueue(Packet(bytes: 1000), now: .zero) }
        #expect(q.dequeue(now: ms(1))?.timeToSend == ms(1))
        #expect(q.dequeue(now: ms(1)) == nil)
        #expect(q.dequeue(now: ms(2))?.timeToSend == ms(2))
        #expect(q.dequeue(now: ms(3))?.timeToSend == ms(3))
    }

    @Test func flowRecoversFromNetemLoss() throws {
        let netem = QdiscConfig(type: "netem", params: ["loss": "1%", "delay": "0ms"])
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5), segment: 1500, qdisc: netem)
        let f = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 20)
        let s = BulkSender(flow: f, total: 5_000_000)
        net.sim.run()
        #expect(s.completedAt != nil)
        #expect(f.deliveredBytes == 5_000_000)
        #expect(f.droppedBytes > 0 && f.retransmittedBytes >= f.droppedBytes)
        #expect(f.lossEpisodes > 0)
        expectConserved(net)
    }
}

@Suite struct ConfigTests {
    /// Qdisc parameters given as text in tc spelling are read with the one unit parser (`Units`,
    /// DRLSimCore) by their declared kind (was: a second parser, TCUnits; same assertions).
    @Test func unitsParseTcSpelling() throws {
        func rate(_ s: String) throws -> Rate { try #require(QdiscParams(["r": .text(s)], schema: [ParameterSpec("r", .rate, doc: "")]).rate("r")) }
        func size(_ s: String) throws -> Int64 { try #require(QdiscParams(["s": .text(s)], schema: [ParameterSpec("s", .size, doc: "")]).size("s")) }
        #expect(try rate("500mbit") == .mbit(500))
        #expect(try rate("6000bps").bytesPerSecond == 6000)
        #expect(try size("64kb") == 65_536)
        #expect(try size("1500b") == 1500)
        #expect(try size("5GiB") == 5 << 30)
        #expect(try size("10MB") == 10_000_000)
        #expect(try QdiscParams(["t": "2.5ms"], schema: [ParameterSpec("t", .duration, doc: "")]).time("t") == .microseconds(2500))
        #expect(try QdiscParams(["p": "0.5%"], schema: [ParameterSpec("p", .probability, doc: "")]).probability("p") == 0.005)
        #expect(throws: NetworkConfigError.self) { try rate("fast") }
        #expect(throws: NetworkConfigError.self) { try size("1500") }
    }

    @Test func errorsNameTheKeyPath() throws {
        let bad = NetworkConfig.twoSites(rate: .mbit(100), delay: .milliseconds(1),
                                         qdisc: QdiscConfig(type: "tbf", params: ["rate": "fast", "burst": "64kb", "latency": "50ms"]))
        #expect(throws: NetworkConfigError.badValue(key: "wan.qdisc.rate", value: "fast", expected: "a rate such as 500mbit")) {
            _ = try Network(config: bad, context: RunContext(seed: 1, replication: 0))
        }
        let missing = NetworkConfig.twoSites(rate: .mbit(100), delay: .milliseconds(1),
                                             qdisc: QdiscConfig(type: "tbf", params: ["rate": "10mbit", "latency": "50ms"]))
        #expect(throws: NetworkConfigError.missing(key: "wan.qdisc.burst")) {
            _ = try Network(config: missing, context: RunContext(seed: 1, replication: 0))
        }
        let unknown = NetworkConfig.twoSites(rate: .mbit(100), delay: .milliseconds(1), qdisc: QdiscConfig(type: "cake"))
        #expect(throws: NetworkConfigError.unknownType("cake")) {
            _ = try Network(config: unknown, context: RunContext(seed: 1, replication: 0))
        }
        let htbBad = QdiscConfig(type: "htb", classes: [QdiscClassConfig(classid: "1:10", params: ["rate": "10mbit", "ceil": "x"])])
        #expect(throws: NetworkConfigError.badValue(key: "classes[0].ceil", value: "x", expected: "a rate such as 500mbit")) {
            _ = try QdiscRegistry.standard.build(htbBad, context: QdiscBuildContext(linkRate: .gbit(1)))
        }
    }

    @Test func registryBuildsEveryType() throws {
        let ctx = QdiscBuildContext(linkRate: .gbit(1), mtu: 1514)
        for (type, params) in [(String, [String: ParameterValue])]([("pfifo", ["limit": "100"]), ("bfifo", ["limit": "100kb"]), ("pfifo_fast", [:]),
                               ("tbf", ["rate": "1mbit", "burst": "10kb", "limit": "100kb"]), ("prio", ["bands": "4"]),
                               ("htb", [:]), ("netem", ["delay": "10ms", "jitter": "1ms", "loss": "1%"]),
                               ("codel", ["target": "5ms"]), ("fq_codel", ["quantum": "300"])]) {
            let q = try QdiscRegistry.standard.build(QdiscConfig(type: type, params: params), context: ctx)
            #expect(q.kind == (type == "pfifo_fast" ? "pfifo" : type))
        }
        #expect(QdiscRegistry.standard.types.count == 9)
    }

    @Test func paperAndHtbExamplesBuild() throws {
        // The two examples of QdiscConfig's documentation.
        let paper = QdiscConfig(type: "tbf", params: ["rate": "100mbit", "burst": "256kb", "latency": "50ms"])
        let tbf = try #require(try QdiscRegistry.standard.build(paper, context: QdiscBuildContext(linkRate: .gbit(1))) as? TbfQdisc)
        #expect(tbf.rate == .mbit(100) && tbf.burst == 262_144)
        let split = QdiscConfig(type: "htb", handle: "1:", params: ["default": "1:20"],
                                classes: [QdiscClassConfig(classid: "1:1", params: ["rate": "100mbit"]),
                                          QdiscClassConfig(classid: "1:10", parent: "1:1", params: ["rate": "70mbit", "ceil": "100mbit", "prio": "0"],
                                                           qdisc: QdiscConfig(type: "fq_codel")),
                                          QdiscClassConfig(classid: "1:20", parent: "1:1", params: ["rate": "30mbit", "ceil": "100mbit", "prio": "1"])],
                                filters: [QdiscFilterConfig(trafficClass: "replication", flowid: "1:10"),
                                          QdiscFilterConfig(trafficClass: "application", flowid: "1:20")])
        let h = try #require(try QdiscRegistry.standard.build(split, context: QdiscBuildContext(linkRate: .gbit(1))) as? HtbQdisc)
        #expect(h.leaves.map(\.classid) == ["1:10", "1:20"])
        #expect(h.htbClass("1:10")?.leaf?.kind == "fq_codel")
        #expect(h.classify(Packet(bytes: 1, trafficClass: .metadata))?.classid == "1:20")   // default
        #expect(h.classify(Packet(bytes: 1, trafficClass: .replication))?.classid == "1:10")
    }
}

@Suite struct TrafficTableTests {
    @Test func trafficRowsPerBinAndClass() throws {
        let net = try makeNetwork(rate: .mbit(8), delay: .milliseconds(1), bin: .milliseconds(1000), bothDirections: true)
        // 1 MB of replication and 0.5 MB of metadata from t = 0; 8 mbit/s = 1 MB/s line rate.
        let r = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 1 << 22)
        let m = net.openFlow(from: 0, to: 1, trafficClass: .metadata, sendBuffer: 1 << 22)
        r.offer(1_000_000)
        m.offer(500_000)
        net.sendDatagram(from: Endpoint(site: 1), to: Endpoint(site: 0), bytes: 100, trafficClass: .detector)
        net.sim.run(until: .seconds(3.0))
        net.finish()
        let rows = try #require(net.context.recorder.rows["traffic"])
        #expect(net.context.recorder.columns["traffic"] == ["t_s", "class", "bytes", "cum_bytes", "rate_bps", "direction"])
        // Sorted by time, then class, then direction.
        func key(_ row: [RecordValue]) -> (Double, String, String) {
            guard case .double(let t) = row[0], case .text(let c) = row[1], case .text(let d) = row[5] else { return (0, "", "") }
            return (t, c, d)
        }
        #expect(rows.map(key).elementsEqual(rows.map(key).sorted { $0 < $1 }, by: { $0 == $1 }))
        var totals: [String: Int64] = [:]
        for row in rows {
            guard case .text(let c) = row[1], case .int(let b) = row[2], case .int(let cum) = row[3],
                  case .double(let rate) = row[4], case .text(let d) = row[5] else { Issue.record("bad row"); continue }
            if d == "umea->lulea" {
                totals[c, default: 0] += b
                #expect(cum == totals[c])
                #expect(rate == Double(b) * 8)
            } else {
                #expect(c == "detector" && d == "lulea->umea")
            }
        }
        #expect(totals["replication"] == r.transmittedBytes)
        #expect(totals["metadata"] == m.transmittedBytes)
        #expect(totals["replication"]! + totals["metadata"]! == 1_500_000)
        #expect(rows.count == 3 * 2 + 3)   // 3 bins x 2 classes forward, 3 bins of detector backwards
        expectConserved(net)
    }

    @Test func defaultAccountsOnlyPrimaryToBackup() throws {
        let net = try makeNetwork(rate: .mbit(8), delay: .milliseconds(1))
        net.sendDatagram(from: Endpoint(site: 0), to: Endpoint(site: 1), bytes: 100, trafficClass: .detector)
        net.sendDatagram(from: Endpoint(site: 1), to: Endpoint(site: 0), bytes: 100, trafficClass: .detector)
        net.sim.run(until: .seconds(1.0))   // one whole bin (a partial last bin's rate uses its elapsed part)
        net.finish()
        let rows = try #require(net.context.recorder.rows["traffic"])
        #expect(rows == [[.double(0), .text("detector"), .int(100), .int(100), .double(800), .text("umea->lulea")]])
    }

    @Test func lanDatagramUsesSiteLAN() throws {
        let net = try makeNetwork(rate: .mbit(100), delay: .milliseconds(5))
        var at: SimInstant?
        net.sendDatagram(from: Endpoint(site: 0, host: 0), to: Endpoint(site: 0, host: 3), bytes: 1250, trafficClass: .detector) { _ in
            at = net.sim.now
        }
        net.sim.run()
        // 10 gbit LAN: 1250 B = 1 us, + 50 us LAN delay.
        #expect(at == SimInstant(nanoseconds: 51_000))
        expectConserved(net)
    }
}
