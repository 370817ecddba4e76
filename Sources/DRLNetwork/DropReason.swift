/// Why a qdisc (or the path) discarded a packet; `QdiscStatistics.drops` is indexed by it.
public enum DropReason: Int, CaseIterable, Sendable, CustomStringConvertible {
    /// Tail drop: the queue's packet or byte limit was reached (pfifo/bfifo/tbf/netem/codel limit).
    case overlimit = 0
    /// The packet is larger than the shaper's bucket (tbf; sch_tbf.c drops it).
    case oversize
    /// CoDel's control law dropped it at dequeue.
    case codel
    /// fq_codel overflow: dropped from the fattest flow (fq_codel_drop).
    case fattestFlow
    /// netem's random loss.
    case netemLoss
    /// Flushed by a reset (the link was blocked while the packet was queued).
    case reset
    /// Discarded because the path is blocked (the paper's iptables DROP rule) or on the wire when it was.
    case blocked
    /// No class matched and no default applies (a classful qdisc that cannot bypass).
    case unclassified
    /// Lost on the link by a loss fault (`LinkFault.loss`), before the qdisc.
    case faultLoss

    /// A readable form.
    public var description: String {
        switch self {
        case .overlimit: "overlimit"
        case .oversize: "oversize"
        case .codel: "codel"
        case .fattestFlow: "fattest-flow"
        case .netemLoss: "netem-loss"
        case .reset: "reset"
        case .blocked: "blocked"
        case .unclassified: "unclassified"
        case .faultLoss: "fault-loss"
        }
    }
}
