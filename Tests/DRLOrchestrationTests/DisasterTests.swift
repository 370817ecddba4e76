import Testing
import DRLSimCore
import DRLCloud
import DRLTestSupport
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

@Suite struct DisasterTests {
    /// A disaster during a snapshot upload: the container being written never becomes ready,
    /// so recovery uses the previous ready one and `rpo` shows that older point.
    @Test func disasterMidUploadUsesThePreviousReadyContainer() throws {
        // 10 GB at 500 mbit: VM snapshot ~4 s, clone 25 s, upload 160 s; executions at 300, 600, 900 s.
        let w = try World(volumeBytes: 10_000_000_000, type: .iscsi, vmAction: "vm-snapshot",
                          disaster: DisasterSpec(at: .seconds(1000.0)), writes: .constant(2e6))
        w.run(until: .seconds(2000.0))
        let ex = w.layer.engine.executions
        #expect(ex.count == 3)
        #expect(ex[2].status == .error)
        #expect(ex[2].actions[1].status == "aborted")
        let o = try #require(w.layer.recovery.outcomes.first)
        #expect(o.container == ex[1].container)
        #expect(o.failure == nil)
        let rpo = w.rows(OrchestrationTables.rpo)
        let vol = try #require(rpo.first { $0["action"]?.text == "volume-snapshot" })
        let point = try #require(ex[1].record(of: "vol-primary-1")?.pointInTime)
        #expect(vol["recovery_point_s"]?.double == point.seconds)
        #expect(Approx.equal(vol["rpo_s"]!.double!, 1000 - point.seconds, relative: 1e-9))
        #expect(vol["rpo_s"]!.double! > 1000 - 900)
        #expect(Approx.equal(Double(vol["lost_bytes"]!.int!), 2e6 * (1000 - point.seconds), relative: 1e-6))
        // The aborted action is in protection.csv.
        #expect(w.rows(OrchestrationTables.protection).contains { $0["status"]?.text == "aborted" && $0["execution"]?.int == 2 })
    }

    @Test func drbdRecoveryPointIsTheReplicaNotTheContainer() throws {
        let w = try World(volumeBytes: 5_000_000_000, type: .drbd, disaster: DisasterSpec(at: .seconds(1000.0)), writes: .constant(2e6))
        w.run(until: .seconds(1100.0))
        let vol = try #require(w.rows(OrchestrationTables.rpo).first { $0["action"]?.text == "volume-replication" })
        #expect(Approx.equal(vol["rpo_s"]!.double!, 0.05, relative: 1e-6))
        #expect(vol["lost_bytes"]?.int == 100_000)
    }

    @Test func uniformDisasterIsDrawnFromItsOwnStream() {
        func instant(_ seed: UInt64) -> SimInstant {
            let ctx = RunContext(seed: seed, replication: 0)
            var spec = DisasterSpec()
            spec.timing = .uniform(from: .seconds(600.0), to: .seconds(1800.0))
            return DisasterInjector(context: ctx, spec: spec).instant
        }
        let xs = (1...50).map { instant(UInt64($0)) }
        #expect(xs.allSatisfy { $0 >= .seconds(600.0) && $0 < .seconds(1800.0) })
        #expect(instant(7) == instant(7))
        #expect(Set(xs).count == 50)
        let mean = xs.reduce(0.0) { $0 + $1.seconds } / 50
        #expect(mean > 1000 && mean < 1400)
    }

    @Test func partialDisasterWithoutWANCutIsNotDetectedByTheStandIn() throws {
        let spec = DisasterSpec(at: .seconds(1000.0), stopsBGP: true, blocksWAN: false, hostsOff: .some(2))
        let w = try World(volumeBytes: 1_000_000_000, type: .drbd, disaster: spec)
        w.run(until: .seconds(1400.0))
        #expect(w.layer.recovery.outcomes.isEmpty)
        // Protection goes on (the WAN and the controller are up).
        #expect(w.layer.engine.executions.count == 4)
        #expect(!w.layer.engine.isStopped)
    }

    @Test func wanOnlyDisasterRecoversWithoutRedirect() throws {
        let spec = DisasterSpec(at: .seconds(1000.0), stopsBGP: false, blocksWAN: true, hostsOff: .none)
        let w = try World(volumeBytes: 1_000_000_000, type: .drbd, disaster: spec)
        w.run(until: .seconds(1400.0))
        let o = try #require(w.layer.recovery.outcomes.first)
        #expect(o.redirected == nil && o.failure == nil)
        #expect(w.rows(OrchestrationTables.recovery).first?["redirected_s"]?.double?.isNaN == true)
    }

