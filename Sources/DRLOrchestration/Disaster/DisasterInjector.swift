import DRLSimCore

/// Injects one disaster into a run: draws its instant (its own stream `disaster`, so other
/// models' numbers do not move), then applies it to every target and tells the listeners.
public final class DisasterInjector {
    /// The spec.
    public let spec: DisasterSpec
    /// The drawn instant.
    public let instant: SimInstant
    /// Effect targets, applied in order.
    public var targets: [DisasterTargets] = []
    /// Listeners (recovery pipeline, orchestrator), called after the targets.
    public var listeners: [(DisasterEvent) -> Void] = []
    private let context: RunContext

    /// Draws the instant of `spec` and schedules it.
    public init(context: RunContext, spec: DisasterSpec) {
        self.context = context; self.spec = spec
        switch spec.timing {
        case .at(let t): instant = t
        case .uniform(let a, let b):
            let u = context.stream("disaster").uniform()
            instant = a + SimDuration(nanoseconds: Int64((Double((b - a).nanoseconds) * u).rounded(.down)))
        }
        let t = max(instant, context.sim.now)
        context.sim.schedule(at: t) { [weak self] _ in self?.fire() }
    }

    private func fire() {
        let e = DisasterEvent(at: context.sim.now, spec: spec)
        for t in targets { t.apply(e) }
        for l in listeners { l(e) }
    }
}
