import Testing
import DRLScenarioTestSupport
import DRLSimCore
import DRLCloud
@testable import DRLScenario

/// Issue 16 item 4: `outputs.writes_detail`, `outputs.writes_bin` and `outputs.detail:
/// per-policy` sum the per-resource rows as they are recorded. Conservation: every summed column
/// of the aggregated rows equals the sum of the per-VM (per-volume) rows they stand for, per
/// policy and bin, and in total. Four DRBD VMs writing 20-90 Mbit/s over a 100 Mbit/s WAN (the
/// writers are throttled), in policies `a` (vm0, vm1) and `b` (vm2); vm3 is in no policy.
struct OutputGroupsTests {
    static func yaml(_ outputs: String) -> String {
        var vms = ""
        for (i, rate) in [20, 40, 90, 30].enumerated() {
            vms += "    - { name: vm\(i), image: 190MB, volume: { size: 1GiB, type: drbd }, writes: { type: constant, rate: \(rate)mbit, write_size: 1MiB } }\n"
        }
        return """
        schema: 1
        name: groups
        seed: 4
        duration: 95s
        sites:
          primary: { name: umea, hosts: 6 }
          backup:  { name: lulea, hosts: 3 }
        wan: { rate: 100mbit, delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
        workload:
          vms:
        \(vms)protection:
          policy: replication
          interval: 30min
          policies: { a: { vms: [vm0, vm1] }, b: { vms: [vm2] } }
        drbd: { protocol: A, on_congestion: block }
        outputs: { traffic_bin: 5s, replication_bin: 5s\(outputs) }
        """
    }

    static func rows(_ outputs: String, _ table: String) throws -> [[RecordValue]] {
        let run = try ScenarioRun(yaml: yaml(outputs), file: "g.yaml")
        run.execute()
        return run.assembly.recorder.rows[table] ?? []
    }

    static func num(_ v: RecordValue) -> Double {
        switch v { case .double(let d): return d; case .int(let i): return Double(i); case .text: return .nan }
    }
    static func text(_ v: RecordValue) -> String { if case .text(let s) = v { return s }; return "" }
    static let policy = ["vm0": "a", "vm1": "a", "vm2": "b", "vm3": "unprotected",
                         "vm0-vol": "a", "vm1-vol": "a", "vm2-vol": "b", "vm3-vol": "unprotected"]

