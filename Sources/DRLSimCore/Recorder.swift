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

    /// An empty recorder.
    public init() {}

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
        rows[table, default: []].append(values)
        if let spill, rows[table]!.count >= spillThreshold {
            let r = rows[table]!
            rows[table] = []
            spill(table, r)
        }
    }
}
