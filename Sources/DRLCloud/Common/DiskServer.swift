import DRLSimCore

/// A disk (or CPU) as a FIFO server of fixed rate: work is served in arrival order, one request
/// after the other, without events of its own.
///
/// `reserve(bytes:at:)` returns the instant the request finishes: `max(now, busyUntil) + bytes/rate`.
/// The model ignores seeks (sequential streams), which is what the paper's workloads produce.
public struct DiskServer: Sendable {
    /// Service rate in bytes per second.
    public var bytesPerSecond: Double
    /// The instant the server becomes idle.
    public private(set) var busyUntil: SimInstant = .zero
    /// Bytes served so far.
    public private(set) var bytesServed: Int64 = 0

    /// A server of rate `bytesPerSecond`.
    public init(bytesPerSecond: Double) {
        precondition(bytesPerSecond > 0, "disk rate must be positive")
        self.bytesPerSecond = bytesPerSecond
    }

    /// Queues `bytes` at `now`; returns when they are served.
    public mutating func reserve(bytes: Int64, at now: SimInstant) -> SimInstant {
        let start = Swift.max(now, busyUntil)
        busyUntil = start + SimDuration.transmission(bytes: bytes, bitsPerSecond: bytesPerSecond * 8)
        bytesServed += bytes
        return busyUntil
    }
}
