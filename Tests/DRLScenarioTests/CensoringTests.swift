import Testing
import DRLScenarioTestSupport
import DRLSimCore
@testable import DRLScenario

/// Docs/statistics.md on small scenarios with known answers: an action due at or after the
/// run's end has no row; one cut off by the end is `censored` with its elapsed time; a recovery
/// still running at the end is a `censored` recovery row with `rto_s` = end - disaster; a
/// disaster or failback outside the run is a validation error at its key.
struct CensoringTests {
    /// Snapshot policy every 5 min at 50 mbit, a 1 GiB volume: execution 0 is due at 300 s,
    /// execution 1 at 600 s. The VM snapshot (190 MB) takes ~32 s; the volume snapshot cannot
    /// finish in the 28 s left before 11 min.
    static func yaml(duration: String, extra: String = "") -> String {
        """
        schema: 1
        name: cens
        seed: 3
        duration: \(duration)
        wan: { rate: 50mbit, delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
        workload:
          vms:
            - name: vm
              image: 190MB
              volume: { size: 1GiB }
              writes: { type: constant, rate: 1mbit, write_size: 64kb }
        protection: { policy: snapshot, interval: 5min }
        detector: { transport: fixed }
        \(extra)
        """
    }

    typealias Row = ScenarioRun.Row

    /// The tables of one run of `yaml` (`ScenarioRun`).
    func rows(_ yaml: String) throws -> (String) -> [Row] {
        let run = try ScenarioRun(yaml: yaml, file: "c.yaml")
        run.execute()
        return run.rows
    }

    func error(_ yaml: String) -> String? {
        do { _ = try Scenario.parse(yaml: yaml, file: "c.yaml"); return nil } catch let e as ScenarioError { return e.description } catch {
            Issue.record("unexpected error \(error)"); return nil
        }
    }

    /// Duration 10 min: the execution due at 600 s is due at the run's end, so only execution
    /// 0's two actions are rows (before: two more 0-second `aborted` rows at 600 s).
    @Test func anActionDueAtTheRunsEndIsNotARow() throws {
        let t = try rows(Self.yaml(duration: "10min"))
        let p = t("protection")
        #expect(p.count == 2, "\(p)")
        #expect(p.allSatisfy { $0["start_s"]!.asDouble < 600 && $0["status"] == .text("completed") })
        #expect(p.allSatisfy { $0["execution"] == .int(0) })
    }

    /// Duration 11 min: execution 1's VM snapshot completes (~632 s); its volume snapshot is cut
    /// at 660 s: status `censored`, end_s = 660, duration_s = 660 - start_s (a lower bound).
    @Test func anActionCutByTheRunsEndIsCensoredWithItsElapsedTime() throws {
        let p = try rows(Self.yaml(duration: "11min"))("protection")
        #expect(p.count == 4)
        let cut = try #require(p.last)
        #expect(cut["action"] == .text("volume-snapshot"))
        #expect(cut["status"] == .text("censored"))
        #expect(cut["end_s"]!.asDouble == 660)
        #expect(abs(cut["duration_s"]!.asDouble - (660 - cut["start_s"]!.asDouble)) < 1e-9)
        #expect(cut["start_s"]!.asDouble > 600 && cut["start_s"]!.asDouble < 660)
        #expect(p.filter { $0["status"] == .text("censored") }.count == 1)
    }

    /// A disaster at 640 s of an 11-min run: the recovery (a snapshot restore of a 1 GiB
    /// volume) is still running at 660 s: one `censored` failover row with rto_s = 20 s exactly.
    @Test func aRecoveryCutByTheRunsEndIsACensoredRow() throws {
        let r = try rows(Self.yaml(duration: "11min", extra: "disaster: { at: 640s }"))("recovery")
        #expect(r.count == 1)
        let row = try #require(r.first)
        #expect(row["status"] == .text("censored"))
        #expect(row["kind"] == .text("failover"))
        #expect(row["rto_s"]!.asDouble == 20)
        #expect(row["responsive_s"]!.asDouble.isNaN)
        if case .text(let reason) = row["reason"]! { #expect(reason.hasPrefix("run ended during ")) } else { Issue.record("reason") }
    }

    /// A disaster 0.1 s before the end: the detector (5 x 100 ms pings) cannot have decided, so
    /// no recovery started; the disaster still gives one censored row, rto_s = 0.1 s.
    @Test func aDisasterNotYetDetectedStillGivesItsRow() throws {
        let r = try rows(Self.yaml(duration: "11min", extra: "disaster: { at: 659900ms }"))("recovery")
        #expect(r.count == 1)
        #expect(r.first?["status"] == .text("censored"))
        #expect(abs(r.first!["rto_s"]!.asDouble - 0.1) < 1e-9)
        #expect(r.first!["detected_s"]!.asDouble.isNaN)
    }

    @Test func instantsOutsideTheRunAreValidationErrors() {
        #expect(error(Self.yaml(duration: "10min", extra: "disaster: { at: 10min }"))?
                    .hasPrefix("c.yaml:14: disaster.at: the disaster is at or after the end of the run") == true,
                "\(error(Self.yaml(duration: "10min", extra: "disaster: { at: 10min }")) ?? "accepted")")
        let window = error(Self.yaml(duration: "10min", extra: "disaster: { at: uniform, from: 5min, to: 12min }"))
        #expect(window?.hasPrefix("c.yaml:14: disaster.to: the uniform window [5min, 12min) reaches past the end of the run") == true,
                "\(window ?? "accepted")")
        // A window ending exactly at the run's end is inside the run (half-open).
        #expect(error(Self.yaml(duration: "10min", extra: "disaster: { at: uniform, from: 5min, to: 10min }")) == nil)
        let fb = error(Self.yaml(duration: "10min", extra: "disaster: { at: 5min, failback_at: 10min }"))
        #expect(fb?.contains("disaster.failback_at: failback_at (10min) is at or after the end of the run") == true, "\(fb ?? "accepted")")
    }
}
