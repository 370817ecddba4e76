import Testing
@testable import DRLExperiment

/// `drlsim compare --curves`: which curves the paper's figures draw, and the restricted verdict.
struct CurveFilterTests {
    @Test func globMatchesRunsOfCharacters() {
        #expect(CurveFilter.glob("traffic.bytes[class=*]", "traffic.bytes[class=image;direction=umea->lulea]"))
        #expect(CurveFilter.glob("*", ""))
        #expect(CurveFilter.glob("a*b*c", "aXbYbZc"))
        #expect(!CurveFilter.glob("a*b*c", "aXbYbZ"))
        #expect(!CurveFilter.glob("traffic.bytes[*", "traffic.rate_bps[class=image]"))
    }

    @Test func thePaperFiguresSelectMeanProtectionTimesTrafficAndRecoveryPhases() {
        let f = CurveFilter.parse("figures")
        #expect(f == .paperFigures)
        #expect(f.matches(curve: "protection.duration_s[action=volume-replication;status=completed]", statistic: "mean"))
        #expect(!f.matches(curve: "protection.duration_s[action=volume-replication;status=completed]", statistic: "p90"))
        #expect(!f.matches(curve: "protection.duration_s[action=image-copy;status=censored]", statistic: "mean"))
        #expect(f.matches(curve: "traffic.bytes[class=replication;direction=umea->lulea]", statistic: "mean"))
        #expect(f.matches(curve: "traffic.rate_bps[class=image;direction=umea->lulea]", statistic: "p90"))
        #expect(f.matches(curve: "recovery.detected_s-disaster_s[kind=vm;policy=replication;status=recovered]", statistic: "mean"))
        #expect(!f.matches(curve: "dr_summary.mean[metric=writes.latency_p99_s;group=vm=transcoder]", statistic: "mean"))
        let e = CurveFilter.parse("estate")
        #expect(e == .estate)
        #expect(e.matches(curve: "dr_summary.mean[metric=recovery.group_rto_s;group=priority=1]", statistic: "mean"))
        #expect(e.matches(curve: "dr_summary.p95[metric=rpo.rpo_s;group=action=volume-replication]", statistic: "mean"))
        #expect(!e.matches(curve: "dr_summary.p95[metric=rpo.vm_rpo_s;group=vm=gold-01]", statistic: "mean"))
        #expect(!e.matches(curve: "dr_summary.mean[metric=writes.throttled_share;group=vm=gold-01]", statistic: "mean"))
        let p = CurveFilter.parse("rpo.rpo_s[*]@p90, traffic.*")
        #expect(p.patterns == ["rpo.rpo_s[*]@p90", "traffic.*"])
        #expect(p.matches(curve: "rpo.rpo_s[action=volume-replication]", statistic: "p90"))
        #expect(!p.matches(curve: "rpo.rpo_s[action=volume-replication]", statistic: "mean"))
        #expect(p.matches(curve: "traffic.bytes[class=image]", statistic: "p10"))
    }

    @Test func aRestrictedComparisonIgnoresCurvesOutsideTheFilter() {
        func set(_ protection: Double, _ latency: Double) -> CurveSet {
            CurveSet(sweptKeys: [], values: [
                CurveValue(point: 0, pointValues: [], table: "protection", column: "duration_s",
                           group: "action=image-copy;status=completed", statistic: "mean", value: protection),
                CurveValue(point: 0, pointValues: [], table: "dr_summary", column: "mean",
                           group: "metric=writes.latency_p99_s;group=vm=t", statistic: "mean", value: latency),
            ])
        }
        let c = ModelComparison.compare(reference: set(100, 0.2), other: set(104, 0.5), names: ("packet", "flow"),
                                        tolerance: Tolerance(rel: 0.05, abs: 0.01))
        #expect(!c.passed)                       // the latency differs by 150 %
        let r = c.restricted(to: .paperFigures)
        #expect(r.rows.count == 1 && r.passed)   // the protection mean is within 5 %
        #expect(!ModelComparison.compare(reference: set(100, 0.2), other: set(106, 0.2), names: ("packet", "flow"),
                                         tolerance: Tolerance(rel: 0.05, abs: 0.01)).restricted(to: .paperFigures).passed)
    }
}
