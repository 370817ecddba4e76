import DRLSimCore
import DRLCloud

/// The paper's Disaster Recovery Layer assembled for one run: engine, orchestrator, recovery
/// pipeline and disaster injection, wired together (paper §3, Fig. 2).
///
/// Assembly: build the data paths (DRLCloud's `ProtectionService`, or a test stand-in), then
/// `DisasterRecoveryLayer(context:dataPaths:workloads:config:)`; it protects every workload
/// resource with the default actions (or the given policies), declares them to the data paths,
/// starts the DR-Logic tick, and, if `config.disaster` is set, injects it: first the data paths'
/// recovery points are taken (`rpo` rows), then the targets apply it (the data paths, when they
/// are a `DisasterTargets`, first), the primary orchestrator stops and the detector (stand-in
/// or external) notifies the recovery pipeline.
public final class DisasterRecoveryLayer {
    /// Settings of the whole layer.
    public struct Config: Sendable, Hashable {
        /// Orchestrator (tick, interval, overlap, driver, default VM action).
        public var orchestrator = OrchestratorConfig()
        /// Engine.
        public var engine = DREngine.Config()
        /// Recovery pipeline (timings, detector stand-in).
        public var recovery = RecoveryPipeline.Config()
        /// The disaster (nil: none).
        public var disaster: DisasterSpec? = nil
        /// When the primary is marked operating again (failback starts); nil: never.
        public var failbackAt: SimInstant? = nil
        /// Explicit policies (nil: one default policy per tenant with every resource).
        public var policies: [WorkloadPolicy]? = nil
        /// Defaults: the paper's 5 min interval, no disaster.
        public init() {}
    }
    /// The engine.
    public let engine: DREngine
    /// The primary's orchestrator.
    public let orchestrator: DROrchestrator
    /// The backup's recovery pipeline.
    public let recovery: RecoveryPipeline
    /// The disaster injector, if any.
    public let injector: DisasterInjector?

    /// Assembles and starts the layer.
    public init(context: RunContext, dataPaths: ProtectionDataPaths, workloads: [TenantWorkload], config: Config = Config(),
                registry: ActionRegistry = .standard, driver: (any LogicDriver)? = nil,
                drivers: LogicDriverRegistry = .standard, extraTargets: [DisasterTargets] = []) throws {
        engine = DREngine(context: context, dataPaths: dataPaths, registry: registry, config: config.engine)
        for w in workloads { engine.setWorkload(w) }
        orchestrator = try DROrchestrator(context: context, engine: engine, config: config.orchestrator, driver: driver, drivers: drivers)
        recovery = RecoveryPipeline(context: context, engine: engine, config: config.recovery)
        if let ps = config.policies {
            for p in ps { orchestrator.add(policy: p) }
        } else {
            for w in workloads { try orchestrator.protectAll(tenant: w.tenant) }
        }
        // Protected from now on: a disaster before the first protection still has rpo rows.
        for p in engine.policies {
            let w = engine.workload(of: p.tenant)
            for m in p.members {
                dataPaths.declareProtected(m.resource, action: m.action, kind: m.kind,
                                           vm: m.kind == .vm ? m.resource : w?.volume(m.resource)?.attachedTo)
            }
        }
        var targets = extraTargets
        if let t = dataPaths as? DisasterTargets { targets.insert(t, at: 0) }
        // The recovery points at the disaster instant, before anything stops (the rpo rows).
        targets.insert(RecoveryPointCapture(dataPaths: dataPaths, recovery: recovery), at: 0)
        recovery.targets = Array(targets.dropFirst())
        orchestrator.start()
        if let spec = config.disaster {
            let inj = DisasterInjector(context: context, spec: spec)
            inj.targets = targets
            let orch = orchestrator, rec = recovery
            inj.listeners.append { e in
                if e.spec.stopsProtection { orch.primaryFailed(reason: "disaster") }
                rec.disasterOccurred(e)
            }
            injector = inj
        } else {
            injector = nil
        }
        if let fb = config.failbackAt {
            let rec = recovery
            context.sim.schedule(at: fb) { _ in rec.failback() }
        }
    }

    /// The run ends now (Docs/statistics.md): the engine starts nothing more, every unfinished
    /// recovery or failback gets its `censored` row, then the data paths censor their running
    /// actions (`censored` protection rows).
    public func endRun() {
        engine.endRun()
        recovery.endRun()
        engine.dataPaths.endRun()
    }
}
