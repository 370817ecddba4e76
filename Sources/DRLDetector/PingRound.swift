import DRLSimCore

/// One ping round of a pinger as a pure state machine (orbit-software.md section 1, gopinger).
///
/// PING every target; after each `timeout` resend to the targets that have not answered yet,
/// `retries` sends in total; the round ends early when every target answered, else after the
/// last timeout. The watched site is alive when at least one target answered. PONGs of an older
/// round are not fed here (the driver drops them by round id: "a PONG older than the round
/// start is ignored").
public struct PingRound: Sendable, Hashable {
    /// What the driver must do.
    public enum Action: Sendable, Hashable {
        /// PING the targets at these positions of `targets`.
        case ping([Int])
        /// Call `timeout()` at this instant.
        case scheduleTimeout(SimInstant)
        /// The round is over; `alive` is at-least-one-answer liveness.
        case finished(alive: Bool)
    }

    /// The round's identity (PONGs carry it).
    public let id: Int64
    /// When the first PINGs went out.
    public let start: SimInstant
    /// The targets (process indices) pinged in this round.
    public let targets: [Int]
    /// Which targets have answered.
    public private(set) var answered: [Bool]
    /// Sends made so far (1 ... retries).
    public private(set) var attempts: Int = 0
    /// The 0-based send at which the first PONG arrived (retries until the site is seen up).
    public private(set) var firstAnswerAttempt: Int?
    /// PONGs that answered a resend: calls made under the belief the site may be down that
    /// said "up" (the paper's external false positives).
    public private(set) var answeredRetries: Int = 0
    /// True once `finished` was returned.
    public private(set) var isFinished = false
    private let retries: Int
    private let period: SimDuration

    /// A round `id` over `targets`, started at `start`.
    public init(id: Int64, start: SimInstant, targets: [Int], retries: Int, timeout: SimDuration) {
        self.id = id; self.start = start; self.targets = targets
        self.answered = Array(repeating: false, count: targets.count)
        self.retries = retries; self.period = timeout
    }

    /// Sends the first PINGs (a round without targets is dead at once).
    public mutating func begin() -> [Action] {
        if targets.isEmpty { isFinished = true; return [.finished(alive: false)] }
        attempts = 1
        return [.ping(Array(targets.indices)), .scheduleTimeout(start + period)]
    }

    /// A PONG of this round from the target at position `position`.
    public mutating func pong(from position: Int) -> [Action] {
        guard !isFinished, !answered[position] else { return [] }
        answered[position] = true
        if firstAnswerAttempt == nil { firstAnswerAttempt = attempts - 1 }
        if attempts > 1 { answeredRetries += 1 }
        if !answered.contains(false) { isFinished = true; return [.finished(alive: true)] }
        return []
    }

    /// The timeout of the current send.
    public mutating func timeout() -> [Action] {
        guard !isFinished else { return [] }
        if attempts < retries {
            attempts += 1
            let silent = answered.indices.filter { !answered[$0] }
            return [.ping(silent), .scheduleTimeout(start + period * Int64(attempts))]
        }
        isFinished = true
        return [.finished(alive: answered.contains(true))]
    }

    /// Rebuilds a round in progress (used when a bulk-simulated round continues message by message).
    init(id: Int64, start: SimInstant, targets: [Int], retries: Int, timeout: SimDuration,
         answered: [Bool], attempts: Int, firstAnswerAttempt: Int?, answeredRetries: Int) {
        self.init(id: id, start: start, targets: targets, retries: retries, timeout: timeout)
        self.answered = answered; self.attempts = attempts
        self.firstAnswerAttempt = firstAnswerAttempt; self.answeredRetries = answeredRetries
    }
}
