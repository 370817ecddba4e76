/// One cell of an output record: models emit typed values, the experiment layer formats them.
///
/// Equality is representational (doubles compare by bit pattern), so a record holding NaN equals
/// an identical record: two runs are "the same" exactly when they would print the same CSV.
public enum RecordValue: Hashable, Sendable {
    /// An integer (counts, bytes, indices).
    case int(Int64)
    /// A real number (seconds, rates).
    case double(Double)
    /// Text (names, states).
    case text(String)

    public static func == (a: RecordValue, b: RecordValue) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x == y
        case (.double(let x), .double(let y)): return x.bitPattern == y.bitPattern
        case (.text(let x), .text(let y)): return x == y
        default: return false
        }
    }

    public func hash(into h: inout Hasher) {
        switch self {
        case .int(let x): h.combine(0); h.combine(x)
        case .double(let x): h.combine(1); h.combine(x.bitPattern)
        case .text(let x): h.combine(2); h.combine(x)
        }
    }
}

/// Replaces the rows of one table by aggregates (e.g. one row per instant over every resource),
/// installed with `Recorder.aggregate(_:with:)` when a scenario asks for less detail.
public protocol RowAggregator: AnyObject {
    /// Takes one row the model emitted; returns the rows to record now (often none).
    func take(_ row: [RecordValue]) -> [[RecordValue]]
    /// The rows still pending at the end of the run.
    func finish() -> [[RecordValue]]
}

/// The destination of the records a model emits; models never write files.
public protocol RecordSink: AnyObject {
    /// Appends one row to `table`; `values` follow the table's declared columns.
    func emit(_ table: String, _ values: [RecordValue])
}

/// Collects the records of one run, table by table, in emission order.
///
/// Tables are declared with their columns (after the `run, point, replication` columns that the
/// experiment layer prepends). Emission order is deterministic because a run is single-threaded.
///
/// By default every row stays in memory (`rows`). With a `spill` hook (the experiment layer's
/// result spool) a table's rows are handed over whenever `spillThreshold` of them have
/// accumulated and at `flush()`, then dropped, so the memory of a long run does not grow with
/// what it records; `rows` then holds only the rows not yet spilled.
public final class Recorder: RecordSink {
    /// Column names per declared table.
    @exclusivity(unchecked) public private(set) var columns: [String: [String]] = [:]
    /// Declaration order of the tables.
    @exclusivity(unchecked) public private(set) var tableOrder: [String] = []
    /// Rows per table.
    @exclusivity(unchecked) public private(set) var rows: [String: [[RecordValue]]] = [:]

    /// Receives a table's buffered rows (in emission order) when they are spilled; nil keeps
    /// every row in memory.
    @exclusivity(unchecked) public var spill: ((String, [[RecordValue]]) -> Void)?
    /// Buffered rows of one table that trigger a spill.
    public var spillThreshold = 4096

    /// Aggregators by table (`aggregate(_:with:)`).
    @exclusivity(unchecked) var aggregators: [String: RowAggregator] = [:]

    /// An empty recorder.
    public init() {}

    /// Records what `aggregator` makes of `table`'s rows instead of the rows themselves (the
    /// table may be declared before or after).
    public func aggregate(_ table: String, with aggregator: RowAggregator) {
        aggregators[table] = aggregator
    }

    /// Records the aggregators' pending rows (the run's end; `RunAssembly.execute` calls it).
    public func finishAggregation() {
        for t in aggregators.keys.sorted() {
            for r in aggregators[t]!.finish() { store(t, r) }
        }
    }

    /// Hands every table's buffered rows to `spill` (in declaration order) and drops them; does
    /// nothing without a `spill` hook.
    public func flush() {
        guard let spill else { return }
        for t in tableOrder {
            guard let r = rows[t], !r.isEmpty else { continue }
            rows[t] = []
            spill(t, r)
        }
    }

    /// Declares `table` with `columns`; re-declaring with the same columns is a no-op.
    public func declare(_ table: String, columns cols: [String]) {
        if let existing = columns[table] {
            precondition(existing == cols, "table \(table) re-declared with other columns")
            return
        }
        columns[table] = cols
        tableOrder.append(table)
        rows[table] = []
    }

    public func emit(_ table: String, _ values: [RecordValue]) {
        guard let cols = columns[table] else { preconditionFailure("emit to undeclared table \(table)") }
        precondition(cols.count == values.count, "table \(table): \(values.count) values for \(cols.count) columns")
        if !aggregators.isEmpty, let a = aggregators[table] {
            for r in a.take(values) { store(table, r) }
            return
        }
        store(table, values)
    }

    func store(_ table: String, _ values: [RecordValue]) {
        rows[table, default: []].append(values)
        if let spill, rows[table]!.count >= spillThreshold {
            let r = rows[table]!
            rows[table] = []
            spill(table, r)
        }
    }
}
