import DRLSimCore
import DRLCloud

/// The DR-Engine: workload policies, their executions and containers, driven through the
/// registered protection actions (IBM "Dragon", orbit-software.md §3; paper §3, §4.2).
///
/// Protect flow of a policy: consistent mode: pause the VMs -> the data paths create the
/// execution's container (processing, at the first action) -> every member's action in order ->
/// resume -> seal: the metadata and the Heat template are stored and the container marked ready
/// (or error). The data paths run the actions and emit their `protection` rows; the engine emits
/// only the overlap policy's `skipped`/`queued` markers. Thin driver: each step's end is an event.
public final class DREngine {
    /// Engine settings.
    public struct Config: Sendable, Hashable {
        /// Time to pause the VMs in consistent mode before the actions start: 0.5 s (estimate).
        public var consistentPause: SimDuration = .milliseconds(500)
        /// Metadata bytes written with every execution besides the template: 16 KiB (estimate).
        public var metadataBytes: Int64 = 16_384
        /// The run's end (Docs/statistics.md): an execution due at or after it does not start
        /// and leaves no marker row (an action due at the run's end has no duration). nil: none.
        public var horizon: SimInstant? = nil
        /// Actions an execution runs at once (`protection.concurrency`, DREngine+Concurrency.swift):
        /// 1 = one after another, Dragon's loop over the actions (orbit-software.md §3).
        public var concurrency: Int = 1
        /// Per-policy `concurrency` by policy name (absent: `concurrency`).
        public var policyConcurrency: [String: Int] = [:]
        /// Defaults.
        public init() {}
    }
    /// The run.
    public let context: RunContext
    /// The data paths the actions drive.
    public let dataPaths: ProtectionDataPaths
    /// Registered actions.
    public var registry: ActionRegistry
    /// Settings.
    public let config: Config
    /// The template generator.
    public var generator = FlameGenerator()
    /// Workloads by tenant, in insertion order.
    public private(set) var workloads: [TenantWorkload] = []
    /// Each tenant's VMs and volumes by resource ID (`ResourceLookup`, kept with `workloads`).
    private var lookups: [String: ResourceLookup] = [:]
    /// Policies in insertion order (names unique).
    public private(set) var policies: [WorkloadPolicy] = []
    /// Every execution started, in start order (the position is the execution's global id).
    public private(set) var executions: [PolicyExecution] = []
    /// Called when an execution ends: (policy name, global execution id).
    public var onExecutionFinished: ((String, Int) -> Void)?
    /// Called when an action of an execution ends, with its record (an observer: the data
    /// paths emit the `protection` rows).
    public var onActionFinished: ((PolicyExecution, PolicyExecution.ActionRecord) -> Void)?
    private var running: [String: [Int]] = [:]
    private var handles: [Int: ProtectionHandle] = [:]
    /// With `config.concurrency` > 1: per execution, the next member to start, the members
    /// running and their handles (DREngine+Concurrency.swift).
    var launches: [Int: MemberLaunch] = [:]
    private var stoppedReason: String?
    private var ended = false

    /// An engine over `dataPaths` with `registry` (the paper's four actions by default).
    public init(context: RunContext, dataPaths: ProtectionDataPaths, registry: ActionRegistry = .standard, config: Config = Config()) {
        self.context = context; self.dataPaths = dataPaths; self.registry = registry; self.config = config
        context.recorder.declare(OrchestrationTables.protection, columns: OrchestrationTables.protectionColumns)
    }

    /// Adds or replaces the workload of a tenant.
    public func setWorkload(_ w: TenantWorkload) {
        if let i = workloads.firstIndex(where: { $0.tenant == w.tenant }) { workloads[i] = w } else { workloads.append(w) }
        lookups[w.tenant] = ResourceLookup(w)
    }
    /// The workload of `tenant`.
    public func workload(of tenant: String) -> TenantWorkload? { workloads.first { $0.tenant == tenant } }
    /// Adds a policy (or replaces the policy of the same name).
    public func setPolicy(_ p: WorkloadPolicy) {
        if let i = policies.firstIndex(where: { $0.name == p.name }) { policies[i] = p } else { policies.append(p) }
    }
    /// The policy named `name`.
    public func policy(_ name: String) -> WorkloadPolicy? { policies.first { $0.name == name } }
    /// Executions of `policy` still running.
    public func runningCount(_ policy: String) -> Int { running[policy]?.count ?? 0 }
    /// Executions of `policy` in start order.
    public func executions(of policy: String) -> [PolicyExecution] { executions.filter { $0.policy == policy } }
    /// The newest ready execution of `policy` (the recovery point).
    public func newestReady(_ policy: String) -> PolicyExecution? {
        executions.last { $0.policy == policy && $0.status == .ready }
    }

