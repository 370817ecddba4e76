import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLScenario

/// The `flows:` section (issue 14): bulk transfers as ns-3's BulkSend, `flows.csv`.
struct FlowsScenarioTests {
    static func yaml(wan: String = "wan: { rate: 1gbit, delay: 2.5ms, segment: 1500b, qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms } }",
                     flows: String, duration: String? = nil) -> String {
        """
        schema: 1
        name: f
        \(duration.map { "duration: \($0)" } ?? "")
        sites:
          primary: { name: umea }
          backup: { name: lulea }
        \(wan)
        flows:
        \(flows)
        """
    }

    typealias Row = [String: RecordValue]

    func run(_ yaml: String) throws -> (RunAssembly, [Row]) {
        let s = try Scenario.parse(yaml: yaml, file: "f.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let cols = run.recorder.columns["flows"] ?? []
        return (run, (run.recorder.rows["flows"] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) })
    }

    func error(_ yaml: String) -> String {
        do { _ = try Scenario.parse(yaml: yaml, file: "f.yaml"); return "accepted" } catch let e as ScenarioError { return e.description } catch {
            return "unexpected \(error)"
        }
    }

    /// 100 MB through a 100 mbit tbf with linux framing: payload at 100 x 1448/1514 = 95.64
    /// Mbit/s, so 100e6 x 8 / 95.64e6 = 8.365 s (within 1 %: slow start, its overshoot's
    /// losses and the bucket's initial burst); wire bytes = payload + 66 B per 1448 B segment,
    /// retransmissions included.
    @Test func oneTransferThroughATbf() throws {
        let (run, rows) = try run(Self.yaml(flows: "  bulk: { from: umea, to: lulea, bytes: 100MB, start: 1s }"))
        let r = try #require(rows.first)
        #expect(r["flow"] == .text("bulk"))
        #expect(r["start_s"]!.asDouble == 1)
        #expect(r["finished"] == .int(1))
        #expect(r["bytes_delivered"] == .int(100_000_000))
        let span = r["end_s"]!.asDouble - 1
        let ideal = 100e6 * 8 / (1e8 * 1448 / 1514)
        print("flows: 100MB in \(span) s (ideal \(ideal)), goodput \(r["goodput_bps"]!.asDouble), retx \(r["retransmitted_bytes"]!), fr \(r["fast_recoveries"]!), rtos \(r["rtos"]!)")
        // The bucket's first 256 KiB leave at the line rate: at most 21 ms ahead of the rate.
        #expect(span > ideal - 262_144 * 8 / 1e8 && Approx.equal(span, ideal, relative: 0.01))
        #expect(Approx.equal(r["goodput_bps"]!.asDouble, 100e6 * 8 / span, relative: 1e-9))
        let sent = 100_000_000 + r["retransmitted_bytes"]!.asDouble
        // Segments are full 1448 B ones except the last (100e6 = 69060 x 1448 + 320).
        #expect(abs(r["wire_bytes"]!.asDouble - (sent + 66 * (sent / 1448).rounded(.up))) <= 66)
        #expect(run.component(Network.self)!.conservationViolations().isEmpty)
    }

    /// Unfinished flows (no `bytes`) end at the run's end; a per-flow transport and extra delay
    /// reach the flow; the 45 ms flow gets less of the tbf than the 5 ms one (Reno's RTT unfairness).
    @Test func rttUnfairnessAndUnfinishedFlows() throws {
        let (run, rows) = try run(Self.yaml(flows: """
          near: { from: umea, to: lulea, transport: { congestion: reno } }
          far: { from: umea, to: lulea, extra_delay: 20ms, class: snapshot, transport: { congestion: reno } }
        """, duration: "30s"))
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0["finished"] == .int(0) && $0["end_s"]!.asDouble == 30 })
        let near = rows[0]["goodput_bps"]!.asDouble, far = rows[1]["goodput_bps"]!.asDouble
        print("rtt unfairness: near \(near) far \(far)")
        #expect(near > far)
        #expect(Approx.equal(near + far, 1e8 * 1448 / 1514, relative: 0.03))
        let net = try #require(run.component(Network.self))
        #expect(net.flows[1].minRTT!.seconds > 0.045 && net.flows[1].congestion.algorithm == .reno)
    }

    @Test func badFlowsAreOneLineErrors() {
        for (flows, duration, expected) in [
            ("  a: { from: umea, to: kiruna, bytes: 1MB }", "10s", "f.yaml:9: flows.a.to: no site 'kiruna' (sites: umea, lulea)"),
            ("  a: { from: umea, to: umea, bytes: 1MB }", "10s", "f.yaml:9: flows.a.to: a flow needs two different sites"),
            ("  a: { from: umea, to: lulea }", nil, "f.yaml:9: flows.a: a flow without bytes runs until the end: the scenario needs a duration"),
            ("  a: { from: umea, to: lulea, bytes: 0b }", "10s", "f.yaml:9: flows.a.bytes: bytes must be positive"),
            ("  a: { from: umea, to: lulea, class: bulk }", "10s", "f.yaml:9: flows.a.class: unknown traffic class 'bulk'"),
            ("  a: { from: umea, to: lulea, extra_delay: -1ms }", "10s", "f.yaml:9: flows.a.extra_delay:"),
            ("  a: { from: umea, to: lulea, transport: { min_rto: 0s } }", "10s", "f.yaml:9: flows.a.transport.min_rto:"),
            ("  a: { from: umea, too: lulea }", "10s", "f.yaml:9: flows.a"),
        ] as [(String, String?, String)] {
            let e = error(Self.yaml(flows: flows, duration: duration))
            #expect(e.hasPrefix(expected), "\(e)")
            #expect(!e.contains("\n"))
        }
    }
}

/// Paced flows (`flows.<name>.rate`).
struct PacedFlowsScenarioTests {
    /// A 20 mbit writer over a 100 mbit tbf delivers 20 Mbit/s (goodput over the 10 s run within
    /// 1 %, the last millisecond and one RTT in flight); 10 MB at 20 mbit finish after 4 s + ~1 RTT.
    @Test func pacedWriterDeliversItsRate() throws {
        let t = FlowsScenarioTests()
        let (_, rows) = try t.run(FlowsScenarioTests.yaml(flows: """
          cbr: { from: umea, to: lulea, rate: 20mbit }
          sized: { from: umea, to: lulea, rate: 20mbit, bytes: 10MB }
        """, duration: "10s"))
        let cbr = rows[0], sized = rows[1]
        #expect(abs(cbr["goodput_bps"]!.asDouble - 20e6) / 20e6 < 0.01, "\(cbr["goodput_bps"]!)")
        #expect(cbr["retransmitted_bytes"] == .int(0))
        #expect(sized["finished"] == .int(1))
        let end = sized["end_s"]!.asDouble
        #expect(end > 4.0 && end < 4.02, "\(end)")
    }
}
