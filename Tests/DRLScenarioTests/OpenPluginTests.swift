import Testing
import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration
import DRLScenario   // public API only: what a package outside DRLSim can do
import DRLScenarioTestSupport

/// Plug-ins a package outside DRLSim registers on `Plugins` alone: a protection action with a
/// data path of its own, and a write workload kind with a generator of its own.
@Suite struct OpenPluginTests {
    /// Backs up 10 MB of the VM's configuration through its own data path.
    final class ConfigBackupAction: ProtectionAction {
        let name = ProtectionActionName("config-backup")
        let kind = ResourceKind.vm
        func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle? {
            context.dataPaths.start(job(for: context, bytes: 10_000_000, trafficClass: TrafficClassName.metadata), completion: completion)
        }
        func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure> {
            .success(FailoverPlan(step: "config-restore", duration: .seconds(2 as Int64)))
        }
        static let plugin = ProtectionActionPlugin(name: "config-backup", kind: .vm, summary: "the VM's configuration") { _ in ConfigBackupAction() }
    }

    /// The action's data path: one 10 MB object, the configuration as of the action's start.
    struct ConfigBackupPath: DataPath {
        let action = ProtectionActionName("config-backup")
        let resourceKind = ResourceKind.vm
        func start(_ run: ProtectionRun, container: SwiftContainer, service: ProtectionService) {
            let captured = run.start
            service.upload(for: run, objects: [("\(run.resource)/config", 10_000_000)], into: container,
                           trafficClass: TrafficClassName.metadata) {
                service.vault.addItem(ContainerItem(resource: run.resource, action: run.action.rawValue, capturedAt: captured,
                                                    bytes: 10_000_000, restoreSize: 10_000_000), to: container)
                service.finish(run, status: .completed)
            }
        }
        static let plugin = DataPathPlugin(action: "config-backup", resourceKind: .vm, summary: "one 10 MB object") { ConfigBackupPath() }
    }

    /// One VM without a volume (nothing else shares the WAN while the configuration uploads),
    /// protected with `config-backup` every 5 min for 12 min.
    static let world = """
        schema: 1
        name: open
        duration: 12min
        sites:
          primary: { name: umea, hosts: 2 }
          backup:  { name: lulea, hosts: 2 }
        wan:
          rate: 100mbit
          delay: 2ms
        workload:
          vms:
            - { name: web, image: 100MB }
        protection:
          vm_action: config-backup
          interval: 5min
        """

