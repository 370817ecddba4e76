import DRLSimCore

/// `writes.csv` for large estates (`outputs.writes_detail: per-policy | total`, and/or
/// `outputs.writes_bin`): instead of one row per VM and bin of `WriteMonitor`, one row per group
/// of VMs (the workload policy a VM belongs to, or `total` for the estate) and bin of
/// `bin` (a multiple of the monitor's bin; the monitor's own when not given). A group's row sums
/// its VMs' rows of the bin:
/// - `requested_bytes`, `completed_bytes`, `writes`, `throttled_s`: sums (so every column the
///   per-VM rows add up to is conserved: the sum over the aggregated rows equals the sum over
///   the per-VM rows, per group and in total; `throttled_s` is VM-seconds);
/// - `throttled_share`: `throttled_s` / (the bin's width within the run x the group's VMs with
///   a row in the bin): the mean share of the bin those VMs were held back;
/// - `latency_mean_s`: the mean over the writes of the rows that have one (each row's mean
///   weighted by its `writes`); `latency_p99_s`: the largest p99 of the rows (an upper bound
///   of the group's p99: nearest-rank percentiles do not merge); NaN when no row has one.
/// `vm` holds the group's name. Rows of one bin come in the order the groups first appeared.
/// Memory: one accumulator per group, whatever the estate's size or the run's length.
public final class WriteGroups: RowAggregator {
    /// The `vm` cell of the estate's rows (`writes_detail: total`).
    public static let totalName = "total"

    /// The output bin.
    public let bin: SimDuration
    private let group: (String) -> String
    private let now: () -> SimInstant

    private struct Sum {
        var vms: Set<String> = []
        var requested: Int64 = 0
        var completed: Int64 = 0
        var writes: Int64 = 0
        var throttled = 0.0
        var latencyWeighted = 0.0
        var latencyWrites: Int64 = 0
        var p99 = -Double.infinity
    }
    private var pendingBin: Int64?
    private var sums: [String: Sum] = [:]
    private var order: [String] = []

    /// Groups rows by `group(vm)` into bins of `bin`; `now` gives the run's end when the last
    /// rows are emitted (the width of a last, partial bin).
    public init(bin: SimDuration, group: @escaping (String) -> String, now: @escaping () -> SimInstant) {
        precondition(bin > .zero, "writes bin must be positive")
        self.bin = bin
        self.group = group
        self.now = now
    }

    public func take(_ row: [RecordValue]) -> [[RecordValue]] {
        guard row.count == WriteMonitor.columns.count, case .double(let t) = row[0], case .text(let vm) = row[1],
              case .int(let req) = row[2], case .int(let done) = row[3], case .int(let n) = row[4],
              case .double(let th) = row[5], case .double(let mean) = row[7], case .double(let p99) = row[8] else {
            preconditionFailure("WriteGroups: not a writes row")
        }
        let k = Int64((t * 1e9).rounded()) / bin.nanoseconds
        var out: [[RecordValue]] = []
        if let p = pendingBin, p != k { out = flush(p) }
        pendingBin = k
        let g = group(vm)
        if sums[g] == nil { order.append(g) }
        var s = sums[g] ?? Sum()
        s.vms.insert(vm)
        s.requested += req
        s.completed += done
        s.writes += n
        s.throttled += th
        if mean.isFinite { s.latencyWeighted += mean * Double(n); s.latencyWrites += n }
        if p99.isFinite { s.p99 = Swift.max(s.p99, p99) }
        sums[g] = s
        return out
    }

    public func finish() -> [[RecordValue]] {
        guard let p = pendingBin else { return [] }
        pendingBin = nil
        return flush(p)
    }

    private func flush(_ k: Int64) -> [[RecordValue]] {
        let t0 = SimInstant(nanoseconds: k * bin.nanoseconds)
        let end = now()
        let width = end > t0 ? Swift.min(bin, end - t0) : bin
        var out: [[RecordValue]] = []
        for g in order {
            let s = sums[g]!
            let share = width > .zero && !s.vms.isEmpty ? s.throttled / (width.seconds * Double(s.vms.count)) : 0
            let mean = s.latencyWrites > 0 ? s.latencyWeighted / Double(s.latencyWrites) : .nan
            out.append([.double(t0.seconds), .text(g), .int(s.requested), .int(s.completed), .int(s.writes),
                        .double(s.throttled), .double(share), .double(mean), .double(s.p99.isFinite ? s.p99 : .nan)])
        }
        sums = [:]
        order = []
        return out
    }
}
