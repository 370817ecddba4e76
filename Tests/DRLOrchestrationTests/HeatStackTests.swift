import Testing
import DRLSimCore
import DRLCloud
import DRLTestSupport
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

/// Issue 19: Heat creates every resource whose dependencies are complete at once
/// (`DependencyTaskGroup`), sees completions at its 1 s `TaskRunner` steps, and the volume
/// restore of a snapshot-protected volume runs inside the stack; `stack_timeout` covers it all.
@Suite struct HeatStackTests {
    static func template(_ type: VolumeType, bytes: Int64 = 5_000_000_000) -> HeatTemplate {
        FlameGenerator().template(for: .paperTranscoder(volumeBytes: bytes, volumeType: type))
    }

    @Test func stackTimeIsTheCriticalPathNotTheSum() {
        let t = RecoveryTimings()
        let tpl = Self.template(.drbd)
        let sched = t.stackSchedule(tpl)
        // sum of the costs (the old model): 1 + 0.2 + 0.2 + 0.3 + 0.3 + 0.5 + 4.5 + 1 + 2 = 10 s
        let sum = tpl.resources.reduce(t.stack.base) { $0 + t.stack.cost($1.type) }
        #expect(sum == .seconds(10.0))
        // critical path, each resource rounded up to Heat's 1 s step: network 1 -> subnet 1 ->
        // port 1 -> server 5 -> attachment 2, after the 1 s base: 11 s
        #expect(sched.criticalPath == ["network_0", "subnet_0", "port_0", "server_0", "volume_attachment_0"])
        #expect(sched.total == .seconds(11 as Int64))
        #expect(t.stackCreate(tpl) == .seconds(11 as Int64))
        // without the step quantisation: 1 + 0.3 + 0.3 + 0.5 + 4.5 + 2 = 8.6 s
        var u = t
        u.heatPoll = .zero
        #expect(u.stackCreate(tpl) == .seconds(8.6))
        // the floating-IP association waits for its port only
        let fip = sched.entries.first { $0.name == "floatingip_association_0" }!
        #expect(fip.start == .seconds(3 as Int64) && fip.end == .seconds(4 as Int64))
    }

    @Test func twoVMsCostNoMoreThanOneWhenIndependent() {
        // ten independent servers are created at once: the stack does not grow with their number
        let one = HeatTemplate(description: "", parameters: [], resources: [HeatResource(name: "s0", type: .server, properties: [])])
        let ten = HeatTemplate(description: "", parameters: [],
                               resources: (0..<10).map { HeatResource(name: "s\($0)", type: .server, properties: []) })
        let t = RecoveryTimings()
        #expect(t.stackCreate(one) == t.stackCreate(ten))
        #expect(t.stackCreate(ten) == .seconds(6 as Int64)) // 1 + ceil(4.5)
    }

    @Test func restoredVolumeBecomesAStackResourceThatTheAttachmentWaitsFor() throws {
        let tpl = Self.template(.iscsi).restoringVolume(primaryID: "vol-primary-1", backupID: "bk-1", sizeBytes: 5_000_000_000)
        #expect(tpl.parameter("volume_0_id") == nil)
        let vol = try #require(tpl.resource("volume_0"))
        #expect(vol.type == .volume && vol.property("backup_id") == .string("bk-1") && vol.property("size") == .int(5))
        #expect(tpl.dependencies(of: tpl.resource("volume_attachment_0")!).contains("volume_0"))
        #expect(tpl.unresolvedReference() == nil)
        // restore 3 + 5e9 / 25e6 = 203 s in parallel with network -> ... -> server (8 s), then the
        // attachment (2 s): 1 + 203 + 2 = 206 s, not 203 + 11
        let t = RecoveryTimings()
        #expect(t.stackCreate(tpl, restores: ["volume_0": t.volumeRestore(bytes: 5_000_000_000)]) == .seconds(206 as Int64))
    }

    static func snapshotOutcome(_ rc: RecoveryPipeline.Config) throws -> (RecoveryOutcome, World) {
        let w = try World(volumeBytes: 5_000_000_000, type: .iscsi, vmAction: "vm-snapshot",
                          disaster: DisasterSpec(at: .seconds(1500.0)), recovery: rc)
        w.run(until: .seconds(2400.0))
        return (try #require(w.layer.recovery.outcomes.first), w)
    }

    @Test func restoreRunsInsideTheStack() throws {
        let (o, _) = try Self.snapshotOutcome(.init())
        #expect(o.failure == nil)
        #expect(o.duration(of: "backup-import:vol-primary-1") == .seconds(1 as Int64))
        #expect(!o.steps.contains { $0.name.hasPrefix("volume-restore") })
        #expect(o.duration(of: "stack-create") == .seconds(206 as Int64))
        // recovery_steps shows the stack's resources overlapping: the restore from the stack's
        // 1 s base to 204 s, the server from 4 s to 9 s, the attachment after both (204-206 s)
        let stackStart = try #require(o.steps.first { $0.name == "stack-create" }).start
        func span(_ n: String) throws -> (Double, Double) {
            let st = try #require(o.stackResources.first { $0.name == "stack:\(n)" })
            return ((st.start - stackStart).seconds, (st.end - stackStart).seconds)
        }
        #expect(try span("volume_0") == (1, 204))
        #expect(try span("server_0") == (4, 9))
        #expect(try span("volume_attachment_0") == (204, 206))
        // the earlier model: a separate restore (203 s), then the stack (11 s)
        var rc = RecoveryPipeline.Config()
        rc.timings.restoreInStack = false
        let (old, _) = try Self.snapshotOutcome(rc)
        #expect(old.duration(of: "volume-restore:vol-primary-1") == .seconds(203 as Int64))
        #expect(old.duration(of: "stack-create") == .seconds(11 as Int64))
        // in the stack: 206 + 1 (import) instead of 203 + 11
        #expect(try #require(old.rto) - #require(o.rto) == .seconds(7 as Int64))
    }

    @Test func aStackTimeoutOverTheRestoreFailsTheRecoveryWithItsReason() throws {
        var rc = RecoveryPipeline.Config()
        rc.timings.stackTimeout = .seconds(120 as Int64) // Dragon's DRBD version
        let (o, w) = try Self.snapshotOutcome(rc)
        #expect(o.failure == .stackTimeout(needed: .seconds(206 as Int64), timeout: .seconds(120 as Int64)))
        #expect(o.duration(of: "stack-create") == .seconds(120 as Int64))
        #expect(o.rto == nil)
        // the restore was cut at the timeout; the attachment never started
        let vol = try #require(o.stackResources.first { $0.name == "stack:volume_0" })
        #expect(vol.duration == .seconds(119 as Int64))
        #expect(!o.stackResources.contains { $0.name == "stack:volume_attachment_0" })
        let row = try #require(w.rows(OrchestrationTables.recovery).first)
        #expect(row["status"]?.text == "failed")
        #expect(row["reason"]?.text == "stack create needs 206.0 s, over its 120.0 s timeout")
        // the default, 15 min as in Dragon's first release, lets it finish
        #expect(RecoveryTimings().stackTimeout == .seconds(900 as Int64))
    }
}
