import Testing
import DRLSimCore
@testable import DRLDetector

/// The voting rule of orbit-dc-protector (orbit-software.md section 1) and the issue's table.
@Suite struct VotingTests {
    @Test func issueTable() {
        // N = 2, v = 0.5, one alive and one dead reply: B = -1 + 1 - 1 = -1, thr = ceil(1) = 1 => FAILED
        #expect(Voting.tally(voters: 2, alive: 1, dead: 1, threshold: 0.5) == .failed)
        // the same with v = 1.0: thr = 2 > |B| = 1 => undecided
        #expect(Voting.tally(voters: 2, alive: 1, dead: 1, threshold: 1.0) == .undecided)
        // below quorum: N = 2 needs floor(2/2) + 1 = 2 replies
        #expect(Voting.tally(voters: 2, alive: 0, dead: 1, threshold: 0.5) == .undecided)
        #expect(Voting.tally(voters: 4, alive: 0, dead: 2, threshold: 0.5) == .undecided)
        #expect(Voting.tally(voters: 4, alive: 0, dead: 3, threshold: 0.5) == .failed)
        // N = 0: a lone detector fails at once
        #expect(Voting.tally(voters: 0, alive: 0, dead: 0, threshold: 0.5) == .failed)
    }

    @Test func aliveNeedsTheMargin() {
        // two alive replies: B = 1 >= ceil(0.5 x 2) = 1 => ALIVE; with v = 1: 1 < 2 => undecided
        #expect(Voting.tally(voters: 2, alive: 2, dead: 0, threshold: 0.5) == .alive)
        #expect(Voting.tally(voters: 2, alive: 2, dead: 0, threshold: 1.0) == .undecided)
        // N = 1, one alive reply: B = 0 >= ceil(0.5) = 1? no => undecided (the self vote ties it)
        #expect(Voting.tally(voters: 1, alive: 1, dead: 0, threshold: 0.5) == .undecided)
        #expect(Voting.tally(voters: 1, alive: 0, dead: 1, threshold: 0.5) == .failed)
        // v = 0: B = 0 counts as ALIVE
        #expect(Voting.tally(voters: 1, alive: 1, dead: 0, threshold: 0) == .alive)
    }

    @Test func machineAsksInParallelAndDecidesOnLastReplyOrTimeout() {
        var v = Voting(id: 7, voters: [4, 5], threshold: 0.5, timeout: .milliseconds(500))
        #expect(v.begin(at: .zero) == [.request([0, 1]), .scheduleTimeout(SimInstant(nanoseconds: 500_000_000))])
        #expect(v.reply(from: 1, alive: false) == [])
        #expect(v.reply(from: 1, alive: true) == []) // a duplicate reply is ignored
        #expect(v.reply(from: 0, alive: true) == [.decided(.failed)])
        #expect(v.timeout() == [])

        var w = Voting(id: 8, voters: [4, 5], threshold: 0.5, timeout: .milliseconds(500))
        _ = w.begin(at: .zero)
        _ = w.reply(from: 0, alive: false)
        #expect(w.timeout() == [.decided(.undecided)]) // one of two replies: below quorum

        var lone = Voting(id: 9, voters: [], threshold: 0.5, timeout: .milliseconds(500))
        #expect(lone.begin(at: .zero) == [.decided(.failed)])
    }
}

/// The gopinger round (orbit-software.md section 1).
@Suite struct PingRoundTests {
    let T = SimDuration.milliseconds(100)

    @Test func resendsOnlyToSilentTargetsAndEndsEarly() {
        var r = PingRound(id: 1, start: .zero, targets: [10, 11, 12], retries: 5, timeout: T)
        #expect(r.begin() == [.ping([0, 1, 2]), .scheduleTimeout(.zero + T)])
        #expect(r.pong(from: 1) == [])
        #expect(r.timeout() == [.ping([0, 2]), .scheduleTimeout(.zero + T * 2)])
        #expect(r.pong(from: 0) == [])
        #expect(r.pong(from: 2) == [.finished(alive: true)])
        #expect(r.firstAnswerAttempt == 0)
        #expect(r.answeredRetries == 2)
    }

    @Test func atLeastOneAnswerIsAliveAndSilenceIsDeadAfterRetriesTimesTimeout() {
        var r = PingRound(id: 1, start: .zero, targets: [10, 11], retries: 3, timeout: T)
        _ = r.begin()
        _ = r.timeout()
        #expect(r.pong(from: 0) == [])
        _ = r.timeout()
        #expect(r.timeout() == [.finished(alive: true)])
        #expect(r.firstAnswerAttempt == 1)

        var d = PingRound(id: 2, start: .zero, targets: [10], retries: 5, timeout: T)
        _ = d.begin()
        var last: [PingRound.Action] = []
        for _ in 0..<5 { last = d.timeout() }
        #expect(last == [.finished(alive: false)])
        #expect(d.attempts == 5) // 5 sends: 500 ms, the paper's detection figure
    }
}
