/// One cell of an output record: models emit typed values, the experiment layer formats them.
public enum RecordValue: Hashable, Sendable {
    /// An integer (counts, bytes, indices).
    case int(Int64)
    /// A real number (seconds, rates).
    case double(Double)
    /// Text (names, states).
    case text(String)
}

/// The destination of the records a model emits; models never write files.
public protocol RecordSink: AnyObject {
    /// Appends one row to `table`; `values` follow the table's declared columns.
    func emit(_ table: String, _ values: [RecordValue])
}

/// Collects the records of one run in memory, table by table, in emission order.
///
/// Tables are declared with their columns (after the `run, point, replication` columns that the
/// experiment layer prepends). Emission order is deterministic because a run is single-threaded.
public final class Recorder: RecordSink {
    /// Column names per declared table.
    public private(set) var columns: [String: [String]] = [:]
    /// Declaration order of the tables.
    public private(set) var tableOrder: [String] = []
    /// Rows per table.
    public private(set) var rows: [String: [[RecordValue]]] = [:]

    /// An empty recorder.
    public init() {}

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
    }
}
