import DRLSimCore

/// One run being built and executed: the sweep point's spec, a fresh `RunContext`, and the
/// components that installed sections publish for each other.
///
/// Sections are installed in `Plugins.sections` order. A section publishes the objects later
/// sections need with `provide(_:)` (keyed by type) and fetches earlier ones with
/// `require(_:by:)`. End-of-run actions (flush counters, emit summary rows) registered with
/// `atEnd(_:)` run in registration order after the simulator stops.
public final class RunAssembly {
    /// The sweep point being run.
    public let spec: ScenarioSpec
    /// The run's context (simulator, recorder, streams).
    public let context: RunContext
    private var components: [ObjectIdentifier: Any] = [:]
    private var endActions: [(RunAssembly) -> Void] = []

    /// The run's simulator.
    public var sim: Simulator { context.sim }
    /// The run's record sink.
    public var recorder: Recorder { context.recorder }
    /// The replication index.
    public var replication: Int { context.replication }

    /// A fresh run of `spec`, replication `replication` (seed from the spec's header).
    public init(spec: ScenarioSpec, replication: Int) {
        self.spec = spec
        self.context = RunContext(seed: spec.header.seed, replication: replication)
    }

    /// The named random stream (`"<section>.<component>"`); see `RunContext.stream(_:)`.
    public func stream(_ name: String) -> RandomStream { context.stream(name) }

    /// Publishes `component` under its type for later sections (one per type; a second call replaces it).
    public func provide<T>(_ component: T, as type: T.Type = T.self) {
        components[ObjectIdentifier(type)] = component
    }

    /// The published component of `type`, if any.
    public func component<T>(_ type: T.Type = T.self) -> T? {
        components[ObjectIdentifier(type)] as? T
    }

    /// The published component of `type`; throws an `.assembly` error naming `section` otherwise.
    public func require<T>(_ type: T.Type = T.self, by section: String) throws -> T {
        if let c = components[ObjectIdentifier(type)] as? T { return c }
        throw ScenarioError(.assembly, at: spec.location(ofKey: section), keyPath: section,
                            "needs \(T.self), which no section installed before it provides")
    }

    /// Registers `action` to run after the simulator stops (in registration order).
    public func atEnd(_ action: @escaping (RunAssembly) -> Void) { endActions.append(action) }

    /// Installs every section of the spec, in registry order.
    public func install() throws {
        for s in spec.sections { try s.install(into: self) }
    }

    /// Runs the simulator to the scenario's `duration` (or until no event is left), then the
    /// end-of-run actions.
    ///
    /// With `progress`, a run with a duration advances in 100 slices (`Simulator.run(until:)`
    /// continues seamlessly, so the events and their order are the same) and `progress` gets the
    /// simulated time and the events executed after each slice.
    public func execute(progress: ((SimInstant, Int) -> Void)? = nil) {
        if let d = spec.header.duration {
            let end = SimInstant.zero + d
            if let progress {
                let slice = max(1, d.nanoseconds / 100)
                var t = SimInstant.zero
                while t < end {
                    t = min(end, t + .nanoseconds(slice))
                    sim.run(until: t)
                    progress(sim.now, sim.eventsExecuted)
                    if sim.stoppedEarly { break }
                }
            } else {
                sim.run(until: end)
            }
        } else {
            sim.run()
        }
        for a in endActions { a(self) }
        recorder.finishAggregation()
        context.close()
    }
}
