import DRLSimCore

/// `replication.csv` for large estates (`outputs.detail: total`): instead of one row per DRBD
/// resource and sample, one row per instant at which `ReplicationMonitor` recorded anything,
/// over every resource's latest sample: `resource` = `total`, `state` = the most severe state
/// (the precedence of `ReplicationState.classify`: disconnected, stalled, initial-sync,
/// backlog, continuous) and `drbd_state` that of the first resource in it, `lag_s` = the
/// largest lag (the estate's RPO if the primary died now, while every peer is consistent),
/// `backlog_bytes`, `sent_bytes` and `written_bytes` summed, `eta_synced_s` the largest ETA
/// (-1 when any is unknown). Memory: one row per resource, whatever the run's length.
///
/// With a `group` function (`outputs.detail: per-policy`), one such row per group per instant
/// instead, over the group's resources (`resource` = the group's name, e.g. the workload policy
/// of the volume's VM), groups in the order their first resource appeared.
public final class ReplicationTotals: RowAggregator {
    /// The `resource` cell of the total rows.
    public static let resourceName = "total"
    /// States from most to least severe.
    static let severity: [String] = [ReplicationState.disconnected, .stalled, .initialSync, .backlog, .continuous].map(\.rawValue)

    private var latest: [String: [RecordValue]] = [:]
    private var order: [String] = []
    private var groupOf: [String: String] = [:]
    private var groups: [String] = []
    private var pendingTime: Double?
    private let group: ((String) -> String)?

    /// No resource seen yet; one total over every resource.
    public init() { group = nil }

    /// No resource seen yet; one total per `group(resource)`.
    public init(group: @escaping (String) -> String) { self.group = group }

    public func take(_ row: [RecordValue]) -> [[RecordValue]] {
        guard row.count == ReplicationMonitor.columns.count, case .double(let t) = row[0], case .text(let r) = row[1] else {
            preconditionFailure("ReplicationTotals: not a replication row")
        }
        var out: [[RecordValue]] = []
        if let p = pendingTime, p != t { out += total(at: p) }
        if latest[r] == nil {
            order.append(r)
            if let group {
                let g = group(r)
                if !groups.contains(g) { groups.append(g) }
                groupOf[r] = g
            }
        }
        latest[r] = row
        pendingTime = t
        return out
    }

    public func finish() -> [[RecordValue]] {
        guard let p = pendingTime else { return [] }
        pendingTime = nil
        return total(at: p)
    }

    /// The total rows at `t` over the latest row of every resource (one per group).
    func total(at t: Double) -> [[RecordValue]] {
        guard group != nil else { return [total(at: t, name: Self.resourceName, of: order)] }
        return groups.map { g in total(at: t, name: g, of: order.filter { groupOf[$0] == g }) }
    }

    /// The total row at `t`, named `name`, over the latest rows of `resources`.
    func total(at t: Double, name: String, of resources: [String]) -> [RecordValue] {
        var worst = Self.severity.count, drbd = ""
        var lag = 0.0, eta = 0.0, unknown = false
        var backlog: Int64 = 0, sent: Int64 = 0, written: Int64 = 0
        for r in resources {
            let row = latest[r]!
            if case .text(let s) = row[2], let rank = Self.severity.firstIndex(of: s), rank < worst {
                worst = rank
                if case .text(let d) = row[3] { drbd = d }
            }
            if case .double(let l) = row[4] { lag = Swift.max(lag, l) }
            if case .int(let b) = row[5] { backlog += b }
            if case .int(let s) = row[6] { sent += s }
            if case .int(let w) = row[7] { written += w }
            if case .double(let e) = row[8] { if e < 0 { unknown = true } else { eta = Swift.max(eta, e) } }
        }
        let state = worst < Self.severity.count ? Self.severity[worst] : ""
        return [.double(t), .text(name), .text(state), .text(drbd), .double(lag),
                .int(backlog), .int(sent), .int(written), .double(unknown ? -1 : eta)]
    }
}
