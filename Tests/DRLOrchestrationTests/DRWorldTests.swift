import Testing
import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLTestSupport
@testable import DRLOrchestration

/// The assembled paper testbed (500 mbit, protection every 5 min) on the real models. The
/// tests write 2 MB/s instead of the transcoder (which saturates the WAN for the whole run and
/// needs minutes of a debug build), and the disaster comes at 700 s.
@Suite struct DRWorldTests {
    static func world(replication: Bool, volumeBytes: Int64 = 5_000_000_000, failbackAt: SimInstant? = nil) throws -> (RunContext, DRWorld) {
        let ctx = RunContext(seed: 5, replication: 0)
        var c = DRWorldConfig()
        c.vms[0].volumeBytes = volumeBytes
        c.vms[0].volumeType = replication ? .drbd : .iscsi
        c.vms[0].writes = .constantRate(bytesPerSecond: 2e6, writeSize: 256 * 1024)
        c.layer.orchestrator.vmAction = replication ? "image-copy" : "vm-snapshot"
        c.layer.disaster = DisasterSpec(at: .seconds(700.0))
        c.layer.failbackAt = failbackAt
        return (ctx, try DRWorld(context: ctx, config: c))
    }

    @Test func paperTestbedReplicationRecovery() throws {
        let (ctx, w) = try Self.world(replication: true)
        ctx.sim.run(until: .seconds(800.0))
        let o = try #require(w.layer.recovery.outcomes.first)
        #expect(o.failure == nil, "\(String(describing: o.failure))")
        #expect(Approx.equal(try #require(o.rto).seconds, 30, relative: 0.10))
        let rows = ctx.recorder.rows["protection"] ?? []
        #expect(rows.count == 4)   // two executions x (image copy, volume replication)
        // DRBD kept the replica close: the volume's RPO at the disaster is under a second.
        let cols = ctx.recorder.columns["rpo"]!
        let vol = try #require((ctx.recorder.rows["rpo"] ?? []).first { $0[cols.firstIndex(of: "resource")!] == .text("transcoder-volume") })
        if case .double(let rpo) = vol[cols.firstIndex(of: "rpo_s")!] { #expect(rpo < 1, "rpo \(rpo)") } else { Issue.record("rpo") }
        #expect(w.templateYAML.contains("OS::Nova::Server"))
    }

    @Test func failbackOnThePaperTestbed() throws {
        let (ctx, w) = try Self.world(replication: true, volumeBytes: 1_000_000_000, failbackAt: .seconds(1000.0))
        ctx.sim.run(until: .seconds(1300.0))
        let fb = try #require(w.layer.recovery.outcomes.last)
        #expect(fb.kind == .failback)
        #expect(fb.failure == nil, "\(String(describing: fb.failure))")
        #expect(try #require(fb.responsive) > .seconds(1000.0))
        // DRLCloud does not run the workload at the backup after the failover, so the reverse
        // sync carries only the diverged (lost) bytes: well under a second at 500 mbit.
        let sync = try #require(fb.duration(of: "reverse-sync")).seconds
        #expect(sync < 1, "reverse sync \(sync)")
        #expect(try #require(fb.switchStart) >= .seconds(1000.0))
    }
}
