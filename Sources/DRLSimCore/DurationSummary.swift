/// Statistics of durations some of which are right-censored (cut off by the run's end), the
/// one definition every summary, `check` curve and claim uses (Docs/statistics.md).
///
/// Plain statistics (`mean`, `p50`, `p95`, `max`, the Student-t 95 % interval of the mean)
/// are over **finished** samples only; `censored` counts the others. A censored sample's
/// value is a lower bound of its duration, so:
/// - `lowerBoundMean` = the mean over finished values and censored lower bounds together: the
///   true mean of every sample is at least this (report it as "≥");
/// - `kmMedian` = the Kaplan-Meier (product-limit) estimate of the median (Kaplan & Meier
///   1958): S(t) = prod over event times t_i <= t of (1 - d_i / n_i), with d_i finished samples
///   at t_i and n_i samples (finished or censored) with value >= t_i; the median is the
///   smallest t_i with S(t_i) <= 0.5, and +inf when S never falls to 0.5 (more than half cut
///   off: the median is beyond the largest censored value, `maxCensored`). Without censoring
///   it is the lower empirical median.
public struct DurationSummary: Sendable, Equatable {
    /// Finished samples.
    public var n: Int
    /// Censored samples.
    public var censored: Int
    /// Mean of finished samples (NaN without any).
    public var mean: Double
    /// Median of finished samples (linear interpolation).
    public var p50: Double
    /// 95 % quantile of finished samples.
    public var p95: Double
    /// Largest finished sample.
    public var max: Double
    /// Student-t 95 % interval of the finished mean (NaN below two samples).
    public var ciLow: Double
    /// Upper end.
    public var ciHigh: Double
    /// Mean over finished values and censored lower bounds: a lower bound of the true mean.
    public var lowerBoundMean: Double
    /// Kaplan-Meier median (+inf when more than half are censored beyond every event).
    public var kmMedian: Double
    /// Largest censored lower bound (NaN without censoring).
    public var maxCensored: Double

    /// The summary of `finished` values and `censored` lower bounds (non-finite values are ignored).
    public init(finished: [Double], censored: [Double] = []) {
        let f = finished.filter(\.isFinite), c = censored.filter(\.isFinite)
        n = f.count
        self.censored = c.count
        mean = Statistics.mean(f)
        p50 = Statistics.quantile(f, 0.5)
        p95 = Statistics.quantile(f, 0.95)
        max = f.max() ?? .nan
        let ci = Statistics.confidenceInterval(f, level: 0.95)
        ciLow = ci.lower
        ciHigh = ci.upper
        lowerBoundMean = Statistics.mean(f + c)
        kmMedian = Self.kaplanMeierMedian(finished: f, censored: c)
        maxCensored = c.max() ?? .nan
    }

    /// True when censoring matters: some samples are censored.
    public var isCensored: Bool { censored > 0 }

    /// The Kaplan-Meier median of `finished` event times with right-censored `censored` values
    /// (NaN for no samples; +inf when the survival never falls to 0.5).
    public static func kaplanMeierMedian(finished: [Double], censored: [Double]) -> Double {
        guard !finished.isEmpty || !censored.isEmpty else { return .nan }
        let events = finished.sorted()
        let cens = censored.sorted()
        var s = 1.0
        var i = 0
        while i < events.count {
            let t = events[i]
            var d = 0
            while i + d < events.count, events[i + d] == t { d += 1 }
            // At risk: every sample with value >= t (censored at t count as at risk at t).
            let atRiskEvents = events.count - i
            let atRiskCensored = cens.count - (cens.firstIndex { $0 >= t } ?? cens.count)
            let atRisk = atRiskEvents + atRiskCensored
            s *= 1 - Double(d) / Double(atRisk)
            if s <= 0.5 + 1e-12 { return t }
            i += d
        }
        return .infinity
    }
}
