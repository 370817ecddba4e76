import Testing
import DRLSimCore
@testable import DRLScenario

/// A whole DR world from a scenario file: protect, disaster, detect, recover, on the real
/// modules (DRLNetwork WAN, DRLCloud data plane, DRLDetector, DRLOrchestration layer), run the
/// way `ExperimentRunner.execute(run:)` runs it (RunAssembly install + execute).
struct WorldEndToEndTests {
    static let yaml = """
    schema: 1
    name: e2e-world
    seed: 3
    duration: 6min
    sites:
      primary: { name: umea, hosts: 6 }
      backup: { name: lulea, hosts: 3 }
    wan:
      rate: 500mbit
      delay: 2.5ms
      qdisc: { type: tbf, rate: 500mbit, burst: 256kb, latency: 50ms }
    workload:
      vms:
        - name: vm1
          image: 50MB
          volume: { size: 300MiB }
          writes: { type: constant, rate: 8mbit, write_size: 64KiB }
    protection: { interval: 1min }
    detector: { transport: fixed }
    disaster: { at: 150s }
    outputs: { traffic_bin: 10s }
    sweep:
      protection.policy: [snapshot, replication]
    """

    typealias Row = [String: RecordValue]

    func run(point: Int) throws -> (Recorder, (String) -> [Row]) {
        let s = try Scenario.parse(yaml: Self.yaml, file: "e2e.yaml")
        let run = RunAssembly(spec: s.points[point], replication: 0)
        try run.install()
        run.execute()
        let rec = run.recorder
        return (rec, { t in
            let cols = rec.columns[t] ?? []
            return (rec.rows[t] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        })
    }

    @Test func contractTablesHaveTheContractColumns() throws {
        let (rec, _) = try run(point: 1)
        #expect(rec.columns["protection"] == ["execution", "resource", "kind", "action", "start_s", "end_s", "duration_s", "bytes", "status"])
        #expect(Array(rec.columns["traffic"]!.prefix(5)) == ["t_s", "class", "bytes", "cum_bytes", "rate_bps"])
        #expect(Array(rec.columns["recovery"]!.prefix(8)) == ["disaster_s", "detected_s", "notified_s", "recovery_started_s",
                                                              "recovered_s", "responsive_s", "redirected_s", "rto_s"])
        #expect(Array(rec.columns["rpo"]!.prefix(6)) == ["resource", "action", "disaster_s", "recovery_point_s", "rpo_s", "lost_bytes"])
        #expect(rec.columns["detector"] == ["t_s", "detector", "event", "value"])
    }

    @Test func replicationKeepsTheVolumeRPONearZeroAndSnapshotsLagByTheTransfer() throws {
        // Replication: DRBD protocol A keeps the peer within the send buffer of the primary.
        let (_, rep) = try run(point: 1)
        let repVol = try #require(rep("rpo").first { $0["action"] == .text("volume-replication") })
        #expect(repVol["rpo_s"]!.asDouble < 1.0, "\(repVol)")
        #expect(rep("protection").contains { $0["action"] == .text("image-copy") && $0["status"] == .text("completed") })

        // Snapshot: the newest recovery point is the start of the last completed volume
        // snapshot, so the RPO at the disaster is at least that snapshot's transfer time.
        let (_, snap) = try run(point: 0)
        let vol = try #require(snap("rpo").first { $0["action"] == .text("volume-snapshot") })
        let done = snap("protection").filter { $0["action"] == .text("volume-snapshot") && $0["status"] == .text("completed") }
        let last = try #require(done.filter { $0["end_s"]!.asDouble <= 150 }.max { $0["end_s"]!.asDouble < $1["end_s"]!.asDouble })
        // 300 MiB at 500 mbit is 5 s on the wire at least.
        #expect(last["duration_s"]!.asDouble >= 300 * 1_048_576 * 8 / 500e6)
        #expect(vol["rpo_s"]!.asDouble >= last["duration_s"]!.asDouble)
        #expect(vol["recovery_point_s"]!.asDouble == last["start_s"]!.asDouble)
        #expect(vol["rpo_s"]!.asDouble > repVol["rpo_s"]!.asDouble + 1)
    }

    @Test func recoveryRowsSatisfyTheContractIdentity() throws {
        for point in [0, 1] {
            let (_, rows) = try run(point: point)
            let r = try #require(rows("recovery").first, "point \(point)")
            #expect(r["status"] == .text("recovered"), "\(r)")
            #expect(r["disaster_s"]!.asDouble == 150)
            #expect(abs(r["rto_s"]!.asDouble - (r["responsive_s"]!.asDouble - r["disaster_s"]!.asDouble)) < 1e-9)
            // The paper's detector: 5 x 100 ms pings then a vote on the LAN.
            let detect = r["detected_s"]!.asDouble - 150
            #expect(detect >= 0.5 && detect < 0.6, "detection \(detect)")
            // Traffic crossed the WAN in the classes of the policy.
            let classes = Set(rows("traffic").filter { $0["bytes"]!.asDouble > 0 }.map { $0["class"]! })
            #expect(classes.contains(.text(point == 0 ? "snapshot" : "replication")), "\(classes)")
        }
    }
}

extension RecordValue {
    /// The value as a Double (ints converted; text is NaN).
    var asDouble: Double {
        switch self {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: return .nan
        }
    }
}
