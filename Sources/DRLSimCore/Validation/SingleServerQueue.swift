import DequeModule

/// A single-server FIFO queue (G/G/1) used to validate the engine against queueing theory.
///
/// Customers arrive with i.i.d. inter-arrival times from `arrival`, are served one at a time in
/// arrival order with i.i.d. service times from `service`. The first `warmup` customers are
/// served but not measured (the queue starts empty, which biases early waits downwards). After
/// `warmup + customers` arrivals no more customers come; the run ends when the last one leaves.
///
/// Events are value events (`EventHandler`, codes `arrivalCode` and `departureCode`), the
/// allocation-free path of the engine. Reference: Kleinrock, *Queueing Systems* Vol. 1 (1975),
/// Sections 3.2 (M/M/1, Wq = rho / (mu - lambda)) and 5.6 (M/G/1 Pollaczek-Khinchine mean
/// value formula, Wq = lambda E[S^2] / (2 (1 - rho))); M/D/1 is M/G/1 with E[S^2] = E[S]^2.
public final class SingleServerQueue: EventHandler {
    /// The model's parameters.
    public struct Configuration: Sendable, Hashable {
        /// Inter-arrival time distribution, in seconds.
        public var arrival: Distribution
        /// Service time distribution, in seconds.
        public var service: Distribution
        /// Customers measured (after the warm-up).
        public var customers: Int
        /// Customers served before measuring starts.
        public var warmup: Int

        /// A configuration.
        public init(arrival: Distribution, service: Distribution, customers: Int, warmup: Int = 0) {
            self.arrival = arrival
            self.service = service
            self.customers = customers
            self.warmup = warmup
        }

        /// The analytic mean waiting time in queue of an M/G/1 queue (Pollaczek-Khinchine), or
        /// nil when arrivals are not exponential or the queue is unstable (rho >= 1).
        public var theoreticalWaitingTime: Double? {
            guard case .exponential(let meanInterarrival) = arrival else { return nil }
            let lambda = 1 / meanInterarrival
            let es = service.mean, es2 = service.variance + es * es
            let rho = lambda * es
            guard rho < 1, es2.isFinite else { return nil }
            return lambda * es2 / (2 * (1 - rho))
        }
    }

    /// Event code of an arrival.
    public static let arrivalCode: Int32 = 0
    /// Event code of a service completion.
    public static let departureCode: Int32 = 1
    /// The table this model emits (one row per run).
    public static let table = "queue"
    /// The table's columns (after `run, point, replication`).
    public static let columns = ["customers", "wq_s", "w_s", "wq_max_s", "utilization", "end_s", "wq_theory_s"]

    /// The parameters.
    public let configuration: Configuration
    private let arrivals: Sampler
    private let services: Sampler
    private var handler = HandlerID(raw: -1)
    private var waitingLine = Deque<SimInstant>()
    private var busy = false
    private var arrived = 0
    private var started = 0
    private var busyTime = SimDuration.zero
    /// Waiting times in queue (seconds) of measured customers.
    public private(set) var waiting = RunningStatistics()
    /// Sojourn times (wait + service, seconds) of measured customers.
    public private(set) var sojourn = RunningStatistics()

    /// A queue drawing inter-arrival times from `arrivals` and service times from `services`.
    public init(_ configuration: Configuration, arrivals: Sampler, services: Sampler) {
        self.configuration = configuration
        self.arrivals = arrivals
        self.services = services
    }

    /// Registers with `sim` and schedules the first arrival after one inter-arrival time.
    public func start(in sim: Simulator) {
        handler = sim.register(self)
        if configuration.customers + configuration.warmup > 0 {
            sim.schedule(after: arrivals.nextDuration(), handler: handler, code: Self.arrivalCode)
        }
    }

    public func handle(_ event: Event, in sim: Simulator) {
        if event.code == Self.arrivalCode {
            arrived += 1
            if arrived < configuration.customers + configuration.warmup {
                sim.schedule(after: arrivals.nextDuration(), handler: handler, code: Self.arrivalCode)
            }
            if busy { waitingLine.append(sim.now) } else { beginService(arrivedAt: sim.now, in: sim) }
        } else {
            busy = false
            if let a = waitingLine.popFirst() { beginService(arrivedAt: a, in: sim) }
        }
    }

    private func beginService(arrivedAt: SimInstant, in sim: Simulator) {
        busy = true
        let s = services.nextDuration()
        busyTime += s
        if started >= configuration.warmup {
            let w = (sim.now - arrivedAt).seconds
            waiting.add(w)
            sojourn.add(w + s.seconds)
        }
        started += 1
        sim.schedule(after: s, handler: handler, code: Self.departureCode)
    }

    /// Declares the `queue` table on `recorder`.
    public static func declare(on recorder: Recorder) {
        recorder.declare(table, columns: columns)
    }

    /// Emits this run's row: measured customers, mean wait, mean sojourn, max wait,
    /// utilisation (busy time / elapsed time), end time, and the M/G/1 value when it exists.
    public func emit(to recorder: Recorder, at now: SimInstant) {
        let elapsed = now.seconds
        recorder.emit(Self.table, [
            .int(Int64(waiting.count)),
            .double(waiting.count > 0 ? waiting.mean : .nan),
            .double(sojourn.count > 0 ? sojourn.mean : .nan),
            .double(waiting.count > 0 ? waiting.max : .nan),
            .double(elapsed > 0 ? busyTime.seconds / elapsed : .nan),
            .double(elapsed),
            .double(configuration.theoreticalWaitingTime ?? .nan),
        ])
    }
}
