import Testing
import DRLSimCore
@testable import DRLScenario

/// `writes.csv` from whole runs, with answers from the cited rules: DRBD `on_congestion: block`
/// (drbd.conf(5): the writer waits for send-buffer space) holds a 40 mbit writer to the 20 mbit
/// WAN, so it completes 20 mbit and waits half the time; protocol C (the write completes on the
/// peer's ack) adds one 1 MiB serialisation at 500 mbit plus one round trip (2 x 2.5 ms) to
/// every write's latency over protocol A.
struct WritesTableTests {
    static func yaml(rate: String, protocol p: String) -> String {
        """
        schema: 1
        name: writes
        seed: 3
        duration: 2min
        wan: { rate: \(rate), delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
        workload:
          vms:
            - name: vm
              image: 190MB
              volume: { size: 1GiB, type: drbd }
              writes: { type: constant, rate: 40mbit, write_size: 1MiB }
        drbd: { protocol: \(p), sndbuf: auto, on_congestion: block }
        """
    }

    func rows(_ yaml: String) throws -> [[String: Double]] {
        let s = try Scenario.parse(yaml: yaml, file: "w.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let cols = try #require(run.recorder.columns["writes"])
        return (run.recorder.rows["writes"] ?? []).map { r in
            var d: [String: Double] = [:]
            for (c, v) in zip(cols, r) {
                switch v { case .double(let x): d[c] = x; case .int(let i): d[c] = Double(i); default: break }
            }
            return d
        }
    }

    @Test func drbdBlockHoldsTheWriterToTheWAN() throws {
        let r = try rows(Self.yaml(rate: "20mbit", protocol: "A"))
        #expect(r.count == 12)
        for b in r.dropFirst() {   // after the first bin (send buffer filling)
            // 20 mbit x 10 s = 25 MB completed (1 MiB writes: within one write).
            #expect(abs(b["completed_bytes"]! - 25e6) <= 1_048_576 + 1, "\(b)")
            #expect(abs(b["throttled_share"]! - 0.5) < 0.02, "\(b)")
        }
        let free = try rows(Self.yaml(rate: "500mbit", protocol: "A"))
        #expect(free.allSatisfy { $0["throttled_s"] == 0 })
        // Unhindered: 40 mbit = 50 MB per 10 s (48 or 47 1-MiB writes).
        #expect(free.dropFirst().allSatisfy { abs($0["completed_bytes"]! - 50e6) <= 2 * 1_048_576 })
    }

    @Test func protocolCAddsSerialisationAndARoundTripToEveryWrite() throws {
        let a = try rows(Self.yaml(rate: "500mbit", protocol: "A"))
        let c = try rows(Self.yaml(rate: "500mbit", protocol: "C"))
        let extra = 1_048_576.0 * 8 / 500e6 + 2 * 0.0025
        for (x, y) in zip(a, c).dropFirst() {
            #expect(abs((y["latency_mean_s"]! - x["latency_mean_s"]!) - extra) < 1e-4, "\(x) \(y)")
            #expect(y["throttled_s"] == 0)
        }
    }
}