    /// Starts an execution of `policyName` now; returns its global id, or nil when the engine
    /// is stopped or the policy unknown.
    @discardableResult
    public func execute(policy policyName: String, due: SimInstant) -> Int? {
        guard stoppedReason == nil, !ended, let p = policy(policyName) else { return nil }
        if let h = config.horizon, due >= h { return nil }
        let now = context.sim.now
        let index = executions(of: p.name).count
        let id = executions.count
        let records = p.members.map {
            PolicyExecution.ActionRecord(resource: $0.resource, kind: $0.kind, action: $0.action, start: now, end: nil,
                                         bytes: 0, pointInTime: nil, status: "pending", reason: nil)
        }
        var ex = PolicyExecution(index: index, policy: p.name, container: "", due: due, start: now, end: nil,
                                 status: .processing, actions: records, template: nil, overlapped: false)
        let others = running[p.name] ?? []
        if !others.isEmpty {
            ex.overlapped = true
            for o in others { executions[o].overlapped = true }
        }
        executions.append(ex)
        running[p.name, default: []].append(id)
        if p.consistent {
            for m in p.members where m.kind == .vm { dataPaths.setPaused(m.resource, true) }
            context.sim.schedule(after: config.consistentPause) { [weak self] _ in self?.startMembers(id) }
        } else {
            startMembers(id)
        }
        return id
    }

    func runMember(_ id: Int, _ i: Int) {
        let ex = executions[id]
        guard let p = policy(ex.policy) else { return }
        guard !ended else { return }
        if i == p.members.count { writeMetadata(id, p); return }
        let m = p.members[i]
        let now = context.sim.now
        executions[id].actions[i].start = now
        executions[id].actions[i].status = "running"
        if let reason = stoppedReason {
            finishAction(id, i, .aborted(bytes: 0, reason: reason)); return
        }
        guard let action = registry.action(named: m.action) else {
            finishAction(id, i, .aborted(bytes: 0, reason: "unknown action \(m.action)")); return
        }
        let w = lookups[p.tenant]
        let ctx = ProtectContext(resource: m.resource, vm: w?.vm(m.resource), volume: w?.volume(m.resource),
                                 execution: begin(id), policy: p.name, dataPaths: dataPaths)
        var finished = false
        let concurrent = launches[id] != nil
        let h = action.protect(ctx) { [weak self] outcome in
            finished = true
            if concurrent { self?.launches[id]?.handles[i] = nil } else { self?.handles[id] = nil }
            self?.finishAction(id, i, outcome)
        }
        if !finished, let h { if concurrent { launches[id]?.handles[i] = h } else { handles[id] = h } }
    }

    private func finishAction(_ id: Int, _ i: Int, _ outcome: DataPathOutcome) {
        let now = context.sim.now
        var r = executions[id].actions[i]
        r.end = now
        switch outcome {
        case .completed(let bytes, let point):
            r.bytes = bytes; r.pointInTime = point
            r.status = executions[id].overlapped ? "overlapped" : "completed"
        case .aborted(let bytes, let reason):
            r.bytes = bytes; r.status = "aborted"; r.reason = reason
        }
        executions[id].actions[i] = r
        onActionFinished?(executions[id], r)
        if launches[id] != nil { memberEnded(id) } else { runMember(id, i + 1) }
    }

    /// The data paths' execution of engine execution `id`, begun (its container created) at
    /// the first call: the first action's start, or the seal when no action ran.
    private func begin(_ id: Int) -> Int {
        if let e = executions[id].dataPathExecution { return e }
        let p = policy(executions[id].policy)
        let (e, container) = dataPaths.beginExecution(tenant: p?.tenant ?? "", policy: executions[id].policy)
        executions[id].dataPathExecution = e
        executions[id].container = container
        return e
    }

