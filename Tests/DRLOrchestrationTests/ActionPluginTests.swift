import Testing
import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration   // public API only: what a package outside DRLSim can do
import DRLOrchestrationTestSupport

/// A protection action from outside DRLSim, registered under a new name: the engine protects
/// with it, the data paths' recovery point of its capture is the `rpo` row, and the recovery
/// runs its failover plan.
@Suite struct ActionPluginTests {
    /// Backs up 10 MB of the VM's configuration; failover imports its image and takes 2 s.
    final class ConfigBackupAction: ProtectionAction {
        let name = ProtectionActionName("config-backup")
        let kind = ResourceKind.vm
        func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
            context.dataPaths.start(job(for: context, bytes: 10_000_000, trafficClass: TrafficClassName.metadata),
                                    completion: completion)
        }
        func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
            guard let vm = context.workload.vm(record.resource) else { return .failure(.missingResource(record.resource.raw)) }
            return .success(FailoverPlan(step: "config-restore", duration: .seconds(2 as Int64), image: (vm.image.raw, context.newID("img"))))
        }
    }

    @Test func aRegisteredActionProtectsAndRecovers() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        let paths = FluidDataPaths(context: ctx, capacity: 500e6)
        let w = TenantWorkload.paperTranscoder(volumeBytes: 1_000_000_000, volumeType: .iscsi)
        var registry = ActionRegistry.standard
        registry.register(ConfigBackupAction())
        var c = DisasterRecoveryLayer.Config()
        c.policies = [WorkloadPolicy(name: "config", tenant: w.tenant,
                                     members: [.init(resource: w.vms[0].id, kind: .vm, action: "config-backup")])]
        c.disaster = DisasterSpec(at: .seconds(400.0))
        let layer = try DisasterRecoveryLayer(context: ctx, dataPaths: paths, workloads: [w], config: c, registry: registry)
        ctx.sim.run(until: .seconds(600.0))
        // one execution at 300 s (the 5 min interval): ready, its record captured at 300 s
        let ex = try #require(layer.engine.executions.first)
        #expect(layer.engine.executions.count == 1 && ex.status == .ready)
        #expect(ex.actions.map(\.action) == ["config-backup"] && ex.actions[0].pointInTime == .seconds(300.0))
        #expect(ex.actions[0].bytes == 10_000_000)
        // the rpo row is the data paths' recovery point: 400 - 300 = 100 s
        let cols = try #require(ctx.recorder.columns["rpo"])
        let row = try #require(ctx.recorder.rows["rpo"]?.first)
        let r = Dictionary(uniqueKeysWithValues: zip(cols, row))
        #expect(r["action"] == .text("config-backup") && r["recovery_point_s"] == .double(300) && r["rpo_s"] == .double(100))
        // the recovery ran the action's plan
        let o = try #require(layer.recovery.outcomes.first)
        #expect(o.failure == nil, "\(String(describing: o.failure))")
        #expect(o.duration(of: "config-restore:\(w.vms[0].id.raw)") == .seconds(2 as Int64))
    }
}
