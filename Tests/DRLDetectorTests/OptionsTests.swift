import Testing
import DRLSimCore
@testable import DRLDetector

/// The options where paper and code differ: lone detectors, maximum voting attempts, periodic pinging.
@Suite struct OptionsTests {
    /// One detector per site: N = 0 voters, so the dead round decides at once (no voting round trip).
    @Test func loneDetectorDecidesAtTheEndOfTheDeadRound() throws {
        var c = DetectorConfig(); c.detectorsPerSite = 1
        let h = try DetectorHarness(config: c, faults: [.init(at: .seconds(2.0), .siteDown(site: 0))])
        h.run(until: 3)
        let d = try #require(h.decisions(about: 0).first)
        // rounds at multiples of 5 ms; the first whose PING (2.5 ms) arrives at or after 2.0 s
        // starts at 2.0 s exactly and fails 5 x 100 ms later
        let expected = SimInstant.seconds(2.0) + c.roundLimit
        #expect(d.at == expected)
        #expect(h.deployment.totals().votings == 1)
    }

    /// `max_voting_attempts` (the paper): an undecided voting is repeated up to that many times
    /// before going back to pinging. A dead voter that is never dropped (no Updater) keeps every
    /// voting below quorum, so each dead round is followed by exactly 3 undecided votings.
    @Test func maxVotingAttemptsRepeatsUndecidedVotings() throws {
        var c = DetectorConfig(); c.updateInterval = nil; c.maxVotingAttempts = 3
        let h = try DetectorHarness(config: c, faults: [.init(at: .seconds(1.0), .hostDown(site: 1, host: 2)),
                                                        .init(at: .seconds(2.0), .siteDown(site: 0))])
        h.run(until: 20)
        #expect(h.deployment.decisions.isEmpty)
        for n in 0..<2 {
            let k = h.deployment.counters(of: h.deployment.detector(site: 1, number: n))
            #expect(k.deadRounds >= 8)
            // the last cycle may be cut by the end of the run
            #expect(k.votings <= 3 * k.deadRounds && k.votings > 3 * (k.deadRounds - 1))
            #expect(k.undecidedVotings >= k.votings - 1 && k.internalFalsePositives == 0)
        }
    }

    /// The paper's periodic ping: rounds `ping_interval` apart (after an alive round), so over
    /// 60 s each detector runs 60 / (1 s + 5 ms) rounds instead of 60 / 5 ms.
    @Test(arguments: [false, true])
    func periodicPinging(fast: Bool) throws {
        var c = DetectorConfig(); c.pingInterval = .milliseconds(1000); c.fastRounds = fast
        let h = try DetectorHarness(config: c)
        h.run(until: 60)
        h.deployment.finish()
        for i in 0..<h.deployment.detectors {
            #expect(h.deployment.counters(of: i).rounds == 60) // round k ends at 0.005 + k x 1.005 s, k = 0 ... 59
        }
    }
}

/// The witness rule's price and the table's shape.
@Suite struct WitnessAndTableTests {
    /// An unreachable witness vetoes too (value 0): with the witness site down, even a real
    /// disaster leads to no failover. The rule trades availability for safety.
    @Test func unreachableWitnessVetoesEvenARealDisaster() throws {
        let h = try DetectorHarness(witness: true, faults: [.init(at: .seconds(1), .siteDown(site: 2)),
                                                            .init(at: .seconds(2), .siteDown(site: 0))])
        h.run(until: 6)
        #expect(h.deployment.decisions.isEmpty)
        let vetoes = h.rows(.witnessVeto)
        #expect(vetoes.count >= 3 * 3 && vetoes.allSatisfy { $0[3] == .double(0) })
    }

    /// The `detector` table has the contract's columns and one summary row per counter and detector.
    @Test func detectorTableColumnsAndSummaryRows() throws {
        let h = try DetectorHarness(faults: [.init(at: .seconds(1), .siteDown(site: 0))])
        h.run(until: 2)
        h.deployment.finish()
        #expect(h.ctx.recorder.columns["detector"] == ["t_s", "detector", "event", "value"])
        let rows = try #require(h.ctx.recorder.rows["detector"])
        #expect(rows.filter { $0[2] == .text("rounds") }.count == 6)
        #expect(rows.filter { $0[2] == .text("detection_delay") }.map { $0[1] } == [.text("lulea.0"), .text("lulea.1"), .text("lulea.2")])
        #expect(h.deployment.names == ["umea.0", "umea.1", "umea.2", "lulea.0", "lulea.1", "lulea.2"])
    }
}
