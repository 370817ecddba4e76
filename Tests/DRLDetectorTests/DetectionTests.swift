import Testing
import DRLSimCore
@testable import DRLDetector

/// Site failures, WAN cuts, the witness, stale lists and host crashes, end to end over the
/// fixed-delay transport (WAN 2.5 ms, LAN 0.1 ms one way).
@Suite struct DetectionTests {
    static let wan = SimDuration.microseconds(2500)
    static let lan = SimDuration.microseconds(100)

    /// Defaults (100 ms x 5, voting 500 ms, 3 detectors per site). Bound: the first round whose
    /// PINGs reach the dead site starts within one WAN round trip of (disaster - one-way delay),
    /// fails after 5 x 100 ms, and the vote takes one LAN round trip (every peer's cached opinion
    /// is already "dead" since all rounds run in lockstep). So the decision comes
    /// 0.5 s - 2.5 ms + [0, 5 ms) + 0.2 ms after the disaster, and the orchestrator (host 0 of
    /// the backup site) has it one LAN delay later.
    @Test(arguments: [false, true])
    func siteFailureIsDecidedHalfASecondPlusTheVotingRoundTripAfterTheDisaster(fast: Bool) throws {
        var config = DetectorConfig()
        config.fastRounds = fast
        let disasters = [10.0, 10.0011, 10.0037, 10.00249, 10.0025]
        for t in disasters {
            let h = try DetectorHarness(config: config, faults: [.init(at: .seconds(t), .siteDown(site: 0))])
            h.run(until: t + 2)
            let d = h.decisions(about: 0)
            #expect(d.count == 3) // every backup detector decides
            let lo = config.roundLimit - Self.wan + Self.lan * 2
            let hi = lo + Self.wan * 2
            for x in d {
                let delay = try #require(x.detectionDelay)
                #expect(delay >= lo && delay < hi, "delay \(delay) not in [\(lo), \(hi))")
                #expect(x.undecidedVotings == 0)
            }
            let n = h.deployment.notifications
            #expect(n.count == 3 && n.filter(\.first).count == 1)
            #expect(try #require(n.first).at == (try #require(d.first)).at + Self.lan)
            #expect(h.rows(.detectionDelay).count == 3 && h.rows(.notified).count == 3)
            #expect(h.deployment.landscape.operating[0] == false)
            #expect(h.decisions(about: 1).isEmpty)
        }
    }

    /// Bulk rounds are exact without random loss: decision instants equal the message-by-message run's.
    @Test func bulkRoundsMatchMessageByMessageExactlyWithoutLoss() throws {
        for t in [3.0, 3.00125, 7.3333333, 12.0049] {
            var times: [[SimInstant]] = []
            for fast in [false, true] {
                var c = DetectorConfig(); c.fastRounds = fast; c.fastChunk = .milliseconds(777)
                let h = try DetectorHarness(config: c, faults: [.init(at: .seconds(t), .siteDown(site: 0))])
                h.run(until: t + 2)
                times.append(h.deployment.decisions.map(\.at) + h.deployment.notifications.map(\.at))
            }
            #expect(times[0] == times[1] && times[0].count == 6)
        }
    }

    /// The paper's design cannot tell a cut WAN from a dead site: both sites declare the other
    /// failed (false failovers). With a witness both sites still reach, no failover happens.
    @Test func wanCutWithoutWitnessFailsOverFalselyAndWithWitnessDoesNot() throws {
        let cut: [ScheduledDetectorFault] = [.init(at: .seconds(5.0), .wanBlocked(0, 1, blocked: true))]
        let plain = try DetectorHarness(faults: cut)
        plain.run(until: 10)
        #expect(plain.decisions(about: 0).count == 3 && plain.decisions(about: 1).count == 3)
        #expect(plain.deployment.decisions.allSatisfy { $0.falseFailover })
        #expect(plain.deployment.totals().falseFailovers == 6)
        #expect(plain.rows(.falseFailover).count == 6)
        #expect(plain.deployment.notifications.filter(\.first).count == 2) // split brain: both orchestrators act

        let witnessed = try DetectorHarness(witness: true, faults: cut)
        witnessed.run(until: 10)
        #expect(witnessed.deployment.decisions.isEmpty)
        let vetoes = witnessed.deployment.totals().witnessVetoes
        #expect(vetoes >= 6 * 8) // every detector keeps suspecting every ~0.5 s and is vetoed
        #expect(witnessed.rows(.witnessVeto).allSatisfy { $0[3] == .double(1) })
    }

