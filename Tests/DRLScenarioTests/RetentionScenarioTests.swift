import Testing
import DRLSimCore
import DRLCloud
import DRLOrchestration
@testable import DRLScenario

/// `protection.retention` (count and age) and `storage.csv` on whole runs (RunAssembly, as
/// `drlsim run` runs them), plus the one-line errors of bad retention keys.
struct RetentionScenarioTests {
    /// An idle VM (50 MB image, 100 MiB iSCSI volume) protected every minute by the snapshot
    /// policy, so that every execution stores the same bytes.
    static func yaml(protection extra: String, duration: String = "15min", disaster: String = "") -> String {
        """
        schema: 1
        name: retention
        seed: 1
        duration: \(duration)
        sites:
          primary: { name: umea, hosts: 2 }
          backup: { name: lulea, hosts: 2 }
        wan: { rate: 500mbit, delay: 2.5ms, qdisc: { type: tbf, rate: 500mbit, burst: 256kb, latency: 50ms } }
        workload:
          vms:
            - name: vm1
              image: 50MB
              volume: { size: 100MiB }
        protection:
          policy: snapshot
          interval: 1min
        \(extra)
        outputs: { traffic_bin: 1s }
        \(disaster)
        """
    }

    /// Bytes of one execution container: the VM snapshot of an idle VM is its image (one
    /// 50 MB object); the backup of the unwritten 100 MiB volume is two 50 MiB chunks compressed
    /// at the zero ratio 0.001 (52,429 B each); metadata 4 KiB and template 2 KiB x 2 resources.
    static let perExecution: Int64 = 50_000_000 + 2 * 52_429 + 4096 + 2 * 2048

    typealias Row = [String: RecordValue]

