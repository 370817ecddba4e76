import Testing
import DRLSimCore
import DRLCloud
import DRLTestSupport
@testable import DRLScenario

/// `outputs.detail: total`: `replication.csv` holds one row per instant over every DRBD
/// resource (`ReplicationTotals`), the aggregate of what the per-resource table says.
struct ReplicationDetailTests {
    static func yaml(_ detail: String) -> String {
        var vms = ""
        for (i, rate) in [20, 40, 90].enumerated() {
            vms += "    - { name: vm\(i), image: 190MB, volume: { size: 1GiB, type: drbd }, writes: { type: constant, rate: \(rate)mbit, write_size: 1MiB } }\n"
        }
        return """
        schema: 1
        name: detail
        seed: 4
        duration: 90s
        sites:
          primary: { name: umea, hosts: 6 }
          backup:  { name: lulea, hosts: 3 }
        wan: { rate: 100mbit, delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
        workload:
          vms:
        \(vms)protection: { policy: replication, interval: 30min }
        drbd: { protocol: A, on_congestion: pull-ahead }
        outputs: { traffic_bin: 5s, replication_bin: 1s, detail: \(detail) }
        """
    }

    static func rows(_ detail: String) throws -> [[RecordValue]] {
        let s = try Scenario.parse(yaml: yaml(detail), file: "d.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        return run.recorder.rows[ReplicationMonitor.table] ?? []
    }

    @Test func totalsAggregateThePerResourceRows() throws {
        let detail = try Self.rows("per-resource"), totals = try Self.rows("total")
        // Recompute the totals from the per-resource rows: group by instant, latest row per resource.
        var latest: [String: [RecordValue]] = [:]
        var expected: [[RecordValue]] = []
        func num(_ v: RecordValue) -> Double { if case .double(let d) = v { return d }; if case .int(let i) = v { return Double(i) }; return .nan }
        func text(_ v: RecordValue) -> String { if case .text(let s) = v { return s }; return "" }
        func flush(_ t: Double) {
            let rs = ["vm0-vol", "vm1-vol", "vm2-vol"].compactMap { latest[$0] }
            let rank = ["disconnected", "stalled", "initial-sync", "backlog", "continuous"]
            let worst = rs.min { rank.firstIndex(of: text($0[2]))! < rank.firstIndex(of: text($1[2]))! }!
            let etas = rs.map { num($0[8]) }
            expected.append([.double(t), .text("total"), worst[2], worst[3], .double(rs.map { num($0[4]) }.max()!),
                             .int(Int64(rs.map { num($0[5]) }.reduce(0, +))), .int(Int64(rs.map { num($0[6]) }.reduce(0, +))),
                             .int(Int64(rs.map { num($0[7]) }.reduce(0, +))),
                             .double(etas.contains { $0 < 0 } ? -1 : etas.max()!)])
        }
        var current: Double?
        for r in detail {
            let t = num(r[0])
            if let c = current, c != t { flush(c) }
            latest[text(r[1])] = r
            current = t
        }
        if let c = current { flush(c) }
        #expect(detail.count > 3 * 90)             // three resources, every second, plus changes
        #expect(totals.count == expected.count)
        #expect(totals.count >= 91 && totals.count < detail.count)   // one row per instant, not per resource
        #expect(totals == expected)
        // The 90 mbit writer alone exceeds what is left of the 100 mbit WAN: the estate is behind.
        #expect(totals.contains { text($0[2]) == "backlog" })
    }

    @Test func unitRowsAreAggregatedByHand() {
        let a = ReplicationTotals()
        func row(_ t: Double, _ r: String, _ s: String, _ lag: Double, _ b: Int64, _ eta: Double) -> [RecordValue] {
            [.double(t), .text(r), .text(s), .text(s == "backlog" ? "Ahead" : "Established"), .double(lag), .int(b), .int(10), .int(100), .double(eta)]
        }
        #expect(a.take(row(0, "x", "continuous", 0, 0, 0)).isEmpty)
        #expect(a.take(row(0, "y", "continuous", 0.5, 7, 2)).isEmpty)
        let first = a.take(row(1, "x", "backlog", 3, 40, -1))
        #expect(first == [[.double(0), .text("total"), .text("continuous"), .text("Established"), .double(0.5), .int(7), .int(20), .int(200), .double(2)]])
        #expect(a.finish() == [[.double(1), .text("total"), .text("backlog"), .text("Ahead"), .double(3), .int(47), .int(20), .int(200), .double(-1)]])
        #expect(a.finish().isEmpty)
    }

    @Test func badDetailIsRejected() {
        #expect(throws: ScenarioError.self) { try Scenario.parse(yaml: Self.yaml("per-vm"), file: "d.yaml") }
    }
}
