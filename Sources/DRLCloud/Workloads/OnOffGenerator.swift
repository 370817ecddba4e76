import DRLSimCore

/// On/off bursts: constant rate during `on`, silence during `off`, starting with a burst.
public final class OnOffGenerator: WriteGenerator {
    let gap: SimDuration
    let size: Int64
    let on: SimDuration
    let off: SimDuration
    @exclusivity(unchecked) var cursor: OffsetCursor
    @exclusivity(unchecked) var elapsedInOn: SimDuration = .zero

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
