import DRLSimCore
import DRLNetwork

/// `TrafficShaping` on a DRLNetwork link whose root qdisc is HTB: the bandwidth-shares driver
/// sets leaf class rates with `tc class change` semantics (`HtbClass.change`).
///
/// Measurements per traffic class: the backlog and, as the arrival rate, the class's measured
/// send rate since the previous measurement (bits/s). The backlog is what the class's leaf qdisc
/// queues, or, when `senderBacklog` is set, the larger of that and what the class's senders
/// still hold (e.g. DRBD's backlog: blocked writes, socket buffer and in flight, out-of-sync
/// bitmap, resync; a superset of the leaf queue, so the two are not added).
public final class HTBShaper: TrafficShaping {
    /// The shaped link.
    public let link: Link
    /// Bytes the senders of a traffic class still hold, by class name (nil: leaf queues only).
    public var senderBacklog: ((String) -> Int64)?
    private var last: [String: (bytes: Int64, at: SimInstant)] = [:]

    /// A shaper of `link` (its root must be `htb`).
    public init(link: Link) { self.link = link }

    private var htb: HtbQdisc? { link.root as? HtbQdisc }

    private func leaf(_ name: String) -> HtbClass? {
        guard let tc = TrafficClass(name: name) else { return nil }
        return htb?.leaf(for: tc)
    }

    /// The link's line rate.
    public var shapedCapacity: Double { Double(link.rate.bitsPerSecond) }

    /// Leaf backlog and measured send rate of each class (zero for unknown classes).
    public func measure(classes: [String], now: SimInstant) -> [ShapingInput.ClassState] {
        classes.map { name in
            guard let c = leaf(name) else { return .init(name: name, backlogBytes: 0, arrivalRate: 0) }
            let sent = c.sentBytes
            var rate = 0.0
            if let p = last[name], now > p.at { rate = Double(sent - p.bytes) * 8 / (now - p.at).seconds }
            last[name] = (sent, now)
            let queued = c.leaf?.stats.backlogBytes ?? 0
            let held = senderBacklog?(name) ?? 0
            return .init(name: name, backlogBytes: Double(Swift.max(queued, held)), arrivalRate: rate)
        }
    }

    /// Changes the class's leaf rate and ceil.
    public func setRate(_ setting: RateSetting) {
        guard let c = leaf(setting.trafficClass) else { return }
        c.change(rate: Rate(bitsPerSecond: Int64(setting.rate.rounded())),
                 ceil: Rate(bitsPerSecond: Int64(setting.ceil.rounded())))
    }
}