    func run(_ yaml: String) throws -> (RunAssembly, (String) -> [Row]) {
        let s = try Scenario.parse(yaml: yaml, file: "r.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let rec = run.recorder
        return (run, { t in
            let cols = rec.columns[t] ?? []
            return (rec.rows[t] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        })
    }

    func int(_ v: RecordValue?) -> Int64 { if case .int(let i)? = v { return i }; return -1 }
    func double(_ v: RecordValue?) -> Double { if case .double(let d)? = v { return d }; return .nan }

    @Test func countKeepsAtMostNPointsAndTheBytesPlateauAtNExecutions() throws {
        let (run, rows) = try run(Self.yaml(protection: "  retention: { count: 3 }"))
        let plane = try #require(run.component(DataPlane.self))
        #expect(plane.service.conservationViolations().isEmpty, "\(plane.service.conservationViolations())")
        let exec = rows("storage").filter { $0["container_kind"] == .text("execution") }
        let ready = plane.vault.containers.filter { $0.state == .ready }
        #expect(ready.count == 3)
        #expect(ready.allSatisfy { $0.storedBytes == Self.perExecution }, "\(ready.map(\.storedBytes))")
        // 14 executions (1 min ... 14 min; the one due at 15 min, the run's end, does not start:
        // Docs/statistics.md), 11 deleted at the instants newer ones became ready.
        #expect(plane.vault.containers.count == 14)
        #expect(plane.vault.containers.filter { $0.state == .deleted }.count == 11)
        #expect(plane.vault.containers.last?.state == .ready)
        // Never more than 3 recovery points in any row; and the vault never exceeds 3 full
        // executions plus the one being written.
        #expect(exec.allSatisfy { int($0["recovery_points"]) <= 3 })
        #expect(exec.allSatisfy { int($0["logical_bytes"]) <= 4 * Self.perExecution })
        // issue 19: stored_bytes counts the 3 replicas of the Swift ring
        #expect(exec.allSatisfy { int($0["stored_bytes"]) == 3 * int($0["logical_bytes"]) })
        // Steady state (from the third point on): whenever nothing is in flight the vault holds
        // exactly 3 executions.
        let idle = exec.filter { double($0["t_s"]) > 200 && int($0["containers"]) == int($0["recovery_points"]) }
        #expect(idle.count >= 10)
        #expect(idle.allSatisfy { int($0["recovery_points"]) == 3 && int($0["logical_bytes"]) == 3 * Self.perExecution })
        // The image rows of a snapshot policy: none (no image copy).
        #expect(!rows("storage").contains { $0["container_kind"] == .text("image") })
    }

    @Test func ageKeepsCeilAOverTPointsAndRecoveryUsesTheNewestRetained() throws {
        // A = 150 s, T = 60 s: ceil(A/T) = 3 recovery points in steady state (+1 container in flight).
        let (run, rows) = try run(Self.yaml(protection: "  retention: { age: 150s }", duration: "13min",
                                            disaster: "disaster: { at: 630s }"))
        let plane = try #require(run.component(DataPlane.self))
        let exec = rows("storage").filter { $0["container_kind"] == .text("execution") }
        let steady = exec.filter { double($0["t_s"]) > 240 }
        #expect(steady.count >= 5)
        #expect(steady.allSatisfy { int($0["recovery_points"]) == 3 }, "\(steady.map { int($0["recovery_points"]) })")
        #expect(steady.allSatisfy { int($0["containers"]) <= 4 })
        #expect(steady.contains { int($0["containers"]) == 4 })
        #expect(exec.allSatisfy { int($0["recovery_points"]) <= 3 })
        // The disaster at 630 s: the newest complete point (execution of 600 s) is retained and is
        // what the backup recovers.
        let rpo = try #require(rows("rpo").first { $0["resource"] == .text("vm1") })
        #expect(double(rpo["recovery_point_s"]) == 600)
        guard case .container(let name, _) = plane.service.failoverSource(for: "vm1") else {
            Issue.record("no container to recover vm1 from"); return
        }
        let c = try #require(plane.vault.containers.first { $0.name == name })
        #expect(c.state == .ready && c.createdAt == .seconds(600.0))
        #expect(rows("recovery").first?["status"] == .text("recovered"))
        // Retained at the disaster: the executions of 480, 540 and 600 s; every older one is gone.
        #expect(plane.vault.containers.filter { $0.state == .ready }.map(\.createdAt.seconds) == [480, 540, 600])
        #expect(plane.vault.containers.filter { $0.createdAt.seconds < 480 }.allSatisfy { $0.state == .deleted })
    }

    @Test func theNewestCompletePointSurvivesWhenOlderThanTheAge() throws {
        // Age 20 s, protections every 60 s, cleanup every 10 s: each point is older than the age
        // 40 s before the next one is ready, yet stays, because it is the newest.
        let (run, rows) = try run(Self.yaml(protection: "  retention: { age: 20s }\n  cleanup: { interval: 10s }", duration: "6min"))
        let plane = try #require(run.component(DataPlane.self))
        let exec = rows("storage").filter { $0["container_kind"] == .text("execution") }
        let firstReady = try #require(exec.first { int($0["recovery_points"]) > 0 })
        let after = exec.filter { double($0["t_s"]) >= double(firstReady["t_s"]) }
        #expect(after.count >= 5)
        #expect(after.allSatisfy { int($0["recovery_points"]) == 1 })
        let ready = plane.vault.containers.filter { $0.state == .ready }
        #expect(ready.count == 1 && ready[0].createdAt == .seconds(300.0))
        #expect(SimInstant.seconds(360.0) - ready[0].createdAt > .seconds(20 as Int64))
        #expect(plane.vault.containers.filter { $0.state == .deleted }.count == 4)
    }

    @Test func withoutRetentionTheHourlyCleanupKeepsEverythingWithinTheHour() throws {
        // Backward compatibility: no retention key = the released code's hourly keep-newest.
        let (run, _) = try run(Self.yaml(protection: ""))
        let plane = try #require(run.component(DataPlane.self))
        #expect(plane.vault.containers.filter { $0.state == .ready }.count == 14)
        #expect(plane.vault.storedBytes == 14 * Self.perExecution)
    }

    @Test func retentionDecodes() throws {
        let s = try Scenario.parse(yaml: Self.yaml(protection: "  retention: { count: 12, age: 2h }"), file: "r.yaml")
        let p = try #require(s.points[0].section(ProtectionSection.self))
        #expect(p.orchestrator.retention == RetentionPolicy(count: 12, age: .seconds(7200 as Int64)))
        let legacy = try Scenario.parse(yaml: Self.yaml(protection: "  cleanup: { keep: 2 }"), file: "r.yaml")
        let l = try #require(legacy.points[0].section(ProtectionSection.self))
        #expect(l.orchestrator.retention == nil && l.orchestrator.cleanupRetention == RetentionPolicy(count: 2))
    }

    func error(_ protection: String) -> String? {
        do { _ = try Scenario.parse(yaml: Self.yaml(protection: protection), file: "r.yaml"); return nil }
        catch let e as ScenarioError { return e.description } catch { return "\(error)" }
    }

    @Test func badRetentionKeysAreOneLineErrorsAtTheirLine() {
        // The retention line is line 17 of the scenario.
        #expect(error("  retention: { count: 0 }")
                == "r.yaml:17: protection.retention.count: count must be at least 1 (a recovery point must always remain), found 0")
        #expect(error("  retention: { count: -2 }")
                == "r.yaml:17: protection.retention.count: count must be at least 1 (a recovery point must always remain), found -2")
        #expect(error("  retention:\n    age: 2")?.hasPrefix("r.yaml:18: protection.retention.age: \"2\" has no unit") == true,
                "\(error("  retention:\n    age: 2") ?? "")")
        #expect(error("  retention: { age: 0s }") == "r.yaml:17: protection.retention.age: age must be positive")
        #expect(error("  retention: {}")?.hasPrefix("r.yaml:17: protection.retention: retention needs a count") == true)
        #expect(error("  retention: { count: 2, agee: 1h }")?.hasPrefix("r.yaml:17: protection.retention.agee: unknown key (did you mean 'age'?)") == true)
        #expect(error("  cleanup: { keep: 2 }\n  retention: { count: 3 }")
                == "r.yaml:18: protection.retention.count: retention.count replaces cleanup.keep: write only one of them")
        #expect(error("  cleanup: { keep: 2 }\n  retention: { age: 1h }")?.hasPrefix("r.yaml:18: protection.retention: retention replaces cleanup.keep") == true)
    }
}
