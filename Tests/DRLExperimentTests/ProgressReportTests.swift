import Testing
import Foundation
@testable import DRLExperiment
import DRLScenario

/// Issue 17: progress of long work (runs done, events/s, ETA from the simulated-time fraction).
struct ProgressReportTests {
    /// Half of one of four runs done: the work fraction is 1/8, so ETA = 7 x elapsed.
    @Test func etaExtrapolatesTheSimulatedFraction() throws {
        let r = ProgressReport(runs: 4, duration: 100)
        r.runStarted(0)
        r.advanced(0, simulated: 50, events: 1000)
        Thread.sleep(forTimeInterval: 0.05)
        let s = r.snapshot()
        #expect(s.runsDone == 0 && s.runsTotal == 4 && s.events == 1000)
        let eta = try #require(s.etaSeconds)
        #expect(abs(eta / s.elapsedSeconds - 7) < 1e-9)
        #expect(s.current?.run == 0 && s.current?.simulated == 50)
        r.runFinished(0, events: 2000)
        let t = r.snapshot()
        #expect(t.runsDone == 1 && t.events == 2000 && t.current == nil)
        #expect(abs(try #require(t.etaSeconds) / t.elapsedSeconds - 3) < 1e-9)
        let json = try JSONSerialization.jsonObject(with: Data(t.json(scenario: "a\"b\n").utf8)) as? [String: Any]
        #expect(json?["scenario"] as? String == "a\"b\n")
        #expect(json?["runs_done"] as? Int == 1 && json?["runs_total"] as? Int == 4)
    }

    /// Nothing done yet: no ETA.
    @Test func noEtaBeforeAnyProgress() {
        let r = ProgressReport(runs: 2, duration: nil)
        r.runStarted(1)
        #expect(r.snapshot().etaSeconds == nil)
        #expect(r.snapshot().line.hasPrefix("0/2 runs, "))
    }

    /// Slicing a run for progress executes the same events: same tables as without a report.
    @Test func progressDoesNotChangeResults() throws {
        let yaml = """
        schema: 1
        name: prog
        duration: 2min
        wan: { rate: 50mbit, delay: 2.5ms }
        workload:
          vms:
            - { name: vm0, image: 50MB, volume: { size: 1GiB, type: drbd }, writes: { type: poisson, writes_per_second: 20, size: 64KiB } }
        protection: { policy: replication, interval: 1min }

        """
        let s = try Scenario.parse(yaml: yaml, file: "prog.yaml")
        let runner = ExperimentRunner(scenario: s)
        let plain = try runner.execute(run: 0)
        let report = ProgressReport(runs: 1, duration: 120)
        let sliced = try runner.execute(run: 0, report: report)
        #expect(plain.events == sliced.events)
        #expect(plain.tables.map(\.rows) == sliced.tables.map(\.rows))
        #expect(report.snapshot().runsDone == 1 && report.snapshot().events == sliced.events)
    }
}