    @Test func aDataPathRegisteredOnPluginsRunsTheActionsJobs() throws {
        var plugins = Plugins.standard
        plugins.register(action: ConfigBackupAction.plugin)
        plugins.register(dataPath: ConfigBackupPath.plugin)
        #expect(plugins.dataPath("config-backup") != nil && Plugins.standard.dataPath("config-backup") == nil)
        let run = try ScenarioRun(yaml: Self.world, plugins: plugins)
        run.execute()
        let rows = run.rows("protection").filter { $0["resource"] == .text("web") }
        // executions at 5 and 10 min, each one row named after the action, 10 MB sent
        #expect(rows.count == 2, "\(rows)")
        for r in rows {
            #expect(r["action"] == .text("config-backup") && r["status"] == .text("completed"))
            #expect(r["bytes"] == .int(10_000_000))
            // The packet WAN (Framing.linux): ceil(10e6 / 1448) = 6907 segments of 66 header bytes
            // each, so 10,455,862 wire bytes x 8 / 100 mbit = 0.83647 s, + 2 ms one-way delay: no
            // faster than 0.83847 s; TCP's slow start from 10 segments to the 4 ms x 100 mbit
            // window costs a few round trips (at most 5 x 4 ms here).
            let wire = Double(10_000_000 + 6907 * 66) * 8 / 100e6 + 0.002
            if case .double(let d)? = r["duration_s"] { #expect(d >= wire && d <= wire + 0.020, "\(d)") } else { Issue.record("duration_s \(String(describing: r["duration_s"]))") }
        }
        // Without the data path the action's jobs find no path: no row, no recovery point.
        var actionOnly = Plugins.standard
        actionOnly.register(action: ConfigBackupAction.plugin)
        let bare = try ScenarioRun(yaml: Self.world, plugins: actionOnly)
        bare.execute()
        #expect(bare.rows("protection").filter { $0["resource"] == .text("web") }.isEmpty)
    }

    /// A write workload kind DRLSim does not have: `count` writes of `write_size`, one every
    /// `every`, sequential from offset 0, then nothing.
    struct WriteTrain: WriteWorkload {
        let count: Int, size: Int64, every: SimDuration
        var typeName: String { "train" }
        func makeGenerator(_ env: WorkloadEnvironment, stream: RandomStream) throws(WorkloadError) -> any WriteGenerator {
            guard Int64(count) * size <= env.device.capacity else { throw WorkloadError(message: "train longer than the device") }
            return Generator(left: count, size: size, every: every)
        }
        final class Generator: WriteGenerator {
            var left: Int, offset: Int64 = 0
            let size: Int64, every: SimDuration
            init(left: Int, size: Int64, every: SimDuration) { self.left = left; self.size = size; self.every = every }
            func next() -> PlannedWrite? {
                guard left > 0 else { return nil }
                left -= 1
                defer { offset += size }
                return PlannedWrite(gap: every, write: BlockWrite(offset: offset, length: size))
            }
        }
        static let schema: ParameterSchema = [
            ParameterSpec("count", .count, required: true, minimum: 1, doc: "writes in the train"),
            ParameterSpec("write_size", .size, default: .size(1 << 20), minimum: 512, doc: "size of each write"),
            ParameterSpec("every", .duration, default: .duration(.seconds(1 as Int64)), minimum: 0, excluding: true, doc: "time between writes"),
        ]
        static let plugin = WorkloadKindPlugin(type: "train", summary: "count writes, one every `every`", schema: schema) { m in
            let p = try m.parameters(schema)
            return WriteTrain(count: Int(p.number("count")!), size: p.size("write_size")!, every: p.duration("every")!)
        }
    }

    @Test func aWorkloadKindWithItsOwnGeneratorRunsFromPlugins() throws {
        let yaml = Self.world.replacingOccurrences(of: "- { name: web, image: 100MB }",
                                                   with: "- { name: web, image: 100MB, volume: { size: 64MiB, type: iscsi }, writes: { type: train, count: 7, every: 20s } }")
            .replacingOccurrences(of: "  vm_action: config-backup\n", with: "")
        var plugins = Plugins.standard
        plugins.register(workload: WriteTrain.plugin)
        // Unknown to the standard plug-ins; a key outside its schema is an error with its path.
        #expect(throws: ScenarioError.self) { try Scenario.parse(yaml: yaml, file: "s.yaml") }
        do {
            _ = try Scenario.parse(yaml: yaml.replacingOccurrences(of: "every: 20s", with: "evry: 20s"), file: "s.yaml", plugins: plugins)
            Issue.record("a misspelt key was accepted")
        } catch {
            #expect("\(error)" == "s.yaml:12: workload.vms[0].writes.evry: unknown key (did you mean 'every'?)")
        }
        let run = try ScenarioRun(yaml: yaml, plugins: plugins)
        run.execute()
        // 7 writes of 1 MiB at 20, 40, ..., 140 s (each gap after the previous issue; the local
        // disk completes a 1 MiB write well within 20 s), then the generator is exhausted.
        let plane = try #require(run.component(DataPlane.self))
        let runner = try #require(plane.workloads.first as? WorkloadRunner)
        #expect(runner.issuedWrites == 7 && runner.issuedBytes == 7 << 20 && runner.completedBytes == 7 << 20 && runner.finished)
        let volume = try #require(plane.primary.volume(named: "web-vol"))
        #expect(volume.history.bytesWritten(through: .seconds(139.0)) == 6 << 20)
        #expect(volume.history.bytesWritten(through: .seconds(141.0)) == 7 << 20)
        #expect(plugins.reference.contains("| `every` | duration | `1s` | positive | time between writes |"))
    }
}
