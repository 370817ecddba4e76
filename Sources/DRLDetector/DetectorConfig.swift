import DRLSimCore

/// The failure detector's parameters: the paper's values by default, the released code's behaviour as options.
///
/// Sources: paper Section 5 ("5*100 msec is the resulting detection delay for 5 ping retries, of
/// 100 msec period"); `shared/reference/orbit-software.md` section 1 (orbit-dc-protector: gopinger
/// timeout 100 ms and 5 sends, votingtimeout 500 ms and updateinterval 1000 ms in the demo
/// configs, votingthreshold without a default in the code, back-to-back rounds, no maximum of
/// voting attempts). Where paper and code differ, the paper's value is the default.
public struct DetectorConfig: Sendable, Hashable {
    /// Time a pinger waits for PONGs before resending to the silent targets (gopinger `timeout`; paper: 100 ms).
    public var pingTimeout: SimDuration = .milliseconds(100)
    /// PINGs sent per target in one round, the first included (gopinger `retries`; paper: 5).
    public var pingRetries: Int = 5
    /// Idle time after an alive round before the next one: zero = back-to-back as in the final
    /// code; the paper's "periodic intervals" as an option.
    public var pingInterval: SimDuration = .zero
    /// How long a voter waits for its peers' replies (orbit-dc-protector `votingtimeout`, 500 ms in the demo configs).
    public var votingTimeout: SimDuration = .milliseconds(500)
    /// Margin v of the vote: thr = ceil(v x replies) (`votingthreshold`; no default in the code, 0.5 per the brief).
    public var votingThreshold: Double = 0.5
    /// Maximum number of votings in a row after one failed round (paper: "retried up to a maximum
    /// number of attempts"); `nil` = the final code: an undecided voting goes back to pinging.
    public var maxVotingAttempts: Int? = nil
    /// Period of the Updater that re-reads the landscape (`updateinterval`, 1000 ms in the demo
    /// configs); `nil` disables refreshes after the initial read (lists stay as at start).
    public var updateInterval: SimDuration? = .milliseconds(1000)
    /// Detector processes per site, one per host starting at host 0 (the paper's testbed ran 3
    /// per site in the ORBIT demo; the brief's default).
    public var detectorsPerSite: Int = 3
    /// Bytes of a UDP PING or PONG on the wire (20 B IP + 8 B UDP + a small gopinger payload; an estimate).
    public var pingBytes: Int = 64
    /// Bytes of an HTTP vote request, vote reply, witness query or reply (an estimate of a small HTTP/1.1 exchange).
    public var voteBytes: Int = 300
    /// Bytes of the HTTP notification to the DR-Orchestrator and of its acknowledgement (an estimate).
    public var notifyBytes: Int = 500
    /// Resend period of an unacknowledged orchestrator notification (HTTP over TCP retries; an estimate).
    public var notifyRetry: SimDuration = .milliseconds(500)
    /// Simulate runs of steady rounds in bulk when the transport is predictable (exact in
    /// distribution, see `Detector+FastRounds.swift`); false = every PING is an event.
    public var fastRounds: Bool = true
    /// Longest stretch of simulated time one bulk step covers (bounds memory, not accuracy).
    public var fastChunk: SimDuration = .milliseconds(10_000)

    /// The defaults above.
    public init() {}

    /// Worst case of one ping round: retries x timeout (paper Section 5: 5 x 100 ms = 500 ms).
    public var roundLimit: SimDuration { pingTimeout * Int64(pingRetries) }

    /// Why the configuration cannot run, or nil.
    public var invalidReason: String? {
        if pingTimeout <= .zero { return "ping_timeout must be positive" }
        if pingRetries < 1 { return "ping_retries must be at least 1" }
        if pingInterval < .zero { return "ping_interval must not be negative" }
        if votingTimeout <= .zero { return "voting_timeout must be positive" }
        if !(votingThreshold >= 0 && votingThreshold <= 1) { return "voting_threshold must be in [0, 1]" }
        if let m = maxVotingAttempts, m < 1 { return "max_voting_attempts must be at least 1" }
        if let u = updateInterval, u <= .zero { return "update_interval must be positive" }
        if detectorsPerSite < 1 { return "detectors_per_site must be at least 1" }
        if fastChunk <= .zero { return "fast_chunk must be positive" }
        return nil
    }
}
