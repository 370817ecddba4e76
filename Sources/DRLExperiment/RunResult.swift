import DRLSimCore

/// What one run produced: its identity, size, wall time and its recorded tables (as values).
public struct RunResult: Sendable {
    /// The run index within the result set (`point * replications + replication`).
    public var run: Int
    /// The sweep point.
    public var point: Int
    /// The replication.
    public var replication: Int
    /// The simulated time at the end of the run, in seconds.
    public var durationSeconds: Double
    /// Events executed.
    public var events: Int
    /// Wall-clock seconds the run took (the only non-deterministic number).
    public var wallSeconds: Double
    /// The recorded tables in declaration order.
    public var tables: [RecordedTable]
}

/// One table a run recorded: its columns (without `run, point, replication`) and rows.
public struct RecordedTable: Sendable {
    /// The table name (file `<name>.csv`).
    public var name: String
    /// The columns after `run, point, replication`.
    public var columns: [String]
    /// The rows in emission order.
    public var rows: [[RecordValue]]
}
