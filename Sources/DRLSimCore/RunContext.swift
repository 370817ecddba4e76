/// Everything a model needs from its run: the simulator, the record sink and its random streams.
///
/// One context per run (sweep point x replication). Models ask for streams by a stable name
/// (`"workload.transcoder"`, `"detector.umea.0"`), so each component's numbers depend only on
/// (scenario seed, replication, its own name).
public final class RunContext {
    /// The run's simulator.
    public let sim: Simulator
    /// Where models emit their records.
    public let recorder: Recorder
    /// The scenario's base seed.
    public let seed: UInt64
    /// The replication index (0-based).
    public let replication: Int
    private var streams: [String: RandomStream] = [:]

    /// A fresh context with a new simulator and recorder.
    public init(seed: UInt64, replication: Int, sim: Simulator = Simulator(), recorder: Recorder = Recorder()) {
        self.sim = sim
        self.recorder = recorder
        self.seed = seed
        self.replication = replication
    }

    /// Ends the run: tears the simulator down (breaking model <-> simulator reference cycles) and
    /// drops the streams. The recorder keeps its rows.
    public func close() {
        sim.tearDown()
        streams.removeAll()
    }

    /// The stream named `name` (created on first use; the same object afterwards).
    public func stream(_ name: String) -> RandomStream {
        if let s = streams[name] { return s }
        let s = RandomStream(seed: seed, replication: replication, name: name)
        streams[name] = s
        return s
    }
}
