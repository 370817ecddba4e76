import DRLSimCore

/// A DR-Logic plug-in: decides at every DR-Logic tick whether a policy is protected now, and
/// optionally how the WAN's traffic classes are shaped (paper §3; orbit-software.md §2).
///
/// Pure decision logic: `decide` and `shape` map measurements to decisions and keep no
/// reference to the simulator; the `DROrchestrator` schedules their effects.
public protocol LogicDriver: AnyObject {
    /// The registry name (`fixed`, `dirty-threshold`, `rpo-target`, `bandwidth-shares`).
    var name: String { get }
    /// Whether `input.policy` should be protected at this tick (besides the orchestrator's
    /// countdown of the maximum protection interval).
    func decide(_ input: LogicInput) -> LogicDecision
    /// The class rates to set at this tick (default: none, the WAN stays as configured).
    func shape(_ input: ShapingInput) -> [RateSetting]
}

extension LogicDriver {
    /// Shapes nothing.
    public func shape(_ input: ShapingInput) -> [RateSetting] { [] }
}

/// What a driver knows about one policy at a tick.
public struct LogicInput: Sendable, Hashable {
    /// The tick instant.
    public var now: SimInstant
    /// The DR-Logic tick interval.
    public var tick: SimDuration
    /// The policy.
    public var policy: String
    /// When its last execution started (nil: never).
    public var lastStart: SimInstant?
    /// The oldest recovery point among its container-protected members in the newest ready
    /// execution (nil: no ready execution yet).
    public var recoveryPoint: SimInstant?
    /// Bytes written to its resources since `recoveryPoint` (since the start when nil).
    public var dirtyBytes: Int64
    /// Bytes sent and duration of its most recent completed executions, oldest first.
    public var recent: [ExecutionSample]
    /// Executions of the policy running now.
    public var running: Int
    /// A sample of one completed execution.
    public struct ExecutionSample: Sendable, Hashable {
        /// Bytes sent over the WAN.
        public var bytes: Int64
        /// From start to ready.
        public var duration: SimDuration
        /// A sample.
        public init(bytes: Int64, duration: SimDuration) { self.bytes = bytes; self.duration = duration }
    }
    /// An input.
    public init(now: SimInstant, tick: SimDuration, policy: String, lastStart: SimInstant?, recoveryPoint: SimInstant?,
                dirtyBytes: Int64, recent: [ExecutionSample], running: Int) {
        self.now = now; self.tick = tick; self.policy = policy; self.lastStart = lastStart
        self.recoveryPoint = recoveryPoint; self.dirtyBytes = dirtyBytes; self.recent = recent; self.running = running
    }
}

/// A driver's verdict for one policy at one tick.
public struct LogicDecision: Sendable, Hashable {
    /// Protect now.
    public var protect: Bool
    /// Why (for traces and tests).
    public var reason: String
    /// A decision.
    public init(protect: Bool, reason: String) { self.protect = protect; self.reason = reason }
    /// Do nothing.
    public static let wait = LogicDecision(protect: false, reason: "wait")
}

/// Per-class WAN measurements for a shaping driver.
public struct ShapingInput: Sendable, Hashable {
    /// One traffic class.
    public struct ClassState: Sendable, Hashable {
        /// The class name (`replication`, `snapshot`, `image`, `application`, ...).
        public var name: String
        /// Bytes waiting to be sent (DRBD send buffer + lag, remaining upload bytes, app queue).
        public var backlogBytes: Double
        /// Bits/s offered to the class over the last tick (writes for replication, requests for the app).
        public var arrivalRate: Double
        /// Time within which the backlog should be gone (nil: the driver's default horizon).
        public var horizon: SimDuration?
        /// A class state.
        public init(name: String, backlogBytes: Double, arrivalRate: Double, horizon: SimDuration? = nil) {
            self.name = name; self.backlogBytes = backlogBytes; self.arrivalRate = arrivalRate; self.horizon = horizon
        }
    }
    /// The tick instant.
    public var now: SimInstant
    /// The shaped link's rate, bits/s.
    public var capacity: Double
    /// Classes in a fixed order.
    public var classes: [ClassState]
    /// An input.
    public init(now: SimInstant, capacity: Double, classes: [ClassState]) { self.now = now; self.capacity = capacity; self.classes = classes }
}

/// An HTB class rate to set.
public struct RateSetting: Sendable, Hashable {
    /// The class name.
    public var trafficClass: String
    /// Guaranteed rate, bits/s.
    public var rate: Double
    /// Ceiling, bits/s.
    public var ceil: Double
    /// A setting.
    public init(trafficClass: String, rate: Double, ceil: Double) { self.trafficClass = trafficClass; self.rate = rate; self.ceil = ceil }
}

/// Where a shaping driver's rates go (DRLNetwork's HTB classes behind this seam).
public protocol TrafficShaping: AnyObject {
    /// The shaped link's rate, bits/s.
    var shapedCapacity: Double { get }
    /// Current measurements of the given classes.
    func measure(classes: [String], now: SimInstant) -> [ShapingInput.ClassState]
    /// Sets the rate and ceil of a class.
    func setRate(_ setting: RateSetting)
}
