import Testing
import DRLSimCore
import DRLOrchestration
import DRLScenarioTestSupport
import DRLTestSupport

/// The assembled paper testbed (500 mbit, protection every 5 min) on the real models, built
/// from a scenario as users build it (formerly DRLOrchestration's `DRWorld`). The tests write
/// 2 MB/s instead of the transcoder (which saturates the WAN for the whole run and needs
/// minutes of a debug build), and the disaster comes at 700 s.
@Suite struct PaperTestbedTests {
    static func yaml(replication: Bool, volume: String = "5GB", duration: String, failbackAt: String? = nil) -> String {
        """
        schema: 1
        name: paper-testbed
        seed: 5
        duration: \(duration)
        sites:
          primary: { name: umea, hosts: 6 }
          backup: { name: lulea, hosts: 3 }
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
            - name: transcoder
              image: 190MB
              volume: { name: transcoder-volume, size: \(volume) }
              writes: { type: constant, rate: 16mbit, write_size: 256KiB }
        protection:
          policy: \(replication ? "replication" : "snapshot")
          interval: 5min
        detector: {}
        disaster:
          at: 700s
        \(failbackAt.map { "  failback_at: \($0)" } ?? "")
        """
    }

    static func run(_ yaml: String) throws -> ScenarioRun {
        let r = try ScenarioRun(yaml: yaml)
        r.execute()
        return r
    }

    @Test func paperTestbedReplicationRecovery() throws {
        let w = try Self.run(Self.yaml(replication: true, duration: "800s"))
        let layer = try #require(w.component(DisasterRecoveryLayer.self))
        let o = try #require(layer.recovery.outcomes.first)
        #expect(o.failure == nil, "\(String(describing: o.failure))")
        #expect(Approx.equal(try #require(o.rto).seconds, 30, relative: 0.10))
        let rows = w.rows("protection")
        #expect(rows.count == 4)   // two executions x (image copy, volume replication)
        // DRBD kept the replica close: the volume's RPO at the disaster is under a second.
        let vol = try #require(w.rows("rpo").first { $0["resource"] == .text("transcoder-volume") })
        if case .double(let rpo)? = vol["rpo_s"] { #expect(rpo < 1, "rpo \(rpo)") } else { Issue.record("rpo") }
        let tenant = try #require(layer.engine.workloads.first)
        #expect(layer.engine.generator.template(for: tenant).yaml.contains("OS::Nova::Server"))
    }

    @Test func failbackOnThePaperTestbed() throws {
        let w = try Self.run(Self.yaml(replication: true, volume: "1GB", duration: "1300s", failbackAt: "1000s"))
        let layer = try #require(w.component(DisasterRecoveryLayer.self))
        let fb = try #require(layer.recovery.outcomes.last)
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
