import DRLSimCore

/// Poisson writes: exponential gaps of mean `1/writesPerSecond`, sizes from a distribution
/// rounded up to whole 4 KiB blocks and clamped to [4 KiB, capacity] (a write cannot exceed the device).
public final class PoissonGenerator: WriteGenerator {
    let gaps: Sampler
    let sizes: Sampler
    @exclusivity(unchecked) var cursor: OffsetCursor
    let capacity: Int64

    /// A generator for a device of `capacity` bytes.
    public init(writesPerSecond: Double, size: Distribution, placement: WritePlacement, capacity: Int64,
                stream: RandomStream) throws(GSLError) {
        gaps = try Sampler(.exponential(mean: 1 / writesPerSecond), stream: stream)
        sizes = try Sampler(size, stream: stream)
        cursor = OffsetCursor(capacity: capacity, placement: placement, stream: stream)
        self.capacity = capacity
    }

    public func next() -> PlannedWrite? {
        let g = gaps.nextDuration()
        // A write cannot exceed the device: the draw is clamped to [1, capacity] before the
        // conversion (a heavy-tailed draw, e.g. lognormal sigma 50, overflows Int64; NaN is 1).
        let x = sizes.next()
        let raw = x.isNaN || x < 1 ? 1 : (x >= Double(capacity) ? capacity : Int64(x.rounded(.up)))
        let b = ByteUnits.bitmapBlock
        let size = Swift.min(capacity, (raw + b - 1) / b * b)
        return PlannedWrite(gap: g, write: BlockWrite(offset: cursor.place(size), length: size))
    }
}
