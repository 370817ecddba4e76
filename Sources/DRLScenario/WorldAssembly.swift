import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLDetector
import DRLOrchestration

/// Assembles the DR world of one run from the installed sections: DRLCloud's `DataPlane`
/// (published by `workload:`), whose `ProtectionService` is the data paths of DRLOrchestration's
/// `DisasterRecoveryLayer` (`protection:`, `recovery:`, `disaster:`), DRLNetwork's WAN and
/// DRLDetector's deployment as disaster targets, and the detector's notification as the
/// recovery trigger (the assembly of Tests/DRLOrchestrationTests/RealModulesTests.swift).
public enum WorldAssembly {
    /// The tenant workload the orchestrator protects: the scenario's VM descriptions (resource IDs
    /// are DRLCloud's names) with their addresses and their attached volumes (the descriptions
    /// the data plane created them from): one private network, one key pair and security group
    /// per tenant, one port and floating IP per VM (addresses from
    /// `TenantWorkload.fixedIP(ofVM:)`/`floatingIP(ofVM:)`).
    public static func tenantWorkload(tenant: String, specs: [VMDescription]) -> TenantWorkload {
        let net = TenantWorkload.Network(id: ResourceID("net-\(tenant)"), name: "private", cidr: TenantWorkload.privateCIDR)
        var vms: [VMDescription] = []
        for (i, s) in specs.enumerated() {
            var vm = s
            vm.keyName = "\(tenant)-key"
            vm.securityGroups = ["default"]
            vm.ports = [.init(id: ResourceID("port-\(s.name)"), network: net.id, fixedIP: TenantWorkload.fixedIP(ofVM: i))]
            vm.floatingIP = TenantWorkload.floatingIP(ofVM: i)
            vms.append(vm)
        }
        return TenantWorkload(tenant: tenant, vms: vms, keyPairs: [.init(name: "\(tenant)-key")],
                              securityGroups: [.init(id: ResourceID("sg-\(tenant)"), name: "default")], networks: [net])
    }

    /// Registers a fresh data path of each of `plugins.dataPaths` on the run's protection
    /// `service` (by action name, replacing the built-in path of that name), so an action
    /// plug-in's jobs run through its own path.
    public static func installDataPaths(_ plugins: Plugins, into service: ProtectionService) {
        for p in plugins.dataPaths { service.register(p.make()) }
    }

