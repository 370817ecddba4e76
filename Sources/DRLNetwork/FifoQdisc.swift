import DRLSimCore

/// `pfifo` and `bfifo`: tail-drop FIFOs limited in packets or in bytes (net/sched/sch_fifo.c).
///
/// pfifo accepts while `qlen < limit`; bfifo while `backlog + len <= limit`. The default limit
/// is the device's txqueuelen (1000 packets; for bfifo txqueuelen x MTU, 1000 x 1500 B), as in
/// `fifo_init`. `pfifo_fast` is accepted as a pfifo (its bands only matter with skb priorities).
public final class FifoQdisc: Qdisc {
    /// Whether `limit` counts packets or bytes.
    public enum Mode: Sendable { case packets, bytes }
    /// Packets or bytes, per `mode`.
    public let mode: Mode
    /// The tail-drop limit.
    @exclusivity(unchecked) public var limit: Int64
    @exclusivity(unchecked) var queue = Ring<Packet>(capacity: 64)

    /// A FIFO of `limit` packets (`.packets`) or bytes (`.bytes`).
    public init(mode: Mode, limit: Int64) {
        self.mode = mode
        self.limit = limit
        super.init(kind: mode == .packets ? "pfifo" : "bfifo")
    }

    public override func doEnqueue(_ packet: Packet, now: SimInstant) -> EnqueueResult {
        switch mode {
        case .packets: if Int64(queue.count) >= limit { return .dropped(.overlimit) }
        case .bytes: if stats.backlogBytes + Int64(packet.bytes) > limit { return .dropped(.overlimit) }
        }
        queue.append(packet)
        return .accepted
    }

    public override func doDequeue(now: SimInstant) -> Packet? { queue.popFirst() }

    public override func doReset(reason: DropReason) {
        while let p = queue.popFirst() { noteDrop(p, reason: reason) }
    }
}
