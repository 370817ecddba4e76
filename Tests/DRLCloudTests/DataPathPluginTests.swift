import Testing
import DRLSimCore
import DRLNetwork
import DRLCloud   // public API only: what a package outside DRLSim can do

/// A data path from outside DRLCloud: a `DataPath` registered under a new action name runs
/// through `ProtectionService` as the DR-Engine drives it (`ProtectionDataPaths`), with its own
/// `protection` row, and its capture is the recovery point once the container is sealed.
@Suite struct DataPathPluginTests {
    /// Uploads one 10 MB object (the VM's configuration, say) and records its capture.
    struct ConfigBackup: DataPath {
        let action = ProtectionActionName("config-backup")
        let resourceKind = ResourceKind.vm
        func start(_ run: ProtectionRun, container: SwiftContainer, service: ProtectionService) {
            let captured = run.start   // the configuration as of the action's start
            service.upload(for: run, objects: [("\(run.resource)/config", 10_000_000)], into: container,
                           trafficClass: TrafficClassName.metadata) {
                service.vault.addItem(ContainerItem(resource: run.resource, action: run.action.rawValue, capturedAt: captured,
                                                    bytes: 10_000_000, restoreSize: 10_000_000), to: container)
                service.finish(run, status: .completed)
            }
        }
    }

    @Test func aRegisteredDataPathRunsWithItsRowAndRecoveryPoint() throws {
        let w = TestWorld(.pipe, mbit: 100)
        let (vm, _, _) = w.vmWithVolume(size: 100 * ByteUnits.MiB, type: .iscsi)
        w.service.register(ConfigBackup())
        let paths: ProtectionDataPaths = w.service
        paths.declareProtected(ResourceID(vm.name), action: "config-backup", kind: .vm, vm: nil)
        #expect(paths.recoveryPoint(of: ResourceID(vm.name))?.recoveryPoint == nil)   // nothing sealed yet
        var outcome: DataPathOutcome?, sealed: SimInstant?
        w.sim.schedule(at: .seconds(10.0)) { _ in
            let (e, _) = paths.beginExecution(tenant: "demo", policy: "p")
            _ = paths.start(DataPathJob(action: "config-backup", resource: ResourceID(vm.name), execution: e, bytes: 10_000_000,
                                        trafficClass: TrafficClassName.metadata)) { o in
                outcome = o
                _ = paths.seal(execution: e, bytes: 0) { _ in sealed = w.sim.now }
            }
        }
        w.sim.run(until: .seconds(60.0))
        // completed, the 10 MB sent, the state as of the action's start
        guard case .completed(let bytes, let point)? = outcome else { Issue.record("\(String(describing: outcome))"); return }
        #expect(bytes == 10_000_000 && point == .seconds(10.0))
        let row = try #require(w.service.records.first)
        #expect(row.action.rawValue == "config-backup" && row.kind == .vm && row.status == .completed)
        // 10 MB x 8 / 100 mbit = 0.8 s on the wire + 2 ms one-way delay (the proxy's LAN copies
        // stream as the bytes arrive); within 1 ms of framing and acks
        #expect(abs(row.duration.seconds - (10e6 * 8 / 100e6 + 0.002)) < 1e-3, "\(row.duration.seconds)")
        // sealed: the recovery point is the capture at 10 s; unknown action names start nothing
        #expect(sealed != nil)
        #expect(paths.recoveryPoint(of: ResourceID(vm.name))?.recoveryPoint == .seconds(10.0))
        #expect(w.service.protect(resource: vm.name, action: "no-such-action", execution: 0) == nil)
    }
}
