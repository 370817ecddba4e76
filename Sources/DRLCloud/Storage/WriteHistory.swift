import DRLSimCore

/// The cumulative bytes written to one disk over time, for "bytes written since t" queries
/// (`lost_bytes` in `rpo.csv`: the bytes written on the primary after the recovery point).
///
/// Entries are appended in time order; writes at the same instant are merged.
/// - Complexity: `record` amortised O(1); `bytesWritten(after:)` O(log n).
public struct WriteHistory: Sendable {
    private var times: [Int64] = []
    private var cumulative: [Int64] = []
    /// Total bytes written.
    public private(set) var total: Int64 = 0
    /// Number of write requests.
    public private(set) var writes: Int64 = 0

    /// An empty history.
    public init() {}

    /// Records `bytes` written at `time` (non-decreasing).
    public mutating func record(bytes: Int64, at time: SimInstant) {
        total += bytes
        writes += 1
        if let last = times.last, last == time.nanoseconds {
            cumulative[cumulative.count - 1] = total
        } else {
            times.append(time.nanoseconds)
            cumulative.append(total)
        }
    }

    /// Bytes written up to and including `time`.
    public func bytesWritten(through time: SimInstant) -> Int64 {
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= time.nanoseconds { lo = mid + 1 } else { hi = mid }
        }
        return lo == 0 ? 0 : cumulative[lo - 1]
    }

    /// Bytes written strictly after `time` (and up to now).
    public func bytesWritten(after time: SimInstant) -> Int64 { total - bytesWritten(through: time) }
}
