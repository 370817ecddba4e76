import DRLSimCore

/// The `queue:` section: a single-server FIFO queue for validating the engine
/// (`SingleServerQueue`, Scenarios/validation/mm1.yaml and md1.yaml).
///
/// ```yaml
/// queue:
///   arrival: {type: exponential, mean: 1.111111111s}   # inter-arrival time distribution
///   service: {type: exponential, mean: 1s}             # service time distribution (or a constant: 1s)
///   # or, a link: service time = job size / server rate
///   # job_size: {type: exponential, mean: 1250b}
///   # server_rate: 10mbit
///   customers: 100000                                  # measured customers per replication
///   warmup: 10000                                      # customers served before measuring (default 0)
/// ```
/// Streams: `queue.arrival`, `queue.service`. Emits one `queue` row per run and a
/// `queue_summary` (Student-t CI across replications of `wq_s`).
public struct QueueSection: ScenarioSection {
    public static let key = "queue"
    public static let summary = "single-server FIFO queue for engine validation (M/M/1, M/D/1, G/G/1)"

    /// The decoded model parameters.
    public var configuration: SingleServerQueue.Configuration

    /// The section's keys, declared once.
    public static let schema: ParameterSchema = [
        ParameterSpec("arrival", .custom("distribution of durations"), required: true, doc: "interarrival time"),
        ParameterSpec("service", .custom("distribution of durations"), doc: "service time (or job_size with server_rate)"),
        ParameterSpec("job_size", .custom("distribution of sizes"), doc: "job size, served at server_rate"),
        ParameterSpec("server_rate", .rate, doc: "server rate for job_size"),
        ParameterSpec("customers", .count, required: true, minimum: 1, maximum: Double(Int32.max), doc: "customers served (the run's length)"),
        ParameterSpec("warmup", .count, default: .number(0), minimum: 0, maximum: Double(Int32.max), doc: "first customers left out of the statistics"),
    ]

    public static func decode(_ m: ConfigMapping) throws -> QueueSection? {
        guard m.isPresent else { return nil }
        let arrival = try m.distribution("arrival", .time)
        let service: Distribution
        if m.contains("service") {
            service = try m.distribution("service", .time)
            if m.contains("job_size") || m.contains("server_rate") {
                throw m.error(m.contains("job_size") ? "job_size" : "server_rate", .invalidValue,
                              "give either service or job_size with server_rate, not both")
            }
        } else if m.contains("job_size") || m.contains("server_rate") {
            let size = try m.distribution("job_size", .size)
            let rate = try m.rate("server_rate")
            service = size.scaled(by: 8 / rate)
        } else {
            throw m.error("service", .missingKey, "required key 'service' (or job_size with server_rate) is missing in queue")
        }
        let p = try m.values(of: schema)
        return QueueSection(configuration: .init(arrival: arrival, service: service, customers: p.count("customers")!,
                                                 warmup: p.count("warmup")!))
    }

    public func install(into run: RunAssembly) throws {
        let arrivals = try Sampler(configuration.arrival, stream: run.stream("queue.arrival"))
        let services = try Sampler(configuration.service, stream: run.stream("queue.service"))
        let q = SingleServerQueue(configuration, arrivals: arrivals, services: services)
        SingleServerQueue.declare(on: run.recorder)
        q.start(in: run.sim)
        run.provide(q)
        run.atEnd { run in q.emit(to: run.recorder, at: run.sim.now) }
    }

    public var summaries: [SummaryRequest] {
        [SummaryRequest(table: SingleServerQueue.table, column: "wq_s", output: "queue_summary")]
    }
}
