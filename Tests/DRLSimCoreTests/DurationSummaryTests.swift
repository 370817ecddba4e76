import Testing
@testable import DRLSimCore

/// `DurationSummary` (Docs/statistics.md) with hand-computed Kaplan-Meier estimates.
struct DurationSummaryTests {
    /// Finished 1, 2, 3; censored 2.5, 4, 5. S(1) = 5/6; at 2: 5 at risk (2, 3, 2.5, 4, 5),
    /// S = 5/6 x 4/5 = 2/3; at 3: 3 at risk (3, 4, 5), S = 2/3 x 2/3 = 4/9 <= 1/2: median 3.
    @Test func kaplanMeierMedianByHand() {
        let d = DurationSummary(finished: [3, 1, 2], censored: [5, 2.5, 4])
        #expect(d.n == 3 && d.censored == 3)
        #expect(d.kmMedian == 3)
        #expect(d.mean == 2 && d.max == 3 && d.p50 == 2)
        #expect(abs(d.lowerBoundMean - 17.5 / 6) < 1e-12)
        #expect(d.maxCensored == 5)
    }

    /// Issue 13's case: no 5 GiB snapshot finishes at 50 mbit; the five cut at 1500, 1200, 900,
    /// 600 and 300 s have no mean, a lower-bound mean of 900 s and an unknown (infinite) median.
    @Test func everythingCensoredHasNoMeanOnlyALowerBound() {
        let d = DurationSummary(finished: [], censored: [1500, 1200, 900, 600, 300])
        #expect(d.n == 0 && d.censored == 5)
        #expect(d.mean.isNaN && d.p50.isNaN && d.max.isNaN)
        #expect(d.lowerBoundMean == 900)
        #expect(d.kmMedian == .infinity)
    }

    /// Without censoring the KM median is the lower empirical median; the CI is Student-t.
    @Test func withoutCensoringItIsThePlainStatistics() {
        let d = DurationSummary(finished: [4, 1, 3, 2])
        #expect(d.censored == 0 && !d.isCensored)
        #expect(d.kmMedian == 2)        // S(2) = 1/2
        #expect(d.p50 == 2.5)
        #expect(d.lowerBoundMean == d.mean)
        // mean 2.5, sd sqrt(5/3), t(0.975, 3) = 3.182446305
        let hw = 3.182446305284263 * (5.0 / 3.0).squareRoot() / 2
        #expect(abs(d.ciHigh - (2.5 + hw)) < 1e-9 && abs(d.ciLow - (2.5 - hw)) < 1e-9)
    }

    @Test func censoringBeforeEveryEventLowersTheRiskSet() {
        // Censored 1 leaves 2 at risk at 2: S(2) = 1/2 -> median 2 (a plain median of 2, 3 gives 2.5).
        #expect(DurationSummary.kaplanMeierMedian(finished: [2, 3], censored: [1]) == 2)
        #expect(DurationSummary.kaplanMeierMedian(finished: [], censored: []).isNaN)
    }
}
