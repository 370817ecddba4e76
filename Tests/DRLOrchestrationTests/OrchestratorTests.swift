import Testing
import DRLSimCore
import DRLCloud
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

@Suite struct OrchestratorTests {
    func engine(_ w: TenantWorkload) -> (RunContext, DREngine, FluidDataPaths) {
        let ctx = RunContext(seed: 1, replication: 0)
        let p = FluidDataPaths(context: ctx, capacity: 500e6)
        let e = DREngine(context: ctx, dataPaths: p)
        e.setWorkload(w)
        return (ctx, e, p)
    }

    @Test func defaultActionsAndStateChecks() throws {
        var w = TenantWorkload.paperTranscoder(volumeBytes: 1_000_000_000, volumeType: .drbd)
        w.volumes.append(VolumeDescription(id: "vol-2", name: "scratch", sizeBytes: 1_000_000, type: .iscsi))
        w.volumes.append(VolumeDescription(id: "vol-3", name: "broken", sizeBytes: 1_000_000, type: .iscsi, state: .error))
        w.vms.append(VMDescription(id: "vm-off", name: "off", image: "img-2", imageBytes: 1, state: .shutoff))
        let (ctx, e, _) = engine(w)
        let o = try DROrchestrator(context: ctx, engine: e, config: OrchestratorConfig())
        #expect(o.state(of: "vm-primary-1") == .notEnabled)
        try o.protect(vm: "vm-primary-1", tenant: "demo")
        try o.protect(volume: "vol-primary-1", tenant: "demo")
        try o.protect(volume: "vol-2", tenant: "demo")
        #expect(throws: ProtectError.invalidState("vol-3", state: "error")) { try o.protect(volume: "vol-3", tenant: "demo") }
        #expect(throws: ProtectError.invalidState("vm-off", state: "shutoff")) { try o.protect(vm: "vm-off", tenant: "demo") }
        #expect(throws: ProtectError.unknownResource("nope")) { try o.protect(vm: "nope", tenant: "demo") }
        #expect(throws: ProtectError.invalidAction("volume-snapshot")) { try o.protect(vm: "vm-primary-1", tenant: "demo", action: "volume-snapshot") }
        let p = try #require(e.policy("demo_default"))
        #expect(p.members.map(\.action) == ["image-copy", "volume-replication", "volume-snapshot"])
        #expect(o.state(of: "vm-primary-1") == .protectionScheduled)
        o.start()
        ctx.sim.run(until: .seconds(400.0))
        #expect(o.state(of: "vm-primary-1") == .protected)
        #expect(o.state(of: "vol-2") == .protected)
        #expect(o.state(of: "vol-3") == .notEnabled)
    }

    @Test func countdownProtectsEveryIntervalAndCleanupKeepsTheNewest() throws {
        let w = TenantWorkload.paperTranscoder(volumeBytes: 1_000_000_000, volumeType: .iscsi)
        let (ctx, e, p) = engine(w)
        let o = try DROrchestrator(context: ctx, engine: e, config: OrchestratorConfig())
        try o.protectAll(tenant: "demo")
        o.start()
        ctx.sim.run(until: .seconds(3599.0))
        #expect(e.executions.map { $0.start.seconds } == [300, 600, 900, 1200, 1500, 1800, 2100, 2400, 2700, 3000, 3300])
        #expect(p.deletedContainers.isEmpty)
        ctx.sim.run(until: .seconds(3700.0))
        // At 3600 s: the 3600 s execution was starting (processing); the 11 ready ones but the newest are deleted.
        #expect(p.deletedContainers.count == 10)
        #expect(e.executions.filter { $0.status == .ready }.count == 2)
        #expect(e.newestReady("demo_default")?.start == .seconds(3600.0))
        #expect(e.executions.first?.container == "demo_demo_default_300_0")
    }

    @Test func consistentModePausesAroundTheActions() throws {
        let w = TenantWorkload.paperTranscoder(volumeBytes: 1_000_000_000, volumeType: .iscsi)
        let (ctx, e, p) = engine(w)
        let o = try DROrchestrator(context: ctx, engine: e, config: OrchestratorConfig())
        o.add(policy: WorkloadPolicy(name: "c", tenant: "demo", members: [
            .init(resource: "vm-primary-1", kind: .vm, action: "vm-snapshot"),
            .init(resource: "vol-primary-1", kind: .volume, action: "volume-snapshot")], consistent: true))
        o.start()
        ctx.sim.run(until: .seconds(599.0))
        let ex = try #require(e.executions.first)
        #expect(p.pauseLog.count == 2)
        #expect(p.pauseLog[0].paused && p.pauseLog[0].at == .seconds(300.0))
        #expect(!p.pauseLog[1].paused && p.pauseLog[1].at == ex.actions[1].end!)
        #expect(ex.actions[0].start == .seconds(300.5))
    }

    @Test func coreOverlapStateMachine() {
        var c = OrchestratorCore(interval: .minutes(5), overlap: .queue)
        c.enable("p", firstDue: .seconds(300.0))
        #expect(c.tick("p", now: .seconds(270.0), running: 0, trigger: false).isEmpty)
        #expect(c.tick("p", now: .seconds(300.0), running: 0, trigger: false) == [.start(policy: "p", due: .seconds(300.0), queued: false)])
        #expect(c.tick("p", now: .seconds(600.0), running: 1, trigger: false) == [.enqueue(policy: "p", due: .seconds(600.0))])
        #expect(c.tick("p", now: .seconds(900.0), running: 1, trigger: false) == [.skip(policy: "p", due: .seconds(900.0))])
        #expect(c.finished("p", now: .seconds(950.0), running: 0) == [.start(policy: "p", due: .seconds(600.0), queued: true)])
        #expect(c.finished("p", now: .seconds(990.0), running: 0).isEmpty)
        // A driver trigger protects before the countdown and resets it.
        #expect(c.tick("p", now: .seconds(1000.0), running: 0, trigger: true) == [.start(policy: "p", due: .seconds(1000.0), queued: false)])
        #expect(c.nextDue("p") == .seconds(1300.0))
        var s = OrchestratorCore(interval: .minutes(5), overlap: .skip)
        s.enable("p", firstDue: .zero)
        #expect(s.tick("p", now: .zero, running: 2, trigger: false) == [.skip(policy: "p", due: .zero)])
        var o = OrchestratorCore(interval: .minutes(5), overlap: .overlap)
        o.enable("p", firstDue: .zero)
        #expect(o.tick("p", now: .zero, running: 2, trigger: false) == [.start(policy: "p", due: .zero, queued: false)])
    }
}
