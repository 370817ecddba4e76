import DRLSimCore

/// The outcome of one voting.
public enum VotingOutcome: String, Sendable, Hashable {
    /// The majority (with the margin) says the watched site is down.
    case failed
    /// The majority (with the margin) says it is up.
    case alive
    /// Below quorum, or inside the margin.
    case undecided
}

/// One opinion collection of a voter as a pure state machine (orbit-software.md section 1, the
/// final algorithm of orbit-dc-protector).
///
/// All N peer voters are asked in parallel; each answers with its cached opinion; peers that do
/// not answer within `voting_timeout` are left out. The requester counts itself as one dead
/// vote: B = -1 + l - d over a = l + d replies. Quorum a >= floor(N/2) + 1 (below it the real
/// code crashes; here: undecided). Margin thr = ceil(v x a). FAILED if B < 0 and -B >= thr;
/// ALIVE if B >= 0 and B >= thr; otherwise undecided. N = 0 (a lone detector) fails at once.
public struct Voting: Sendable, Hashable {
    /// What the driver must do.
    public enum Action: Sendable, Hashable {
        /// Ask the voters at these positions of `voters`.
        case request([Int])
        /// Call `timeout()` at this instant.
        case scheduleTimeout(SimInstant)
        /// The voting is over.
        case decided(VotingOutcome)
    }

    /// The voting's identity (replies carry it).
    public let id: Int64
    /// The peer voters asked (the requester excluded).
    public let voters: [Int]
    /// Replies saying alive.
    public private(set) var aliveReplies = 0
    /// Replies saying dead.
    public private(set) var deadReplies = 0
    /// The outcome once decided.
    public private(set) var outcome: VotingOutcome?
    private var replied: [Bool]
    private let threshold: Double
    private let limit: SimDuration

    /// A voting `id` over `voters` with margin `threshold` and `timeout`.
    public init(id: Int64, voters: [Int], threshold: Double, timeout: SimDuration) {
        self.id = id; self.voters = voters; self.threshold = threshold; self.limit = timeout
        replied = Array(repeating: false, count: voters.count)
    }

    /// Sends the requests at `now` (N = 0 decides at once).
    public mutating func begin(at now: SimInstant) -> [Action] {
        if voters.isEmpty { return decide() }
        return [.request(Array(voters.indices)), .scheduleTimeout(now + limit)]
    }

    /// The reply of the voter at `position`.
    public mutating func reply(from position: Int, alive: Bool) -> [Action] {
        guard outcome == nil, !replied[position] else { return [] }
        replied[position] = true
        if alive { aliveReplies += 1 } else { deadReplies += 1 }
        return aliveReplies + deadReplies == voters.count ? decide() : []
    }

    /// The voting timeout: decide with the replies received.
    public mutating func timeout() -> [Action] {
        guard outcome == nil else { return [] }
        return decide()
    }

    private mutating func decide() -> [Action] {
        let o = Voting.tally(voters: voters.count, alive: aliveReplies, dead: deadReplies, threshold: threshold)
        outcome = o
        return [.decided(o)]
    }

    /// The decision rule for N peer voters, `alive` + `dead` replies and margin `threshold`.
    public static func tally(voters n: Int, alive l: Int, dead d: Int, threshold v: Double) -> VotingOutcome {
        if n == 0 { return .failed }
        let a = l + d
        if a < n / 2 + 1 { return .undecided }
        let b = -1 + l - d
        let thr = Int((v * Double(a)).rounded(.up))
        if b < 0 && -b >= thr { return .failed }
        if b >= 0 && b >= thr { return .alive }
        return .undecided
    }
}