    /// With a witness, a real disaster is still decided (the witness sees the site down too).
    @Test func witnessConfirmsARealDisaster() throws {
        let h = try DetectorHarness(witness: true, faults: [.init(at: .seconds(4.0), .siteDown(site: 0))])
        h.run(until: 6)
        let d = h.decisions(about: 0)
        #expect(d.count == 3)
        // + one WAN round trip to the witness (2 x 2.5 ms) on top of the plain bound
        for x in d { #expect(try #require(x.detectionDelay) < .milliseconds(510)) }
        #expect(h.deployment.totals().witnessVetoes == 0)
    }

    /// A voter died after the last Updater read: the listed N = 2 voters give one reply, below
    /// quorum, so votings stay undecided until the next read drops the dead voter (N = 1, its
    /// "dead" reply then decides). Without refreshes the decision never comes.
    @Test func staleVoterListDelaysOrBlocksTheDecision() throws {
        let faults: [ScheduledDetectorFault] = [.init(at: .seconds(10.02), .hostDown(site: 1, host: 2)),
                                                .init(at: .seconds(10.05), .siteDown(site: 0))]
        let h = try DetectorHarness(faults: faults)
        h.run(until: 14)
        let d = h.decisions(about: 0)
        #expect(d.count == 2)
        for x in d {
            #expect(x.at >= .seconds(11.0)) // the first Updater read after the voter died (reads at 1 s, 2 s, ...)
            #expect(x.at > .seconds(11.55)) // round (0.5 s) + undecided voting (0.5 s timeout) + round (0.5 s)
            #expect(x.at < .seconds(11.56))
            #expect(x.undecidedVotings >= 1)
        }
        let baseline = try DetectorHarness(faults: [faults[1]])
        baseline.run(until: 14)
        #expect(baseline.decisions(about: 0).allSatisfy { $0.at < .seconds(10.56) })

        var frozen = DetectorConfig()
        frozen.updateInterval = nil
        let blocked = try DetectorHarness(config: frozen, faults: faults)
        blocked.run(until: 40)
        #expect(blocked.decisions(about: 0).isEmpty)
        #expect(blocked.deployment.totals(site: 1).undecidedVotings >= 2 * 25) // one per 0.5 s round + 0.5 s voting timeout
    }

    /// A partition cuts one backup pinger off the primary: it suspects, its peers vote alive
    /// (internal false positives), nobody fails over.
    @Test func partialPartitionGivesInternalFalsePositivesOnly() throws {
        let h = try DetectorHarness(faults: [.init(at: .seconds(5), .partition(site: 1, hosts: [0], remote: 0, cut: true))])
        h.run(until: 10)
        #expect(h.deployment.decisions.isEmpty)
        let c = h.deployment.counters(of: h.deployment.detector(site: 1, number: 0))
        #expect(c.internalFalsePositives >= 8 && c.internalFalsePositives <= 10) // one per ~0.5 s round
        #expect(h.deployment.totals(site: 1).internalFalsePositives == c.internalFalsePositives)
        // the primary's pingers lose one of three targets: alive rounds that wait out all retries
        #expect(h.deployment.totals(site: 0).deadRounds == 0)
    }

    /// One target host crashes: rounds stay alive (at least one answer) but wait for the silent
    /// target until the Updater drops it; no voting happens.
    @Test func targetHostCrashIsSeenAsStaleTargetsNotAsAFailure() throws {
        var c = DetectorConfig(); c.updateInterval = .milliseconds(2000)
        let h = try DetectorHarness(config: c, faults: [.init(at: .seconds(5.0), .hostDown(site: 0, host: 1))])
        h.run(until: 5.9)
        let before = h.deployment.totals(site: 1)
        #expect(h.deployment.targets(of: h.deployment.detector(site: 1, number: 0)).count == 3) // stale
        h.run(until: 6.5)
        #expect(h.deployment.targets(of: h.deployment.detector(site: 1, number: 0)).count == 2) // read at 6 s
        let after = h.deployment.totals(site: 1)
        #expect(after.votings == 0 && after.deadRounds == 0)
        // between 5 s and 6 s every backup round waits out 5 x 100 ms: about 2 rounds per detector
        #expect(before.rounds - 3 * 1000 <= 3 * 3)
    }

    /// After a decision the watcher parks; once the operator marks the site operating (and it is
    /// up), watching resumes at the next Updater read and a second disaster is detected.
    @Test func parkedUntilMarkedOperating() throws {
        let h = try DetectorHarness(faults: [
            .init(at: .seconds(2), .siteDown(site: 0)),
            .init(at: .seconds(5), .siteUp(site: 0)),
            .init(at: .seconds(6), .markOperating(site: 0)),
            .init(at: .seconds(9), .siteDown(site: 0)),
        ])
        h.run(until: 5.9)
        let parkedRounds = h.deployment.totals(site: 1).rounds
        h.run(until: 6.0)
        #expect(h.deployment.totals(site: 1).rounds == parkedRounds) // no pinging while parked
        h.run(until: 11)
        let d = h.decisions(about: 0)
        #expect(d.count == 6)
        #expect(d.filter { $0.at > .seconds(9) }.allSatisfy { $0.detectionDelay! < .milliseconds(503) })
        #expect(h.deployment.notifications.filter(\.first).count == 2)
    }
}
