import DRLSimCore

/// A schedule of shaping rates for one link (throttling windows, dr-landscape.md item 5): at
/// each step's offset the link's shaper is changed as `tc qdisc change ... tbf rate R` (the root
/// tbf, `TbfQdisc.change`) or `tc class change ... htb rate R ceil C` (an htb class,
/// `HtbClass.change`) would from a cron job. With `period` the steps repeat every period
/// (a daily cycle with 24h); without it they run once.
///
/// The schedule itself is a pure function of time (`change(at:)`, `nextIndex(after:)`); the
/// `ShapingScheduler` drives it on a link.
public struct ShapingSchedule: Sendable, Equatable {
    /// One change of the schedule.
    public struct Step: Sendable, Equatable {
        /// Offset from the start of the run (or of each period).
        public var at: SimDuration
        /// New rate (tbf rate, or htb class rate).
        public var rate: Rate
        /// New htb ceil (nil: `ceil = rate`, tc's default); ignored for tbf.
        public var ceil: Rate?
        /// The htb class id to change; nil: the root shaper (the root tbf, or the htb's only root class).
        public var classid: String?
        /// A step.
        public init(at: SimDuration, rate: Rate, ceil: Rate? = nil, classid: String? = nil) {
            self.at = at; self.rate = rate; self.ceil = ceil; self.classid = classid
        }
    }

    /// The steps, offsets non-decreasing.
    public var steps: [Step]
    /// The repeat period (nil: run once); every offset is below it.
    public var period: SimDuration?

    /// A schedule (offsets must be non-decreasing and, with a period, below it).
    public init(steps: [Step], period: SimDuration? = nil) {
        precondition(zip(steps, steps.dropFirst()).allSatisfy { $0.at <= $1.at }, "schedule: offsets must be non-decreasing")
        if let p = period { precondition(p > .zero && steps.allSatisfy { $0.at < p }, "schedule: offsets must be below the period") }
        self.steps = steps
        self.period = period
    }

    /// The instant of occurrence `n` (step `n % steps.count` of cycle `n / steps.count`), or nil
    /// when a one-shot schedule has no occurrence `n`.
    public func instant(ofOccurrence n: Int) -> SimInstant? {
        guard !steps.isEmpty, n >= 0 else { return nil }
        let (cycle, i) = n.quotientAndRemainder(dividingBy: steps.count)
        if cycle > 0 && period == nil { return nil }
        let base = Int64(cycle) * (period?.nanoseconds ?? 0)
        return SimInstant(nanoseconds: base + steps[i].at.nanoseconds)
    }

    /// The step of occurrence `n`.
    public func step(ofOccurrence n: Int) -> Step { steps[n % steps.count] }
}
