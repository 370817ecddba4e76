import DRLSimCore

extension ConfigMapping {
    /// A duration within `range` (an error at the key names the range and `source`, e.g. the
    /// DRBD limits header the bounds come from).
    public func duration(_ key: String, in range: ClosedRange<SimDuration>, source: String, default def: SimDuration? = nil) throws -> SimDuration {
        let d = try duration(key, default: def)
        try check(range.contains(d), key, "\(Units.formatDuration(d)) is outside \(Units.formatDuration(range.lowerBound))..\(Units.formatDuration(range.upperBound)) (\(source))")
        return d
    }

    /// A size within `range`.
    public func size(_ key: String, in range: ClosedRange<Int64>, source: String, default def: Int64? = nil) throws -> Int64 {
        let s = try size(key, default: def)
        try check(range.contains(s), key, "\(Units.formatSize(s)) is outside \(Units.formatSize(range.lowerBound))..\(Units.formatSize(range.upperBound)) (\(source))")
        return s
    }

    /// A rate (bit/s) within `range`.
    public func rate(_ key: String, in range: ClosedRange<Double>, source: String, default def: Double? = nil) throws -> Double {
        let r = try rate(key, default: def)
        try check(range.contains(r), key, "\(Units.formatRate(r)) is outside \(Units.formatRate(range.lowerBound))..\(Units.formatRate(range.upperBound)) (\(source))")
        return r
    }
}
