/// The books every qdisc keeps (tc -s qdisc show), maintained by `Qdisc.enqueue/dequeue`.
///
/// Identities (asserted by the tests), for packets and for bytes:
/// `offered = dequeued + dropped + backlog`, where `dropped` sums `drops` over reasons and counts
/// both packets rejected at enqueue and packets discarded later inside the subtree.
public struct QdiscStatistics: Sendable, Equatable {
    /// Packets passed to `enqueue`.
    public var offeredPackets: Int64 = 0
    /// Bytes passed to `enqueue`.
    public var offeredBytes: Int64 = 0
    /// Packets accepted by `enqueue`.
    public var enqueuedPackets: Int64 = 0
    /// Bytes accepted by `enqueue`.
    public var enqueuedBytes: Int64 = 0
    /// Packets returned by `dequeue`.
    public var dequeuedPackets: Int64 = 0
    /// Bytes returned by `dequeue`.
    public var dequeuedBytes: Int64 = 0
    /// Dropped packets per `DropReason.rawValue`.
    public var drops: [Int64] = Array(repeating: 0, count: DropReason.allCases.count)
    /// Dropped bytes per `DropReason.rawValue`.
    public var dropBytes: [Int64] = Array(repeating: 0, count: DropReason.allCases.count)
    /// Packets currently held (qlen).
    public var backlogPackets: Int64 = 0
    /// Bytes currently held (backlog).
    public var backlogBytes: Int64 = 0
    /// Times the qdisc was throttled by a rate limit (overlimits in tc -s).
    public var overlimits: Int64 = 0

    /// An empty set of counters.
    public init() {}

    /// Total dropped packets.
    public var droppedPackets: Int64 { drops.reduce(0, +) }
    /// Total dropped bytes.
    public var droppedBytes: Int64 { dropBytes.reduce(0, +) }
    /// Dropped packets for one reason.
    public func drops(_ r: DropReason) -> Int64 { drops[r.rawValue] }

    /// True when `offered = dequeued + dropped + backlog` holds for packets and bytes.
    public var isConserved: Bool {
        offeredPackets == dequeuedPackets + droppedPackets + backlogPackets
            && offeredBytes == dequeuedBytes + droppedBytes + backlogBytes
            && backlogPackets >= 0 && backlogBytes >= 0
    }
}