    /// Installs the DR layer for `protection` into `run` (needs the workload's `DataPlane`).
    static func installLayer(_ protection: ProtectionSection, into run: RunAssembly) throws {
        let plane = try run.require(DataPlane.self, by: ProtectionSection.key)
        let workload = run.spec.section(WorkloadSection.self)!
        let detector = run.component(DetectorDeployment.self)
        let network = run.component(DRLNetwork.Network.self)
        var c = DisasterRecoveryLayer.Config()
        c.orchestrator = protection.orchestrator
        c.engine = protection.engine
        if let r = run.spec.section(RecoverySection.self) { c.recovery.timings = r.timings }
        c.recovery.groups = RecoverySection.groups(in: run.spec)   // per-VM recovery in priority groups
        c.engine.horizon = run.spec.header.duration.map { .zero + $0 }   // nothing due at the run's end starts
        if detector != nil { c.recovery.detection = nil }   // the real detector decides
        let disaster = run.spec.section(DisasterSection.self)
        c.disaster = disaster?.disasterSpec(in: run.spec)
        c.failbackAt = disaster?.failbackAt
        var targets: [DisasterTargets] = []
        if let paths = run.wanPaths { targets.append(WANDisasterTarget(network: paths, primary: 0, backup: 1)) }
        if let detector { targets.append(DetectorDisasterTarget(deployment: detector)) }
        let tenant = tenantWorkload(tenant: workload.tenant, specs: workload.specs(policy: protection.policy))
        protection.applyPolicies(to: &c, workload: tenant)   // protection.policies (nil: one default policy)
        // A shaping driver (bandwidth-shares): the driver over the shaped classes, the shaper on
        // the primary -> backup root HTB. Drivers and actions come from the scenario's plug-ins.
        let plugins = run.spec.plugins
        let logic = protection.orchestrator.logic
        let shaped = try protection.shapedClasses(in: run.spec)
        var driver: (any LogicDriver)?
        var shaper: HTBShaper?
        if let shares = protection.shares {
            guard let network, let htb = network.link(from: 0, to: 1).root as? HtbQdisc else {
                throw ScenarioError(.assembly, at: shares.location, keyPath: "protection.logic.type",
                                    "\(logic.type) needs wan.qdisc of type htb (no WAN htb was built)")
            }
            for s in shaped where htb.leaf(for: TrafficClass(name: s.name)!)?.classid != htb.htbClass(s.leaf)?.classid {
                throw ScenarioError(.assembly, at: shares.location, keyPath: "protection.logic.type",
                                    "\(logic.type): class \(s.name) is not classified to \(s.leaf) by wan.qdisc's filters")
            }
            do throws(LogicDriverError) {
                driver = try plugins.logicDrivers.make(logic, context: LogicDriverContext(shapedClasses: shaped.map(\.name)))
            } catch {
                throw ScenarioError(.assembly, at: shares.location, keyPath: "protection.logic.type", error.description)
            }
            shaper = HTBShaper(link: network.link(from: 0, to: 1))
            // The replication class's demand includes what DRBD still holds, not only the leaf queue.
            let service = plane.service
            shaper?.senderBacklog = { $0 == TrafficClassName.replication ? service.drbdBacklogBytes : 0 }
        }
        let layer: DisasterRecoveryLayer
        do {
            layer = try DisasterRecoveryLayer(context: run.context, dataPaths: plane.service, workloads: [tenant], config: c,
                                              registry: ActionRegistry(plugins: plugins.actions, parameters: protection.actionParameters),
                                              driver: driver, drivers: plugins.logicDrivers, extraTargets: targets)
        } catch {
            throw ScenarioError(.assembly, at: run.spec.location(ofKey: ProtectionSection.key), keyPath: ProtectionSection.key, "\(error)")
        }
        layer.orchestrator.shaper = shaper
        if let detector { layer.recovery.listen(to: detector) }
        // The disaster also stops the applications (DataPlane.disaster's effect the adapter leaves out).
        layer.injector?.listeners.append { _ in for w in plane.workloads { w.stop() } }
        // The run's end (Docs/statistics.md): recoveries still running get `censored` rows, actions
        // still running `censored` rows ending at the run's end (a lower bound of their duration),
        // so a volume snapshot longer than the run still shows in protection.csv; an action that
        // would start at the end has no row.
        run.atEnd { _ in layer.endRun() }
        run.provide(layer)
    }

    /// The disaster without a DR layer: blocks the WAN, fails the detector's view of the primary,
    /// stops the workloads (and emits DRLCloud's rpo rows) when there are any.
    static func installDisaster(_ d: DisasterSection, into run: RunAssembly) throws {
        if run.component(DisasterRecoveryLayer.self) != nil { return }   // the layer injects it
        let inj = DisasterInjector(context: run.context, spec: d.disasterSpec(in: run.spec))
        if let plane = run.component(DataPlane.self) {
            inj.targets.append(DataPlaneDisasterTarget(plane: plane))
        }
        if let n = run.wanPaths { inj.targets.append(WANDisasterTarget(network: n, primary: 0, backup: 1)) }
        if let det = run.component(DetectorDeployment.self) { inj.targets.append(DetectorDisasterTarget(deployment: det)) }
        run.provide(inj)
    }
}

/// `DataPlane.disaster()` as a disaster target (rpo rows, aborted actions, workloads stopped,
/// hosts off) for runs without a DR layer.
final class DataPlaneDisasterTarget: DisasterTargets {
    let plane: DataPlane
    init(plane: DataPlane) { self.plane = plane }
    func apply(_ event: DisasterEvent) { plane.disaster() }
}
