import Testing
import DRLSimCore
import DRLCloud
import DRLTestSupport
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

/// Overlap policies at 50 mbit with 10 GB volume snapshots every 5 min (paper §7.2, Fig. 10c):
/// one snapshot needs 10e9 x 8 / 50e6 = 1600 s, so every later action is due while one runs.
@Suite struct ProtectionOverlapTests {
    static func run(_ policy: OverlapPolicy) throws -> World {
        let w = try World(mbit: 50, volumeBytes: 10_000_000_000, type: .iscsi, vmAction: "vm-snapshot", overlap: policy)
        w.run(until: .seconds(1800.0))
        return w
    }

    func volumeRows(_ w: World) -> [[String: RecordValue]] {
        w.rows(OrchestrationTables.protection).filter { $0["action"]?.text == "volume-snapshot" }
    }

    @Test func overlapRunsActionsConcurrently() throws {
        let w = try Self.run(.overlap)
        let ex = w.layer.engine.executions
        #expect(ex.map { $0.start.seconds } == [300, 600, 900, 1200, 1500, 1800])
        #expect(ex.allSatisfy { $0.overlapped })
        // Five uploads share the link at 1500 s; none finished by 1800 s.
        #expect(ex.filter { $0.status == .ready }.isEmpty)
        let statuses = Set(w.rows(OrchestrationTables.protection).compactMap { $0["status"]?.text })
        #expect(statuses == ["completed", "overlapped"])
        // All six run at once; each later VM snapshot shares the link with the running volume
        // uploads, so it takes longer than the 190 MB x 8 / 50 mbit + 0.95 s = 31.4 s it needs alone.
        #expect(w.layer.engine.runningCount("demo_default") == 6)
        // (the sixth is still creating its VM snapshot at 1800 s)
        #expect(w.paths.link.activeFlows == 5)
        let vmRows = w.rows(OrchestrationTables.protection).filter { $0["action"]?.text == "vm-snapshot" }
        let first = try #require(vmRows.first)
        #expect(first["status"]?.text == "completed")
        #expect(Approx.equal(first["duration_s"]!.double!, 190e6 * 8 / 50e6 + 0.95, relative: 1e-6))
        for r in vmRows.dropFirst() {
            #expect(r["status"]?.text == "overlapped")
            #expect(r["duration_s"]!.double! > 1.5 * 31.4)
        }
        // The backlog grows without bound: a volume upload is still running at 5 h.
        w.run(until: .seconds(18000.0))
        let firstVolume = volumeRows(w).filter { $0["execution"]!.int! == 0 }
        #expect(firstVolume.isEmpty)
    }

    @Test func skipSkipsWhileOneRuns() throws {
        let w = try Self.run(.skip)
        let ex = w.layer.engine.executions
        #expect(ex.count == 1 && !ex[0].overlapped)
        let skipped = w.rows(OrchestrationTables.protection).filter { $0["status"]?.text == "skipped" }
        // Due at 600, 900, 1200, 1500, 1800: one row per member (VM and volume).
        #expect(skipped.count == 10)
        #expect(skipped.allSatisfy { $0["execution"]?.int == -1 && $0["duration_s"]?.double == 0 })
        #expect(Set(skipped.compactMap { $0["start_s"]?.double }) == [600, 900, 1200, 1500, 1800])
        // The one running volume snapshot has the link alone: clone 25 s, then 1600 s upload.
        w.run(until: .seconds(3000.0))
        let vol = volumeRows(w).first { $0["status"]?.text == "completed" }
        #expect(Approx.equal(try #require(vol?["duration_s"]?.double), 25 + 1600, relative: 1e-6))
    }

    @Test func queueDelaysTheNextUntilThePreviousEnds() throws {
        let w = try Self.run(.queue)
        w.run(until: .seconds(4000.0))
        let ex = w.layer.engine.executions
        // 300 s -> ~1960 s; the one due at 600 s waits and runs ~1960 -> ~3620 s; then the next queued one.
        #expect(ex.count == 3)
        #expect(ex[1].due == .seconds(600.0))
        #expect(ex[1].start == ex[0].end!)
        #expect(ex[2].start == ex[1].end!)
        let queued = w.rows(OrchestrationTables.protection).filter { $0["status"]?.text == "queued" }
        #expect(queued.count == 4)
        #expect(queued[0]["start_s"]?.double == 600 && queued[0]["end_s"]?.double == ex[0].end!.seconds)
        #expect(queued[0]["execution"]?.int == 1)
        let skipped = w.rows(OrchestrationTables.protection).filter { $0["status"]?.text == "skipped" }
        #expect(!skipped.isEmpty)
        #expect(!ex.contains { $0.overlapped })
    }
}
