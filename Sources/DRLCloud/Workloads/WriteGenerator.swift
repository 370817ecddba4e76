import DRLSimCore

/// The next write a workload wants to issue: how long after the previous one, and where.
public struct PlannedWrite: Hashable, Sendable {
    /// Think time since the previous write was issued, at VM speed 1.
    public var gap: SimDuration
    /// The write.
    public var write: BlockWrite

    /// A planned write.
    public init(gap: SimDuration, write: BlockWrite) {
        self.gap = gap
        self.write = write
    }
}

/// A source of writes (constant rate, on/off, Poisson, trace): returns the next write or nil
/// when it is exhausted. Randomness comes only from the stream the runner passes.
public protocol WriteGenerator: AnyObject {
    /// The next write, or nil at the end.
    func next() -> PlannedWrite?
}

/// Where a generator places successive writes.
public enum WritePlacement: String, Sendable, Codable {
    /// Consecutive offsets, wrapping at the device end (streaming writers, logs).
    case sequential
    /// Uniform 4 KiB-aligned offsets (random-write workloads; rewrites are likely).
    case random
}

/// Places writes sequentially or uniformly at random on a device.
struct OffsetCursor {
    let capacity: Int64
    let placement: WritePlacement
    var next: Int64 = 0
    let stream: RandomStream

    mutating func place(_ length: Int64) -> Int64 {
        let len = Swift.min(length, capacity)
        switch placement {
        case .sequential:
            if next + len > capacity { next = 0 }
            let o = next
            next += len
            return o
        case .random:
            let blocks = Swift.max(1, (capacity - len) / ByteUnits.bitmapBlock + 1)
            return Int64(stream.uniformInt(Int(Swift.min(blocks, 1 << 32)))) * ByteUnits.bitmapBlock
        }
    }
}
