import Testing
import DRLSimCore
@testable import DRLDetector

/// Random ping loss: analytic round statistics, bulk vs message-by-message, and the 24 h run.
@Suite struct LossTests {
    /// Mean length of a back-to-back round over n targets with equal round trip `rtt`, per-send
    /// success s, `retries` sends `timeout` apart: the round ends when the slowest target answers
    /// (send k at k x timeout, answer after rtt) or after retries x timeout.
    static func meanRound(n: Int, s: Double, retries: Int, timeout: Double, rtt: Double) -> Double {
        let q = 1 - s
        func F(_ m: Int) -> Double { m < 0 ? 0 : pow1(1 - pow1(q, m + 1), n) }
        var e = 0.0
        for m in 0..<retries { e += (F(m) - F(m - 1)) * (rtt + Double(m) * timeout) }
        return e + (1 - F(retries - 1)) * Double(retries) * timeout
    }
    static func pow1(_ x: Double, _ k: Int) -> Double { (0..<k).reduce(1.0) { r, _ in r * x } }

    /// Over 5 simulated minutes with 5 % loss each way, both engines give the analytic number of
    /// rounds (renewal: duration / mean round): the mean over the 6 detectors within 3 % (about 4
    /// standard errors; one detector's count has a standard deviation of ~1.9 %), each within 8 %.
    @Test(arguments: [false, true])
    func roundCountsMatchTheAnalyticMeanInBothEngines(fast: Bool) throws {
        var c = DetectorConfig(); c.fastRounds = fast
        let h = try DetectorHarness(config: c, seed: 3, wanLoss: 0.05)
        let horizon = 300.0
        h.run(until: horizon)
        h.deployment.finish()
        let s = 0.95 * 0.95
        let mean = Self.meanRound(n: 3, s: s, retries: 5, timeout: 0.1, rtt: 0.005)
        let expected = horizon / mean
        let retriedShare = Self.pow1(1 - s, 3) // every target missed the first send
        for i in 0..<h.deployment.detectors {
            let k = h.deployment.counters(of: i)
            #expect(abs(Double(k.rounds) - expected) < 0.08 * expected, "detector \(i): \(k.rounds) rounds, expected \(expected)")
            #expect(Double(k.retriedRounds) < 10 * retriedShare * Double(k.rounds) + 5)
            #expect(k.deadRounds == 0 && k.votings == 0)
            // external false positives: answered resends, about rounds x n x P(missed first send)
            let efp = Double(k.rounds) * 3 * (1 - s)
            #expect(abs(Double(k.externalFalsePositives) - efp) < 5 * efp.squareRoot() + 0.1 * efp)
        }
        let meanRounds = Double(h.deployment.totals().rounds) / 6
        #expect(abs(meanRounds - expected) < 0.03 * expected)
        #expect(h.rows(.rounds).count == 6)
    }

    /// 1 % random loss on every WAN message for 24 simulated hours, 2 sites x 3 detectors.
    /// Defaults (5 sends): a dead round needs 15 losses in a row, P ~ 3e-26, so no internal false
    /// positive and no false failover. With `retries: 1` a round dies when all three exchanges
    /// fail, P = (1 - 0.99^2)^3 = 7.9e-6 per round: about 60 per detector per day, each one a
    /// voting that the peers' cached "alive" turns into an internal false positive.
    @Test func oneDayOfOnePercentLoss() throws {
        var results: [(DetectorCounters, [DetectorCounters])] = []
        for retries in [5, 1] {
            var c = DetectorConfig(); c.pingRetries = retries
            let h = try DetectorHarness(config: c, seed: 11, wanLoss: 0.01)
            h.run(until: 86_400)
            h.deployment.finish()
            results.append((h.deployment.totals(), (0..<h.deployment.detectors).map { h.deployment.counters(of: $0) }))
            let s = 0.99 * 0.99
            let mean = Self.meanRound(n: 3, s: s, retries: retries, timeout: 0.1, rtt: 0.005)
            for k in results.last!.1 {
                // rounds: renewal count within 1 % (voting pauses are negligible)
                #expect(abs(Double(k.rounds) - 86_400 / mean) < 0.01 * 86_400 / mean)
                // dead rounds: Poisson around rounds x (1 - s)^(3 retries), within 5 sigma
                let dead = Double(k.rounds) * Self.pow1(1 - s, 3 * retries)
                #expect(abs(Double(k.deadRounds) - dead) <= 5 * dead.squareRoot() + 1, "dead rounds \(k.deadRounds), expected \(dead)")
            }
        }
        let (defaults, r1) = (results[0].0, results[1].0)
        print("detector 24h 1% loss: defaults internal FP \(defaults.internalFalsePositives), false failovers \(defaults.falseFailovers); retries 1: internal FP \(r1.internalFalsePositives), false failovers \(r1.falseFailovers), votings \(r1.votings)")
        #expect(defaults.internalFalsePositives == 0 && defaults.falseFailovers == 0)
        #expect(r1.internalFalsePositives > defaults.internalFalsePositives)
        #expect(r1.falseFailovers >= defaults.falseFailovers)
        #expect(r1.internalFalsePositives > 6 * 30) // ~ 6 x 60 expected
        #expect(r1.votings == r1.internalFalsePositives + r1.undecidedVotings + r1.decisions)
    }
}
