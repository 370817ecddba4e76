import Testing
import DRLSimCore
import DRLCloud
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

/// `DisasterRecoveryLayer.endRun()` when the engine emits the rows itself (fluid data paths):
/// an action still running at the run's end is one `censored` row with its elapsed time, a
/// recovery still running is one `censored` recovery row with rto_s = end - disaster, and
/// nothing starts afterwards (Docs/statistics.md).
struct EndOfRunTests {
    /// Snapshot policy every 5 min over a 50 mbit fluid WAN: a 5 GB volume snapshot cannot end
    /// by 400 s (5e9 x 8 / 50e6 = 800 s on the wire alone).
    @Test func runningActionsAreCensoredAtTheEnd() throws {
        let w = try World(mbit: 50, volumeBytes: 5_000_000_000, type: .iscsi, vmAction: "vm-snapshot")
        w.run(until: .seconds(400.0))
        w.layer.endRun()
        let rows = w.rows(OrchestrationTables.protection)
        let cut = rows.filter { $0["status"]?.text == "censored" }
        #expect(cut.count == 1, "\(rows)")
        let r = try #require(cut.first)
        #expect(r["action"]?.text == "volume-snapshot")
        #expect(r["end_s"]?.double == 400)
        #expect(abs(r["duration_s"]!.double! - (400 - r["start_s"]!.double!)) < 1e-9)
        // Nothing runs on: a later tick starts no execution and writes no row.
        w.run(until: .seconds(1000.0))
        #expect(w.rows(OrchestrationTables.protection).count == rows.count)
        #expect(w.layer.engine.hasEnded)
    }

    /// A disaster at 600 s, the run ended at 610 s: the stand-in detector decided (0.5 s), the
    /// recovery is in progress: one censored failover row with rto_s = 10 s.
    @Test func aRunningRecoveryIsACensoredRow() throws {
        let w = try World(volumeBytes: 1_000_000_000, type: .drbd, disaster: DisasterSpec(at: .seconds(600.0)))
        w.run(until: .seconds(610.0))
        #expect(w.rows(OrchestrationTables.recovery).isEmpty)
        #expect(w.layer.recovery.endRun() == 1)
        let r = try #require(w.rows(OrchestrationTables.recovery).first)
        #expect(r["status"]?.text == "censored")
        #expect(r["rto_s"]?.double == 10)
        #expect(r["responsive_s"]?.double?.isNaN == true)
        #expect(r["reason"]?.text?.hasPrefix("run ended during ") == true)
        #expect(w.layer.recovery.endRun() == 0)   // once
    }
}
