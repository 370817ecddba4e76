/// How far a curve value may move: `|new - baseline| <= abs + rel * |baseline|`.
///
/// Two NaN values agree (a curve without samples stays without samples); NaN against a number
/// never does; equal infinities agree.
public struct Tolerance: Sendable, Hashable {
    /// Relative part (a fraction of |baseline|).
    public var rel: Double
    /// Absolute part, in the column's unit.
    public var abs: Double

    /// A tolerance of `rel` and `abs` (both >= 0).
    public init(rel: Double, abs: Double) {
        self.rel = rel
        self.abs = abs
    }

    /// The default of a new baseline: runs are deterministic for a given version and values are
    /// stored as shortest round-trip decimals, so only floating-point noise is forgiven.
    public static let strict = Tolerance(rel: 1e-9, abs: 1e-12)

    /// The largest allowed |new - baseline| around `baseline`.
    public func limit(around baseline: Double) -> Double { abs + rel * Swift.abs(baseline) }

    /// Whether `new` is within tolerance of `baseline`.
    public func allows(baseline: Double, new: Double) -> Bool {
        if baseline.isNaN || new.isNaN { return baseline.isNaN && new.isNaN }
        if baseline == new { return true }
        if baseline.isInfinite || new.isInfinite { return false }
        return Swift.abs(new - baseline) <= limit(around: baseline)
    }
}
