import DRLSimCore

/// Constant-rate writes: `writeSize` every `writeSize / bytesPerSecond`.
public final class ConstantRateGenerator: WriteGenerator {
    let gap: SimDuration
    let size: Int64
    var cursor: OffsetCursor

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

/// On/off bursts: constant rate during `on`, silence during `off`, starting with a burst.
public final class OnOffGenerator: WriteGenerator {
    let gap: SimDuration
    let size: Int64
    let on: SimDuration
    let off: SimDuration
    var cursor: OffsetCursor
    var elapsedInOn: SimDuration = .zero

    /// A generator for a device of `capacity` bytes.
    public init(bytesPerSecond: Double, on: SimDuration, off: SimDuration, writeSize: Int64,
                placement: WritePlacement, capacity: Int64, stream: RandomStream) {
        precondition(bytesPerSecond > 0 && writeSize > 0 && on > .zero)
        size = Swift.min(writeSize, capacity)
        gap = .seconds(Double(size) / bytesPerSecond)
        self.on = on
        self.off = off
        cursor = OffsetCursor(capacity: capacity, placement: placement, stream: stream)
        elapsedInOn = .zero - gap // the first write comes at once
    }

    public func next() -> PlannedWrite? {
        var g = gap
        elapsedInOn += gap
        if elapsedInOn >= on { g += off; elapsedInOn = .zero }
        return PlannedWrite(gap: g, write: BlockWrite(offset: cursor.place(size), length: size))
    }
}

/// Poisson writes: exponential gaps of mean `1/writesPerSecond`, sizes from a distribution
/// rounded up to whole 4 KiB blocks.
public final class PoissonGenerator: WriteGenerator {
    let gaps: Sampler
    let sizes: Sampler
    var cursor: OffsetCursor
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
        let raw = Swift.max(1, Int64(sizes.next().rounded(.up)))
        let b = ByteUnits.bitmapBlock
        let size = Swift.min(capacity, (raw + b - 1) / b * b)
        return PlannedWrite(gap: g, write: BlockWrite(offset: cursor.place(size), length: size))
    }
}

/// Replays the write records of a `BlockTrace` at their (scaled) timestamps.
public final class TraceReplayGenerator: WriteGenerator {
    let writes: [TraceRecord]
    let scale: Double
    var i = 0
    var lastTime: SimDuration = .zero

    /// A replay of `trace`'s writes; `timeScale` < 1 compresses time.
    public init(trace: BlockTrace, timeScale: Double = 1) {
        writes = trace.records.filter { $0.isWrite }
        scale = timeScale
    }

    public func next() -> PlannedWrite? {
        guard i < writes.count else { return nil }
        let r = writes[i]
        i += 1
        let t = SimDuration.seconds(r.time.seconds * scale)
        let g = t - lastTime
        lastTime = t
        return PlannedWrite(gap: g, write: BlockWrite(offset: r.offset, length: r.size))
    }
}
