import DRLSimCore

/// A scheduled event on WAN links without a failure detector (`wan.faults`): an outage, its end,
/// or a period of random loss, in one or both directions of the primary-backup path.
///
/// - `down`: the direction(s) drop everything from `at` (`Network.block`: queued and in-flight
///   packets and ACKs are lost, as the paper's iptables DROP rule); with `duration`, they come
///   back `duration` later, otherwise at a later `up`.
/// - `up`: the direction(s) carry traffic again at `at` (flows resume at their next RTO).
/// - `loss`: from `at`, every packet and ACK offered to the direction(s) is lost independently
///   with `probability` (a flaky path; drawn from the stream `<prefix>.<from>-<to>.fault-loss`,
///   before the qdisc, counted as `DropReason.faultLoss`); with `duration`, loss returns to 0
///   after it, otherwise it stays until another `loss` event.
/// Blocks from a disaster or a detector fault act on the same link state: an `up` ends any block.
public struct LinkFault: Sendable, Equatable {
    /// What happens.
    public enum Kind: String, Sendable, CaseIterable {
        /// The path drops everything.
        case down
        /// The path carries traffic again.
        case up
        /// Random loss with `probability`.
        case loss
    }

    /// Which directions of the path between two sites.
    public enum Direction: String, Sendable, CaseIterable {
        /// `from -> to` (primary -> backup).
        case forward
        /// `to -> from` (backup -> primary).
        case reverse
        /// Both.
        case both
    }

    /// What happens.
    public var kind: Kind
    /// When (offset from time zero).
    public var at: SimDuration
    /// How long (nil: until a later event).
    public var duration: SimDuration?
    /// Loss probability (`loss` only).
    public var probability: Double
    /// Directions affected.
    public var direction: Direction
    /// The two sites (default primary 0 and backup 1).
    public var from: Int
    /// The other site.
    public var to: Int

    /// A fault.
    public init(_ kind: Kind, at: SimDuration, duration: SimDuration? = nil, probability: Double = 0,
                direction: Direction = .both, from: Int = 0, to: Int = 1) {
        precondition(probability >= 0 && probability <= 1, "LinkFault: probability must be in [0, 1]")
        self.kind = kind; self.at = at; self.duration = duration; self.probability = probability
        self.direction = direction; self.from = from; self.to = to
    }

    /// The ordered site pairs affected.
    public var pairs: [(Int, Int)] {
        switch direction {
        case .forward: return [(from, to)]
        case .reverse: return [(to, from)]
        case .both: return [(from, to), (to, from)]
        }
    }
}

extension Network {
    /// Schedules `fault` (and its end, when it has a duration).
    public func schedule(_ fault: LinkFault) {
        let start = SimInstant.zero + fault.at
        for (a, b) in fault.pairs {
            switch fault.kind {
            case .down:
                block(from: a, to: b, at: start)
                if let d = fault.duration { unblock(from: a, to: b, at: start + d) }
            case .up:
                unblock(from: a, to: b, at: start)
            case .loss:
                let l = link(from: a, to: b)
                let stream = context.stream("\(config.streamPrefix).\(config.sites[a].name)-\(config.sites[b].name).fault-loss")
                let p = fault.probability
                sim.schedule(at: start) { _ in l.setLoss(p, stream: stream) }
                if let d = fault.duration { sim.schedule(at: start + d) { _ in l.setLoss(0, stream: stream) } }
            }
        }
    }
}
