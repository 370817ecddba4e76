import DRLSimCore

/// Protects early enough that the RPO stays under `target`, from measured transfer times.
///
/// Control law. The RPO just before the next execution becomes ready is
/// `age + D`, where `age = now - recoveryPoint` and `D` the next execution's duration. `D` is
/// estimated from the last `window` executions by a least-squares line `D = a + b × bytes`
/// (fixed overhead `a`, inverse throughput `b`) evaluated at the bytes changed since the
/// recovery point (incremental transfers); when the samples cannot separate the two (all of
/// one size) it is their mean duration plus the dirty bytes at an assumed rate. Because the decision is only taken every tick, the driver triggers when
/// `age + D̂ + tick >= safety × target`. Without a recovery point it protects at once. While an
/// execution runs it waits (that execution is the next recovery point).
public final class RPOTargetDriver: LogicDriver {
    /// `rpo-target`.
    public let name = "rpo-target"
    /// The RPO to stay under.
    public let target: SimDuration
    /// Fraction of the target used as the trigger line (default 0.9).
    public let safety: Double
    /// Samples used for the duration fit (default 5).
    public let window: Int
    /// Throughput assumed when the samples cannot tell (all of one size), bits/s (default 100 mbit).
    public let assumedRate: Double
    /// A driver.
    public init(target: SimDuration, safety: Double = 0.9, window: Int = 5, assumedRate: Double = 100e6) {
        precondition(target > .zero && safety > 0 && window > 0 && assumedRate > 0)
        self.target = target; self.safety = safety; self.window = window; self.assumedRate = assumedRate
    }

    /// The estimated duration of an execution started now: a least-squares fit
    /// `D = a + b × bytes` over the recent samples applied to the dirty bytes when the samples
    /// differ in size (incremental transfers); otherwise their mean duration plus the dirty
    /// bytes at `assumedRate`.
    public func estimatedDuration(_ input: LogicInput) -> SimDuration {
        let samples = Array(input.recent.suffix(window))
        guard !samples.isEmpty else { return .zero }
        let xs = samples.map { Double($0.bytes) }, ys = samples.map(\.duration.seconds)
        let n = Double(samples.count)
        let mx = xs.reduce(0, +) / n, my = ys.reduce(0, +) / n
        let sxx = xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        let sxy = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        guard sxx > 0, sxy > 0 else { return .seconds(my + 8 * Double(input.dirtyBytes) / assumedRate) }
        let b = sxy / sxx, a = max(0, my - b * mx)
        return .seconds(a + b * Double(input.dirtyBytes))
    }

    /// The driver's verdict for one policy at this tick.
    public func decide(_ input: LogicInput) -> LogicDecision {
        if input.running > 0 { return .wait }
        guard let rp = input.recoveryPoint else { return LogicDecision(protect: true, reason: "no recovery point") }
        let age = input.now - rp
        let d = estimatedDuration(input)
        let projected = age + d + input.tick
        if projected.seconds >= safety * target.seconds {
            return LogicDecision(protect: true, reason: "projected rpo \(projected.seconds) s >= \(safety) x \(target.seconds) s")
        }
        return .wait
    }
}

extension RPOTargetDriver {
    /// `rpo-target {target, safety, assumed_rate}`.
    public static let plugin = LogicDriverPlugin(
        name: "rpo-target", summary: "protect early enough to keep the recovery point's age under a target",
        schema: [
            ParameterSpec("target", .duration, default: .duration(.minutes(10)), minimum: 0, excluding: true, doc: "the RPO to keep (default 10min)"),
            ParameterSpec("safety", .number, default: .number(0.9), minimum: 0, excluding: true, maximum: 1,
                          doc: "trigger line as a fraction of the target (default 0.9)"),
            ParameterSpec("assumed_rate", .rate, default: .rate(100e6), minimum: 1, maximum: Units.maxRate,
                          doc: "throughput assumed before measurements can tell (default 100mbit)"),
        ]
    ) { p, _ in RPOTargetDriver(target: p.duration("target")!, safety: p.number("safety")!, assumedRate: p.rate("assumed_rate")!) }
}
