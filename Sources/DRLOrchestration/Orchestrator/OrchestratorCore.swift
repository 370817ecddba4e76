import DRLSimCore

/// The DR-Orchestrator's scheduling state machine for its policies: countdown, driver
/// triggers and the overlap policy. Pure: inputs in, commands out (no simulator).
public struct OrchestratorCore: Sendable {
    /// What the driver must do.
    public enum Command: Sendable, Hashable {
        /// Start an execution of `policy` now, due at `due` (`queued`: it waited for a running one).
        case start(policy: String, due: SimInstant, queued: Bool)
        /// The protection due at `due` is skipped.
        case skip(policy: String, due: SimInstant)
        /// The protection due at `due` waits for the running execution.
        case enqueue(policy: String, due: SimInstant)
    }
    private struct PolicyState: Sendable {
        var name: String
        var nextDue: SimInstant
        var queuedDue: SimInstant?
        var interval: SimDuration?
    }
    /// Maximum protection interval.
    public let interval: SimDuration
    /// Overlap policy.
    public let overlap: OverlapPolicy
    private var states: [PolicyState] = []

    /// A core.
    public init(interval: SimDuration, overlap: OverlapPolicy) { self.interval = interval; self.overlap = overlap }

    /// Registers `policy`, first due at `firstDue`, then every `interval` (nil: the core's;
    /// no-op if known).
    public mutating func enable(_ policy: String, firstDue: SimInstant, interval: SimDuration? = nil) {
        if !states.contains(where: { $0.name == policy }) { states.append(PolicyState(name: policy, nextDue: firstDue, interval: interval)) }
    }
    /// When `policy`'s countdown next expires.
    public func nextDue(_ policy: String) -> SimInstant? { states.first { $0.name == policy }?.nextDue }
    /// True when a protection of `policy` waits in the queue.
    public func hasQueued(_ policy: String) -> Bool { states.first { $0.name == policy }?.queuedDue != nil }

    /// A DR-Logic tick for `policy` with `running` executions and the driver's `trigger`.
    public mutating func tick(_ policy: String, now: SimInstant, running: Int, trigger: Bool) -> [Command] {
        guard let i = states.firstIndex(where: { $0.name == policy }) else { return [] }
        guard trigger || now >= states[i].nextDue else { return [] }
        let due = now
        states[i].nextDue = now + (states[i].interval ?? interval)
        if running == 0 { return [.start(policy: policy, due: due, queued: false)] }
        switch overlap {
        case .overlap: return [.start(policy: policy, due: due, queued: false)]
        case .skip: return [.skip(policy: policy, due: due)]
        case .queue:
            if states[i].queuedDue != nil { return [.skip(policy: policy, due: due)] }
            states[i].queuedDue = due
            return [.enqueue(policy: policy, due: due)]
        }
    }

    /// An execution of `policy` ended; `running` executions remain.
    public mutating func finished(_ policy: String, now: SimInstant, running: Int) -> [Command] {
        guard let i = states.firstIndex(where: { $0.name == policy }), running == 0, let due = states[i].queuedDue else { return [] }
        states[i].queuedDue = nil
        return [.start(policy: policy, due: due, queued: true)]
    }
}