    func writeMetadata(_ id: Int, _ p: WorkloadPolicy) {
        if p.consistent { for m in p.members where m.kind == .vm { dataPaths.setPaused(m.resource, false) } }
        let template = generator.template(for: workload(of: p.tenant) ?? TenantWorkload(tenant: p.tenant),
                                          include: Set(p.members.map(\.resource)))
        executions[id].template = template
        let allOK = executions[id].actions.allSatisfy { $0.status == "completed" || $0.status == "overlapped" }
        guard allOK, stoppedReason == nil else { finish(id, ready: false); return }
        let bytes = Int64(template.yaml.utf8.count) + config.metadataBytes
        var finished = false
        let h = dataPaths.seal(execution: begin(id), bytes: bytes) { [weak self] outcome in
            finished = true
            self?.handles[id] = nil
            if case .completed = outcome { self?.finish(id, ready: true) } else { self?.finish(id, ready: false) }
        }
        if !finished { handles[id] = h }
    }

    private func finish(_ id: Int, ready: Bool) {
        executions[id].end = context.sim.now
        executions[id].status = ready ? .ready : .error
        let name = executions[id].policy
        running[name]?.removeAll { $0 == id }
        onExecutionFinished?(name, id)
    }

    /// Records the overlap policy's `skipped` marker rows for a due protection that did not run.
    public func recordSkipped(policy name: String, due: SimInstant) {
        guard let p = policy(name) else { return }
        if let h = config.horizon, due >= h { return }
        for m in p.members {
            context.recorder.emit(OrchestrationTables.protection, [
                .int(-1), .text(m.resource.raw), .text(m.kind.rawValue), .text(m.action.rawValue),
                .double(due.seconds), .double(due.seconds), .double(0), .int(0), .text("skipped")])
        }
    }
    /// Records the `queued` marker rows of execution `id`, which was due at `due` and started now.
    public func recordQueued(execution id: Int, due: SimInstant) {
        guard let p = policy(executions[id].policy) else { return }
        let now = executions[id].start
        for m in p.members {
            context.recorder.emit(OrchestrationTables.protection, [
                .int(Int64(executions[id].index)), .text(m.resource.raw), .text(m.kind.rawValue), .text(m.action.rawValue),
                .double(due.seconds), .double(now.seconds), .double((now - due).seconds), .int(0), .text("queued")])
        }
    }

    /// Deletes every ready or failed container of each policy but the newest `keep` ready ones
    /// (orbit-software.md §2: every 3600 s, keep the newest). Processing containers stay.
    /// - Returns: the containers deleted, in order.
    @discardableResult
    public func cleanup(keep: Int) -> [String] { cleanup(retention: .keepNewest(keep)) }

    /// Deletes, per policy, every failed container and every ready one `retention` expires now
    /// (never the newest ready one: a policy always keeps a recovery point). Processing
    /// containers stay. Each action's cleanup runs, then the data paths delete the container.
    /// - Returns: the containers deleted, in order.
    @discardableResult
    public func cleanup(retention: RetentionPolicy) -> [String] {
        var deleted: [String] = []
        let now = context.sim.now
        for p in policies {
            let ready = executions.indices.filter { executions[$0].policy == p.name && executions[$0].status == .ready }
            let expired = Set(retention.expired(created: ready.map { executions[$0].start }, now: now).map { ready[$0] })
            for i in executions.indices where executions[i].policy == p.name
                && (executions[i].status == .error || expired.contains(i)) {
                let w = lookups[p.tenant]
                for r in executions[i].actions {
                    if let a = registry.action(named: r.action) {
                        a.cleanup(r, context: ProtectContext(resource: r.resource, vm: w?.vm(r.resource), volume: w?.volume(r.resource),
                                                             execution: executions[i].dataPathExecution ?? -1, policy: p.name,
                                                             dataPaths: dataPaths))
                    }
                }
                if let e = executions[i].dataPathExecution { dataPaths.deleteContainer(execution: e) }
                executions[i].status = .deleted
                deleted.append(executions[i].container)
            }
        }
        return deleted
    }

    /// Stops protecting (the primary site is down): running jobs are aborted, no new execution starts.
    public func stop(reason: String) {
        guard stoppedReason == nil else { return }
        stoppedReason = reason
        for id in handles.keys.sorted() { if let h = handles[id] { dataPaths.abort(h) } }
        abortLaunches()
    }
    /// The run ends now (Docs/statistics.md): nothing new starts; running jobs are left to the
    /// data paths, which censor them (`ProtectionDataPaths.endRun`).
    public func endRun() { ended = true }
    /// True once `endRun` was called.
    public var hasEnded: Bool { ended }
    /// True once `stop` was called.
    public var isStopped: Bool { stoppedReason != nil }
}
