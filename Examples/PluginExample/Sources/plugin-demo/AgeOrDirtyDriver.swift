import DRLSimCore
import DRLOrchestration

/// A DR-Logic driver (paper §3: "plug-ins that can be easily implemented and dynamically
/// loaded"): protect a policy as soon as its newest recovery point is older than `max_age`, or
/// the bytes written since it reach `max_dirty`, whichever comes first; never while one of its
/// executions runs (that execution is the next recovery point); at once when it has none.
///
/// The orchestrator still protects at `protection.interval` on its own countdown; this driver
/// only adds earlier protections. Scenario keys (its schema):
///
/// ```yaml
/// protection:
///   logic: { type: age-or-dirty, max_age: 2min, max_dirty: 256MiB }
/// ```
final class AgeOrDirtyDriver: LogicDriver {
    /// `age-or-dirty`.
    let name = "age-or-dirty"
    /// The oldest the recovery point may get.
    let maxAge: SimDuration
    /// The most bytes written since the recovery point.
    let maxDirty: Int64

    /// A driver with the two limits.
    init(maxAge: SimDuration, maxDirty: Int64) { self.maxAge = maxAge; self.maxDirty = maxDirty }

    /// Protect when either limit is reached and nothing is running.
    func decide(_ input: LogicInput) -> LogicDecision {
        if input.running > 0 { return .wait }
        guard let point = input.recoveryPoint else { return LogicDecision(protect: true, reason: "no recovery point") }
        if input.now - point >= maxAge { return LogicDecision(protect: true, reason: "age") }
        if input.dirtyBytes >= maxDirty { return LogicDecision(protect: true, reason: "dirty") }
        return .wait
    }

    /// The plug-in: name, declared keys (decoded, checked and listed by `describe --plugins`
    /// from this one declaration) and factory.
    static let plugin = LogicDriverPlugin(
        name: "age-or-dirty", summary: "protect when the recovery point is older than max_age or max_dirty bytes were written since",
        schema: [
            ParameterSpec("max_age", .duration, default: .duration(.minutes(2)), minimum: 0, excluding: true,
                          doc: "oldest recovery point allowed (default 2min)"),
            ParameterSpec("max_dirty", .size, default: .size(256 << 20), minimum: 0, excluding: true,
                          doc: "bytes written since the recovery point that trigger a protection (default 256MiB)"),
        ]
    ) { p, _ in AgeOrDirtyDriver(maxAge: p.duration("max_age")!, maxDirty: p.size("max_dirty")!) }
}
