/// One curve value that differs from its baseline beyond tolerance, or appeared or disappeared.
public struct CurveChange: Sendable, Equatable {
    /// What happened to the value.
    public enum Kind: String, Sendable, Equatable {
        /// Present in both, outside tolerance.
        case moved
        /// Only in the new curves.
        case appeared
        /// Only in the baseline.
        case disappeared
    }

    /// The scenario.
    public var scenario: String
    /// The point as `key=value, ...` (`-` without a sweep).
    public var point: String
    /// `table.column[group]`.
    public var curve: String
    /// The statistic.
    public var statistic: String
    /// The baseline value (nil when it appeared).
    public var baseline: Double?
    /// The new value (nil when it disappeared).
    public var new: Double?
    /// The allowed |delta| around the baseline (nil when it appeared).
    public var allowed: Double?
    /// What happened.
    public var kind: Kind

    /// A change with every field given.
    public init(scenario: String, point: String, curve: String, statistic: String, baseline: Double?, new: Double?,
                allowed: Double?, kind: Kind) {
        self.scenario = scenario
        self.point = point
        self.curve = curve
        self.statistic = statistic
        self.baseline = baseline
        self.new = new
        self.allowed = allowed
        self.kind = kind
    }

    /// `new - baseline` when both exist.
    public var delta: Double? {
        guard let baseline, let new else { return nil }
        return new - baseline
    }
}
