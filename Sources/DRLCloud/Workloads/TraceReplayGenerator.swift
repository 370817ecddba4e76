import DRLSimCore

/// Replays the write records of a `BlockTrace` at their (scaled) timestamps.
public final class TraceReplayGenerator: WriteGenerator {
    let writes: [TraceRecord]
    let scale: Double
    @exclusivity(unchecked) var i = 0
    @exclusivity(unchecked) var lastTime: SimDuration = .zero

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
