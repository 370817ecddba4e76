import DRLSimCore

/// A queueing discipline with Linux semantics (net/sched), in the ns-3 traffic-control shape.
///
/// Public `enqueue`/`dequeue`/`peek` keep the statistics (`QdiscStatistics`) and call the
/// discipline's hooks `doEnqueue`/`doDequeue`/`doReset`; a new discipline is one subclass in one
/// file plus its `QdiscPlugin` registered in `QdiscRegistry.standard`. Classful qdiscs own child qdiscs (`children`) whose
/// internal drops propagate upwards like Linux's `qdisc_tree_reduce_backlog`, so every level's
/// books stay consistent. A shaper that holds packets but cannot send yet calls
/// `requestWakeup(at:)` (the kernel's qdisc_watchdog), which reaches the device at the root.
open class Qdisc {
    /// The tc kind (`"pfifo"`, `"tbf"`, ...).
    public let kind: String
    /// The qdisc's books.
    @exclusivity(unchecked) public internal(set) var stats = QdiscStatistics()
    /// The enclosing qdisc, nil at the root.
    @exclusivity(unchecked) public internal(set) weak var parent: Qdisc?
    /// At the root: told about every packet dropped anywhere in the tree.
    @exclusivity(unchecked) public var onDrop: ((Packet, DropReason) -> Void)?
    /// At the root: told when a throttled shaper wants to be dequeued again.
    @exclusivity(unchecked) public var onWakeup: ((SimInstant) -> Void)?
    /// A packet taken from `doDequeue` by `peek` and not yet handed out (qdisc_peek_dequeued).
    @exclusivity(unchecked) private var stash: Packet?

    /// A qdisc of kind `kind`.
    public init(kind: String) { self.kind = kind }

    /// Child qdiscs (classful disciplines), for inspection and tree-wide operations.
    open var children: [Qdisc] { [] }

    /// Offers `packet` at `now`; returns `.dropped(reason)` when it was refused.
    @discardableResult
    public final func enqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        var p = packet
        p.enqueuedAt = now
        stats.offeredPackets += 1
        stats.offeredBytes += Int64(p.bytes)
        switch doEnqueue(p, now: now) {
        case .accepted:
            stats.enqueuedPackets += 1
            stats.enqueuedBytes += Int64(p.bytes)
            stats.backlogPackets += 1
            stats.backlogBytes += Int64(p.bytes)
            return .accepted
        case .dropped(let reason):
            stats.drops[reason.rawValue] += 1
            stats.dropBytes[reason.rawValue] += Int64(p.bytes)
            if parent == nil { onDrop?(p, reason) }
            return .dropped(reason)
        }
    }

    /// Hands out the next packet at `now`, or nil (empty, or throttled: see `requestWakeup`).
    public final func dequeue(now: SimInstant) -> Packet? {
        let p: Packet
        if let s = stash { p = s; stash = nil } else {
            guard let d = doDequeue(now: now) else { return nil }
            p = d
        }
        stats.dequeuedPackets += 1
        stats.dequeuedBytes += Int64(p.bytes)
        stats.backlogPackets -= 1
        stats.backlogBytes -= Int64(p.bytes)
        return p
    }

    /// The packet `dequeue` would return, without removing it from the books.
    public final func peek(now: SimInstant) -> Packet? {
        if let s = stash { return s }
        stash = doDequeue(now: now)
        return stash
    }

    /// Drops everything held (qdisc_reset); each packet is reported as dropped for `reason`.
    public final func reset(reason: DropReason = .reset) {
        if let s = stash {
            stash = nil
            noteDrop(s, reason: reason)
        }
        doReset(reason: reason)
    }

    /// Records that a packet held in this subtree was discarded (called by the discipline for
    /// its own internal drops, and by children through the parent chain).
    public final func noteDrop(_ p: Packet, reason: DropReason) {
        var q: Qdisc? = self
        var root: Qdisc = self
        while let x = q {
            x.stats.drops[reason.rawValue] += 1
            x.stats.dropBytes[reason.rawValue] += Int64(p.bytes)
            x.stats.backlogPackets -= 1
            x.stats.backlogBytes -= Int64(p.bytes)
            root = x
            q = x.parent
        }
        root.onDrop?(p, reason)
    }

    /// Asks the device to dequeue again at `time` (qdisc_watchdog_schedule).
    public final func requestWakeup(at time: SimInstant) {
        var root: Qdisc = self
        while let p = root.parent { root = p }
        root.onWakeup?(time)
    }

    /// Makes `child` a child of this qdisc (sets the parent link used for drop accounting).
    public final func adopt(_ child: Qdisc) { child.parent = self }

    /// Counts one throttling event.
    public final func countOverlimit() { stats.overlimits += 1 }

    /// Hook: store `packet` or refuse it. Do not touch `stats`; report internal drops of other
    /// packets with `noteDrop`.
    open func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        fatalError("\(kind): doEnqueue not implemented")
    }

    /// Hook: remove and return the next packet, or nil.
    open func doDequeue(now: SimInstant) -> Packet? {
        fatalError("\(kind): doDequeue not implemented")
    }

    /// Hook: drop everything held, reporting each packet through `noteDrop(_:reason:)`.
    open func doReset(reason: DropReason) {
        for c in children { c.reset(reason: reason) }
    }
}

/// The outcome of a discipline's enqueue hook (NET_XMIT_SUCCESS / NET_XMIT_DROP).
public enum EnqueueResult: Sendable, Equatable {
    /// The packet is held.
    case accepted
    /// The packet was refused.
    case dropped(DropReason)

    /// True for `.accepted`.
    public var isAccepted: Bool { self == .accepted }
}
