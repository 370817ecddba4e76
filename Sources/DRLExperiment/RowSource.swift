import Foundation

/// The rows of one result table, visited in file order: a table in memory (`TextTable`) or a
/// result file read line by line (`CSVFileTable`). Summaries (`ResultSet.addSummaries`,
/// `DRSummary`) and curves (`CurveExtractor`) read tables through it, so that a result set on
/// disk is summarised in one bounded pass per table instead of being held whole.
public protocol RowSource {
    /// The table name (file name without `.csv`).
    var name: String { get }
    /// Columns after `run, point, replication`.
    var columns: [String] { get }
    /// Calls `body` with every row, in order.
    func forEachRow(_ body: (TextTable.Row) throws -> Void) throws
}

extension TextTable: RowSource {
    public func forEachRow(_ body: (TextTable.Row) throws -> Void) throws {
        for r in rows { try body(r) }
    }
}

/// Where a summary finds its tables: by name, nil when the set has no such table.
public typealias TableLookup = (String) -> RowSource?

extension ResultSet {
    /// The set's tables as row sources.
    public var lookup: TableLookup { { name in self.table(name) } }
}
