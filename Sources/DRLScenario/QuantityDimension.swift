import DRLSimCore

/// The physical dimension of a quantity in a scenario, and its base unit in models.
///
/// Distribution parameters are converted to the base unit: seconds for `.time` (so
/// `Sampler.nextDuration()` works), bytes for `.size`, bits per second for `.rate`, and plain
/// numbers for `.number`.
public enum QuantityDimension: String, Sendable, Hashable {
    /// Durations (`100ms`); base unit: seconds.
    case time
    /// Sizes (`64kb`, `5GiB`); base unit: bytes.
    case size
    /// Rates (`500mbit`); base unit: bits per second.
    case rate
    /// Dimensionless numbers (counts, probabilities).
    case number

    /// Parses one quantity of this dimension into the base unit.
    public func parse(_ v: ConfigValue) throws -> Double {
        switch self {
        case .time: return try v.duration().seconds
        case .size: return Double(try v.size())
        case .rate: return try v.rate()
        case .number: return try v.double()
        }
    }

    /// Prints a base-unit value with this dimension's unit.
    public func format(_ x: Double) -> String {
        switch self {
        case .time: return Units.formatDuration(.seconds(x))
        case .size: return Units.formatSize(Int64(x.rounded()))
        case .rate: return Units.formatRate(x)
        case .number: return Units.formatNumber(x)
        }
    }
}
