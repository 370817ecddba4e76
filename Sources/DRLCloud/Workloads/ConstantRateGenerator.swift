import DRLSimCore

/// Constant-rate writes: `writeSize` every `writeSize / bytesPerSecond`.
public final class ConstantRateGenerator: WriteGenerator {
    let gap: SimDuration
    let size: Int64
    @exclusivity(unchecked) var cursor: OffsetCursor

    /// A generator for a device of `capacity` bytes.
    public init(bytesPerSecond: Double, writeSize: Int64, placement: WritePlacement, capacity: Int64, stream: RandomStream) {
        precondition(bytesPerSecond > 0 && writeSize > 0)
        size = Swift.min(writeSize, capacity)
        gap = .seconds(Double(size) / bytesPerSecond)
        cursor = OffsetCursor(capacity: capacity, placement: placement, stream: stream)
    }

    public func next() -> PlannedWrite? {
        PlannedWrite(gap: gap, write: BlockWrite(offset: cursor.place(size), length: size))
    }
}