    @Test func failbackMovesTheWorkloadHome() throws {
        let w = try World(volumeBytes: 5_000_000_000, type: .drbd, disaster: DisasterSpec(at: .seconds(1000.0)),
                          failbackAt: .seconds(4600.0), writes: .constant(1e6))
        w.run(until: .seconds(6000.0))
        let rows = w.rows(OrchestrationTables.recovery)
        #expect(rows.map { $0["kind"]?.text } == ["failover", "failback"])
        let fb = try #require(w.layer.recovery.outcomes.last)
        #expect(fb.kind == .failback && fb.failure == nil)
        // Reverse sync: ~3600 s x 1 MB/s written at the backup + 50 KB lost, over 500 mbit: ~57.6 s.
        let sync = try #require(fb.duration(of: "reverse-sync")).seconds
        #expect(Approx.equal(sync, (3600 * 1e6 + 0.05e6) * 8 / 500e6, relative: 0.01))
        let downtime = try #require(rows.last?["downtime_s"]?.double)
        #expect(downtime > 0 && downtime < fb.rto!.seconds)
        #expect(try #require(fb.redirected) <= fb.responsive!)
    }
}

@Suite struct RPORowTests {
    @Test func nothingRecoverableYetReportsMinusOneAndTheWholeRun() throws {
        let w = try World(volumeBytes: 1_000_000_000, type: .iscsi, disaster: DisasterSpec(at: .seconds(200.0)), writes: .constant(1e6))
        w.run(until: .seconds(400.0))
        let rows = w.rows(OrchestrationTables.rpo)
        #expect(rows.count == 2)
        for r in rows {
            #expect(r["recovery_point_s"]?.double == -1 && r["rpo_s"]?.double == 200)
        }
        #expect(rows.first { $0["resource"]?.text == "vol-primary-1" }?["lost_bytes"]?.int == 200_000_000)
        #expect(w.layer.recovery.outcomes.first?.failure == .noRecoveryPoint(policy: "demo_default"))
    }
}

@Suite struct DeterminismTests {
    static func rows(seed: UInt64) throws -> [[RecordValue]] {
        var spec = DisasterSpec()
        spec.timing = .uniform(from: .seconds(600.0), to: .seconds(1800.0))
        let w = try World(seed: seed, volumeBytes: 1_000_000_000, type: .iscsi, vmAction: "vm-snapshot", disaster: spec,
                          writes: .constant(1e6))
        w.run(until: .seconds(2400.0))
        return ["protection", "recovery", "recovery_steps", "rpo"].flatMap { w.context.recorder.rows[$0] ?? [] }
    }

    @Test func sameSeedSameRowsOtherSeedOtherRows() throws {
        // Compared as text: NaN cells (downtime_s of failovers) are never == themselves.
        let a = "\(try Self.rows(seed: 11))", b = "\(try Self.rows(seed: 11))", c = "\(try Self.rows(seed: 12))"
        #expect(a == b)
        #expect(a != c)
    }
}

import DRLNetwork

@Suite struct WANTargetTests {
    @Test func disasterBlocksBothDirectionsAndFailbackUnblocks() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        let net = try Network(config: .twoSites(rate: .mbit(500), delay: .microseconds(1300)), context: ctx)
        let t = WANDisasterTarget(network: net, primary: 0, backup: 1)
        let inj = DisasterInjector(context: ctx, spec: DisasterSpec(at: .seconds(10.0)))
        inj.targets = [t]
        ctx.sim.run(until: .seconds(9.0))
        #expect(!net.link(from: 0, to: 1).isBlocked)
        ctx.sim.run(until: .seconds(11.0))
        #expect(net.link(from: 0, to: 1).isBlocked && net.link(from: 1, to: 0).isBlocked)
        t.restore(at: ctx.sim.now)
        #expect(!net.link(from: 0, to: 1).isBlocked && !net.link(from: 1, to: 0).isBlocked)
        // A partial disaster that leaves the WAN up does not block it.
        let u = WANDisasterTarget(network: net, primary: 0, backup: 1)
        u.apply(DisasterEvent(at: ctx.sim.now, spec: DisasterSpec(at: .zero, blocksWAN: false)))
        #expect(!net.link(from: 0, to: 1).isBlocked)
    }
}
