/// One line of the declarative list of curves that `drlsim check` extracts from a result set.
///
/// A spec names a table, the columns whose values split it into groups (e.g. `action`), the
/// numeric column to summarise, how samples are formed and which statistics to keep. The default
/// list (`CurveSpec.defaults`) covers the contract tables of interface.md (`protection`, `rpo`,
/// `recovery`, `traffic`) plus `recovery_steps` (the RTO breakdown of Fig. 11) and the validation
/// model's `queue`/`queue_summary`; a new table is one more line there.
///
/// Group-by columns a table does not have are ignored (the same spec serves tables that differ
/// in optional columns); a spec whose value column is missing yields no curve. A group of
/// `status=censored` rows (durations cut off by the run's end, lower bounds) gives only its
/// `count`, never a mean or quantile of cut-off values (Docs/statistics.md).
public struct CurveSpec: Sendable, Hashable {
    /// How the samples of a curve are formed from the rows of one sweep point.
    public enum Sampling: String, Sendable, Hashable {
        /// Every row (of every replication) is one sample.
        case rows
        /// Each replication gives one sample: the sum of its rows' values (e.g. total traffic bytes).
        case sumPerReplication
    }

    /// A statistic of a curve's samples.
    public enum Statistic: String, Sendable, Hashable, CaseIterable {
        /// Arithmetic mean (gsl_stats_mean).
        case mean
        /// 10 % quantile (gsl_stats_quantile_from_sorted_data: linear interpolation).
        case p10
        /// Median.
        case p50
        /// 90 % quantile.
        case p90
        /// Number of samples (rows or replications).
        case count
    }

    /// The table (CSV file name without `.csv`).
    public var table: String
    /// Columns whose values split the rows into curves (e.g. `["action"]`).
    public var groupBy: [String]
    /// The numeric column summarised.
    public var column: String
    /// A column subtracted from `column` row by row (phase durations from instants, e.g.
    /// `detected_s - disaster_s`), or nil.
    public var minus: String?
    /// How samples are formed.
    public var sampling: Sampling
    /// The statistics kept, in output order.
    public var statistics: [Statistic]

    /// A spec with every field given.
    public init(table: String, groupBy: [String] = [], column: String, minus: String? = nil, sampling: Sampling = .rows,
                statistics: [Statistic] = CurveSpec.standard) {
        self.table = table
        self.groupBy = groupBy
        self.column = column
        self.minus = minus
        self.sampling = sampling
        self.statistics = statistics
    }

    /// The curve's column name: `column`, or `column-minus` for a difference.
    public var curveColumn: String { minus.map { "\(column)-\($0)" } ?? column }

    /// Mean, p10, p50, p90 and the sample count.
    public static let standard: [Statistic] = [.mean, .p10, .p50, .p90, .count]

    /// The curves `drlsim check` compares by default (issue 7 item 6: per point, mean and
    /// quantiles of protection time, RPO and RTO; traffic totals; the validation queue's wait).
    public static let defaults: [CurveSpec] = [
        CurveSpec(table: "protection", groupBy: ["action", "status"], column: "duration_s"),
        CurveSpec(table: "protection", groupBy: ["action", "status"], column: "bytes"),
        CurveSpec(table: "rpo", groupBy: ["action"], column: "rpo_s"),
        CurveSpec(table: "rpo", groupBy: ["action"], column: "lost_bytes"),
        CurveSpec(table: "recovery", groupBy: ["kind", "policy", "status"], column: "rto_s"),
        // The phases of the contract's recovery.csv (Fig. 11): detection, notification, until
        // recovery starts, recovery, until the VM is responsive.
        CurveSpec(table: "recovery", groupBy: ["kind", "policy", "status"], column: "detected_s", minus: "disaster_s"),
        CurveSpec(table: "recovery", groupBy: ["kind", "policy", "status"], column: "notified_s", minus: "detected_s"),
        CurveSpec(table: "recovery", groupBy: ["kind", "policy", "status"], column: "recovery_started_s", minus: "notified_s"),
        CurveSpec(table: "recovery", groupBy: ["kind", "policy", "status"], column: "recovered_s", minus: "recovery_started_s"),
        CurveSpec(table: "recovery", groupBy: ["kind", "policy", "status"], column: "responsive_s", minus: "recovered_s"),
        CurveSpec(table: "recovery_steps", groupBy: ["kind", "policy", "step"], column: "duration_s"),
        CurveSpec(table: "traffic", groupBy: ["class", "direction"], column: "bytes", sampling: .sumPerReplication,
                  statistics: [.mean, .p10, .p50, .p90]),
        // RPO, RTO and phases, protection times and throttling under the one definition of a
        // duration (Docs/statistics.md): the same numbers as dr_summary.csv (DRSummary).
        CurveSpec(table: "dr_summary", groupBy: ["metric", "group"], column: "n", statistics: [.mean]),
        CurveSpec(table: "dr_summary", groupBy: ["metric", "group"], column: "censored", statistics: [.mean]),
        CurveSpec(table: "dr_summary", groupBy: ["metric", "group"], column: "mean", statistics: [.mean]),
        CurveSpec(table: "dr_summary", groupBy: ["metric", "group"], column: "p95", statistics: [.mean]),
        CurveSpec(table: "dr_summary", groupBy: ["metric", "group"], column: "lower_bound_mean", statistics: [.mean]),
        CurveSpec(table: "queue", column: "wq_s"),
        CurveSpec(table: "queue", column: "w_s", statistics: [.mean]),
        CurveSpec(table: "queue", column: "utilization", statistics: [.mean]),
        CurveSpec(table: "queue_summary", column: "mean", statistics: [.mean]),
        CurveSpec(table: "queue_summary", column: "ci95_low", statistics: [.mean]),
        CurveSpec(table: "queue_summary", column: "ci95_high", statistics: [.mean]),
    ]
}
