import DRLSimCore
import DRLCloud

/// The DR-Orchestrator at the backup site: recovery after the detector's verdict, and failback.
///
/// Failover of each policy, every step a timed model (`RecoveryTimings`, calibrated to paper
/// §7.3 / Fig. 11): orchestrator notified -> recovery starts -> read metadata from the vault ->
/// each action's failover (image import, backup import, DRBD manage) -> key pairs -> template
/// remap (snapshot-protected volumes become `OS::Cinder::Volume` resources with `backup_id`) ->
/// stack create (Heat: ready resources in parallel, the restores among them; the critical path;
/// `stackTimeout` over the whole stack = failure) -> VM boot -> floating IPs restored -> the VM
/// responds once BGP anycast has converged (§6.2). Emits `recovery` and `recovery_steps`; the
/// `rpo` rows are the data paths' (`ProtectionDataPaths.recordRecoveryPoints`, taken by the
/// `DisasterRecoveryLayer` at the disaster into `recoveryPointsAtDisaster`). Thin driver: each
/// step's end is an event.
public final class RecoveryPipeline {
    /// Settings.
    public struct Config: Sendable, Hashable {
        /// Service-time models.
        public var timings = RecoveryTimings()
        /// Floating-IP addresses available at the backup (nil: every address of the workload,
        /// as ORBIT's OpenStack extension restores the original public IPs, §6.2).
        public var backupFloatingIPs: [String]? = nil
        /// Stand-in detector (nil: an external detector calls `notified(detectedAt:)`).
        public var detection: FixedDelayDetection? = FixedDelayDetection()
        /// Per-VM recovery in priority groups with a concurrency bound (`RecoveryGroups`,
        /// `RecoveryPipeline+Groups.swift`); nil: the paper's policy-wide pipeline.
        public var groups: RecoveryGroups? = nil
        /// Defaults.
        public init() {}
    }
    /// Settings.
    public let config: Config
    /// The engine whose containers are recovered.
    public let engine: DREngine
    /// Every recovery so far, in start order.
    public internal(set) var outcomes: [RecoveryOutcome] = []
    /// Targets restored at failback (the WAN, hosts).
    public var targets: [DisasterTargets] = []
    /// The data paths' recovery points at the disaster (the `rpo` rows; failback's lost bytes).
    public internal(set) var recoveryPointsAtDisaster: [RecoveryPointRecord] = []
    let context: RunContext
    var disaster: DisasterEvent?
    private var detected: SimInstant?
    private var idCounter = 0
    var stepRename: [Int: String] = [:]
    /// Outcomes whose rows are written.
    var emitted: Set<Int> = []
    /// The step each unfinished outcome is in: (name, start).
    var currentStep: [Int: (name: String, start: SimInstant)] = [:]
    /// True once `endRun` wrote the rows of what was still running.
    var ended = false
    /// The per-VM recovery in progress (`config.groups`), if any.
    var groupRun: RecoveryGroupRun?

    /// A pipeline over `engine`.
    public init(context: RunContext, engine: DREngine, config: Config = Config()) {
        self.context = context; self.engine = engine; self.config = config
        let r = context.recorder
        r.declare(OrchestrationTables.recovery, columns: OrchestrationTables.recoveryColumns)
        r.declare(OrchestrationTables.recoverySteps, columns: OrchestrationTables.recoveryStepsColumns)
        if config.groups != nil {
            r.declare(OrchestrationTables.recoveryVMs, columns: OrchestrationTables.recoveryVMsColumns)
            r.declare(OrchestrationTables.recoveryGroups, columns: OrchestrationTables.recoveryGroupsColumns)
        }
    }

    /// The disaster happened now; with the stand-in detector, schedule the notification.
    public func disasterOccurred(_ e: DisasterEvent) {
        disaster = e
        if let d = config.detection, let v = d.verdict(for: e) {
            context.sim.schedule(at: v.notified) { [weak self] _ in self?.notified(detectedAt: v.detected) }
        }
    }

    /// The detector decided at `detectedAt` and the orchestrator is notified now: recover every policy.
    public func notified(detectedAt: SimInstant) {
        detected = detectedAt
        if let g = config.groups { notifiedInGroups(detectedAt: detectedAt, groups: g); return }
        for p in engine.policies {
            let k = openFailover(p, detectedAt: detectedAt)
            run(k, failoverSteps(p, outcome: k))
        }
    }

    // MARK: steps

