import Foundation

/// Which compared curves count (`drlsim compare --curves`): a list of patterns `CURVE@STAT`
/// (`*` matches any run of characters, `@STAT` may be left out: every statistic), or the named
/// set `figures`, the curves the paper's figures draw (`CurveFilter.paperFigures`).
public struct CurveFilter: Sendable, Equatable {
    /// The patterns, each `curve-glob@stat-glob`.
    public var patterns: [String]

    /// A filter of `patterns`.
    public init(patterns: [String]) { self.patterns = patterns }

    /// The curves the paper's section 6 figures draw (Fig. 7-11 of "Disaster Recovery Layer for
    /// Distributed OpenStack Deployments"):
    /// - Fig. 7 and 8: the mean protection time per action (VM snapshot, image copy, volume
    ///   snapshot, volume replication): `protection.duration_s[action=*;status=completed]` mean;
    /// - Fig. 9 and 10: the outgoing traffic per class, cumulative (`traffic.bytes` per run,
    ///   mean over replications) and in 10 s bins (`traffic.rate_bps`, the bins' mean and
    ///   90 % quantile: the binned curve's level and peaks; `CurveFilter.binnedTraffic`);
    /// - Fig. 11: the recovery time and its phases (detection, trigger, recovery, responsive):
    ///   the mean of `recovery.rto_s` and of each phase column (`detected_s-disaster_s`, ...).
    public static let paperFigures = CurveFilter(patterns: [
        "protection.duration_s[action=*;status=completed]@mean",
        "traffic.bytes[class=*]@mean",
        "traffic.rate_bps[class=*]@mean",
        "traffic.rate_bps[class=*]@p90",
        "recovery.rto_s[*status=*]@mean",
        "recovery.detected_s-disaster_s[*]@mean",
        "recovery.notified_s-detected_s[*]@mean",
        "recovery.recovery_started_s-notified_s[*]@mean",
        "recovery.recovered_s-recovery_started_s[*]@mean",
        "recovery.responsive_s-recovered_s[*]@mean",
    ])

    /// What issue 16 asks of an estate (`estate`): the RTO (per priority group and the
    /// estate's, `recovery.group_rto_s`; per VM kind, `recovery.rto_s`: means), the RPO's 95 %
    /// quantile per action (`dr_summary` p95 of `rpo.rpo_s`) and the traffic per class (mean
    /// cumulative bytes).
    public static let estate = CurveFilter(patterns: [
        "dr_summary.mean[metric=recovery.group_rto_s;*",
        "dr_summary.mean[metric=recovery.rto_s;*",
        "dr_summary.p95[metric=rpo.rpo_s;*",
        "traffic.bytes[class=*]@mean",
    ])

    /// The 10 s-binned traffic curve of Fig. 9-10 (the bins' rate per class and direction),
    /// which `drlsim check`'s default list does not extract; `drlsim compare` adds it.
    public static let binnedTraffic = CurveSpec(table: "traffic", groupBy: ["class", "direction"], column: "rate_bps",
                                                statistics: [.mean, .p50, .p90])

    /// `figures` (the paper's figure curves), `estate` (RTO, RPO p95, traffic per class) or a
    /// comma-separated list of patterns.
    public static func parse(_ text: String) -> CurveFilter {
        if text == "figures" { return .paperFigures }
        if text == "estate" { return .estate }
        return CurveFilter(patterns: text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty })
    }

    /// Whether the value of `curve` for `statistic` is selected.
    public func matches(curve: String, statistic: String) -> Bool {
        patterns.contains { p in
            let parts = p.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            let c = String(parts[0]), s = parts.count > 1 ? String(parts[1]) : "*"
            return Self.glob(c, curve) && Self.glob(s, statistic)
        }
    }

    /// Whether `text` matches `pattern`, where `*` matches any run of characters (greedy with
    /// backtracking to the last star).
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var i = 0, j = 0, star = -1, mark = 0
        while j < t.count {
            if i < p.count, p[i] != UInt8(ascii: "*"), p[i] == t[j] { i += 1; j += 1 }
            else if i < p.count, p[i] == UInt8(ascii: "*") { star = i; mark = j; i += 1 }
            else if star >= 0 { i = star + 1; mark += 1; j = mark }
            else { return false }
        }
        while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
        return i == p.count
    }
}

extension ModelComparison {
    /// The rows `filter` selects (same models and tolerance).
    public func restricted(to filter: CurveFilter) -> ModelComparison {
        ModelComparison(reference: reference, other: other, tolerance: tolerance,
                        rows: rows.filter { filter.matches(curve: $0.curve, statistic: $0.statistic) })
    }
}
