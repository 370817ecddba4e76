/// The counts one detector process (or a sum of them) keeps: the metrics of paper Section 5.
///
/// Definitions (paper Section 5, orbit-software.md section 1): an *external false positive* is
/// a resend of a PING (made under the belief that the site may be down) that was answered; an
/// *internal false positive* is a voting started by a failed round whose majority said alive;
/// *retries until up* is the 0-based send at which the first PONG of an alive round arrived;
/// *undecided votings* are counted until the decision. A *false failover* is a FAILED decision
/// while the watched site is actually up.
public struct DetectorCounters: Sendable, Hashable {
    /// Ping rounds finished.
    public var rounds = 0
    /// Rounds that ended alive.
    public var aliveRounds = 0
    /// Rounds that ended dead (every target silent).
    public var deadRounds = 0
    /// `retriesUntilUp[k]`: alive rounds whose first PONG answered send k (0 = first send).
    public var retriesUntilUp: [Int] = []
    /// Answered resends (external false positives).
    public var externalFalsePositives = 0
    /// Votings started.
    public var votings = 0
    /// Votings that said alive (internal false positives).
    public var internalFalsePositives = 0
    /// Undecided votings.
    public var undecidedVotings = 0
    /// FAILED decisions.
    public var decisions = 0
    /// FAILED decisions while the watched site was up.
    public var falseFailovers = 0
    /// FAILED votes vetoed by the witness.
    public var witnessVetoes = 0

    /// Zero counts.
    public init() {}

    /// Alive rounds that needed at least one resend.
    public var retriedRounds: Int { retriesUntilUp.dropFirst().reduce(0, +) }
    /// Mean retries until up over the alive rounds.
    public var meanRetriesUntilUp: Double {
        aliveRounds == 0 ? 0 : Double(retriesUntilUp.enumerated().reduce(0) { $0 + $1.offset * $1.element }) / Double(aliveRounds)
    }

    mutating func recordRounds(_ n: Int, alive: Bool, firstAnswer: Int, answeredRetries: Int) {
        guard n > 0 else { return }
        rounds += n
        if alive {
            aliveRounds += n
            if retriesUntilUp.count <= firstAnswer { retriesUntilUp += Array(repeating: 0, count: firstAnswer + 1 - retriesUntilUp.count) }
            retriesUntilUp[firstAnswer] += n
        } else {
            deadRounds += n
        }
        externalFalsePositives += n * answeredRetries
    }

    /// The element-wise sum.
    public static func + (a: Self, b: Self) -> Self {
        var r = a
        r.rounds += b.rounds; r.aliveRounds += b.aliveRounds; r.deadRounds += b.deadRounds
        if r.retriesUntilUp.count < b.retriesUntilUp.count { r.retriesUntilUp += Array(repeating: 0, count: b.retriesUntilUp.count - r.retriesUntilUp.count) }
        for (k, n) in b.retriesUntilUp.enumerated() { r.retriesUntilUp[k] += n }
        r.externalFalsePositives += b.externalFalsePositives; r.votings += b.votings
        r.internalFalsePositives += b.internalFalsePositives; r.undecidedVotings += b.undecidedVotings
        r.decisions += b.decisions; r.falseFailovers += b.falseFailovers; r.witnessVetoes += b.witnessVetoes
        return r
    }
}

/// The `event` column values of the `detector` table.
public enum DetectorEvent: String, Sendable, CaseIterable {
    /// A round ended dead (value: the round's length in seconds).
    case suspected = "suspected"
    /// A voting said alive (value: 1).
    case internalFalsePositive = "internal_false_positive"
    /// A voting was undecided (value: undecided votings so far in this suspicion).
    case undecidedVoting = "undecided_voting"
    /// The witness vetoed a FAILED vote (value: 1 = it sees the site, 0 = it did not answer).
    case witnessVeto = "witness_veto"
    /// FAILED decided on a site that is down (value: seconds from the disaster to the decision).
    case detectionDelay = "detection_delay"
    /// FAILED decided on a site that is up (value: 1).
    case falseFailover = "false_failover"
    /// Undecided votings before the decision (value: the count).
    case undecidedVotings = "undecided_votings"
    /// The orchestrator received the notification (value: seconds from the disaster, or from the decision for a false failover).
    case notified = "notified"
    /// Seconds from the decision to the orchestrator receiving it.
    case notificationDelay = "notification_delay"
    /// Summary at the end of the run: rounds finished.
    case rounds = "rounds"
    /// Summary: rounds that ended dead.
    case deadRounds = "dead_rounds"
    /// Summary: answered resends (external false positives).
    case externalFalsePositives = "external_false_positives"
    /// Summary: internal false positives.
    case internalFalsePositives = "internal_false_positives"
    /// Summary: alive rounds that needed a resend.
    case retriedRounds = "retried_rounds"
    /// Summary: mean retries until up over alive rounds.
    case retriesUntilUp = "retries_until_up"
    /// Summary: votings.
    case votings = "votings"
    /// Summary: false failovers.
    case falseFailovers = "false_failovers"
}