    /// The per-VM rows summed by (bin of `width` s, group): requested, completed, writes, throttled_s.
    static func expected(_ perVM: [[RecordValue]], width: Double, group: (String) -> String) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for r in perVM {
            let k = "\((num(r[0]) / width).rounded(.down) * width)|\(group(text(r[1])))"
            var e = out[k] ?? [0, 0, 0, 0]
            for (i, c) in [2, 3, 4, 5].enumerated() { e[i] += num(r[c]) }
            out[k] = e
        }
        return out
    }

    static func got(_ rows: [[RecordValue]]) -> [String: [Double]] {
        var out: [String: [Double]] = [:]
        for r in rows { out["\(num(r[0]))|\(text(r[1]))"] = [2, 3, 4, 5].map { num(r[$0]) } }
        return out
    }

    static func close(_ a: [String: [Double]], _ b: [String: [Double]]) -> Bool {
        guard a.keys.sorted() == b.keys.sorted() else { return false }
        return a.allSatisfy { k, v in zip(v, b[k]!).allSatisfy { abs($0 - $1) <= 1e-9 * max(1, abs($0)) } }
    }

    @Test func writesPerPolicyConserveThePerVMRows() throws {
        let perVM = try Self.rows("", WriteMonitor.table)
        let perPolicy = try Self.rows(", writes_detail: per-policy", WriteMonitor.table)
        let total = try Self.rows(", writes_detail: total", WriteMonitor.table)
        #expect(perVM.count == 4 * 19)                      // 4 VMs x 19 bins of 5 s in 95 s
        #expect(perPolicy.count == 3 * 19)                  // a, b, unprotected
        #expect(total.count == 19)
        #expect(Set(perPolicy.map { Self.text($0[1]) }) == ["a", "b", "unprotected"])
        #expect(Self.close(Self.got(perPolicy), Self.expected(perVM, width: 5) { Self.policy[$0]! }))
        #expect(Self.close(Self.got(total), Self.expected(perVM, width: 5) { _ in "total" }))
        // Written bytes of policy a = vm0's + vm1's over the run (exact: integers).
        func sum(_ rows: [[RecordValue]], _ names: Set<String>, _ c: Int) -> Int64 {
            rows.filter { names.contains(Self.text($0[1])) }.reduce(0) { if case .int(let x) = $1[c] { return $0 + x }; return $0 }
        }
        #expect(sum(perPolicy, ["a"], 3) == sum(perVM, ["vm0", "vm1"], 3))
        #expect(sum(perPolicy, ["a"], 3) > 0)
        // The 90 Mbit/s writer is held back: throttled share of b = vm2's, within [0, 1].
        let bShares = perPolicy.filter { Self.text($0[1]) == "b" }.map { Self.num($0[6]) }
        let vm2Shares = perVM.filter { Self.text($0[1]) == "vm2" }.map { Self.num($0[6]) }
        #expect(bShares == vm2Shares)
        #expect(bShares.contains { $0 > 0.5 } && bShares.allSatisfy { $0 >= 0 && $0 <= 1 })
    }

    @Test func writesBinsSumTheFinerBins() throws {
        let perVM = try Self.rows("", WriteMonitor.table)
        let coarse = try Self.rows(", writes_bin: 30s", WriteMonitor.table)
        let coarsePolicy = try Self.rows(", writes_bin: 30s, writes_detail: per-policy", WriteMonitor.table)
        #expect(coarse.count == 4 * 4)                       // bins 0, 30, 60, 90 (the last 5 s wide)
        #expect(Self.close(Self.got(coarse), Self.expected(perVM, width: 30) { $0 }))
        #expect(Self.close(Self.got(coarsePolicy), Self.expected(perVM, width: 30) { Self.policy[$0]! }))
        // The last bin is 5 s wide: its share is throttled_s / 5 s.
        for r in coarse where Self.num(r[0]) == 90 { #expect(abs(Self.num(r[6]) - Self.num(r[5]) / 5) < 1e-12) }
    }

    @Test func replicationPerPolicyConservesTheTotal() throws {
        let perPolicy = try Self.rows(", detail: per-policy", ReplicationMonitor.table)
        let total = try Self.rows(", detail: total", ReplicationMonitor.table)
        let perResource = try Self.rows("", ReplicationMonitor.table)
        #expect(Set(perPolicy.map { Self.text($0[1]) }) == ["a", "b", "unprotected"])
        #expect(Set(perResource.map { Self.text($0[1]) }) == ["vm0-vol", "vm1-vol", "vm2-vol", "vm3-vol"])
        // Per instant: the policies' backlog, sent and written bytes add up to the estate's total.
        var byTime: [Double: [Double]] = [:]
        for r in perPolicy { byTime[Self.num(r[0]), default: [0, 0, 0]] = zip(byTime[Self.num(r[0])] ?? [0, 0, 0], [5, 6, 7].map { Self.num(r[$0]) }).map(+) }
        #expect(byTime.count == total.count)
        for r in total {
            #expect(byTime[Self.num(r[0])] == [5, 6, 7].map { Self.num(r[$0]) })
        }
        #expect(perPolicy.count == 3 * total.count)
        #expect(total.contains { Self.num($0[5]) > 0 })
    }

    @Test func writesBinMustBeAMultipleOfTheReplicationBin() {
        #expect { try Scenario.parse(yaml: Self.yaml(", writes_bin: 12s"), file: "g.yaml") } throws: {
            "\($0)".contains("writes_bin") && "\($0)".contains("multiple")
        }
        #expect(throws: ScenarioError.self) { try Scenario.parse(yaml: Self.yaml(", writes_detail: per-volume"), file: "g.yaml") }
    }
}