    /// A step: computes at its start and calls `done(wait, failure)`; the pipeline waits `wait`.
    typealias Step = (name: String, body: (@escaping (SimDuration, RecoveryFailure?) -> Void) -> Void)

    func newID(_ prefix: String) -> String { idCounter += 1; return "\(prefix)-backup-\(idCounter)" }

    private func failoverSteps(_ p: WorkloadPolicy, outcome k: Int) -> [Step] {
        let t = config.timings
        let workload = engine.workload(of: p.tenant) ?? TenantWorkload(tenant: p.tenant)
        let state = RecoveryState()
        var steps = startSteps(p, outcome: k, state: state)
        for i in p.members.indices {
            steps.append(failoverStep(p, member: i, workload: workload, state: state) { [unowned self] in self.stepRename[k] = $0 })
        }
        steps.append(keyPairsStep(state))
        steps.append(remapStep(p, workload: workload, state: state) { state.template })
        steps.append(("stack-create", { [unowned self] done in
            // one Heat stack: ready resources in parallel, in-stack restores included; the
            // timeout covers the whole stack (Heat marks it CREATE_FAILED, Dragon's recovery fails)
            guard let tpl = state.template else { done(.zero, nil); return }
            let schedule = t.stackSchedule(tpl, restores: state.restores)
            self.outcomes[k].stackResources = self.stackResources(schedule, cutAt: Swift.min(schedule.total, t.stackTimeout))
            self.stackCreated(needing: schedule.total, done)
        }))
        steps += bootSteps({ workload.vms.filter { v in p.members.contains { $0.resource == v.id } } }) { [unowned self] in
            self.outcomes[k].recovered = $0
        }
        return steps + responseSteps(outcome: k)
    }

    func bootTime(_ vms: [VMDescription]) -> SimDuration {
        var longest = SimDuration.zero
        for vm in vms {
            guard let s = try? Sampler(config.timings.vmBoot, stream: context.stream("recovery.boot.\(vm.id.raw)")) else { continue }
            longest = max(longest, s.nextDuration())
        }
        return longest
    }

    func run(_ k: Int, _ steps: [Step], from i: Int = 0) {
        guard !ended else { return }
        guard i < steps.count else { finish(k); return }
        let start = context.sim.now
        currentStep[k] = (steps[i].name, start)
        steps[i].body { [weak self] wait, failure in
            guard let self else { return }
            self.context.sim.schedule(after: wait) { [weak self] _ in
                guard let self, !self.ended else { return }
                let end = self.context.sim.now
                let name = self.stepRename.removeValue(forKey: k) ?? steps[i].name
                self.outcomes[k].steps.append(.init(name: name, start: start, end: end))
                if let failure { self.outcomes[k].failure = failure; self.finish(k); return }
                self.run(k, steps, from: i + 1)
            }
        }
    }

    func finish(_ k: Int) {
        emitted.insert(k)
        policyEnded(k)
        currentStep[k] = nil
        var o = outcomes[k]
        if o.failure == nil { o.responsive = context.sim.now } else { o.recovered = nil }
        outcomes[k] = o
        func s(_ t: SimInstant?) -> RecordValue { .double(t?.seconds ?? .nan) }
        var downtime = Double.nan
        if o.kind == .failback, let r = o.responsive, let sw = o.switchStart { downtime = (r - sw).seconds }
        context.recorder.emit(OrchestrationTables.recovery, [
            s(o.disaster), s(o.detected), s(o.notified), s(o.started), s(o.recovered), s(o.responsive), s(o.redirected),
            .double(o.rto?.seconds ?? .nan), .text(o.kind.rawValue), .text(o.policy),
            .text(o.failure == nil ? "recovered" : "failed"), .text(o.failure?.description ?? ""), .double(downtime)])
        for st in o.steps + o.stackResources {
            context.recorder.emit(OrchestrationTables.recoverySteps, [
                s(o.disaster), .text(o.kind.rawValue), .text(o.policy), .text(st.name),
                .double(st.start.seconds), .double(st.end.seconds), .double(st.duration.seconds)])
        }
    }
}

/// Mutable state shared by the steps of one recovery.
final class RecoveryState {
    var execution: PolicyExecution?
    var template: HeatTemplate?
    var mapping = IDMapping()
    /// Volumes restored inside the stack: (primary ID, backup ID, bytes, restore time).
    var inStack: [(volume: String, backupID: String, bytes: Int64, duration: SimDuration)] = []
    /// Stack resource name -> restore time, once the template carries the restored volumes.
    var restores: [String: SimDuration] = [:]
}
