/// A result table as formatted CSV cells: rows keyed by (run, point, replication).
///
/// Result sets are kept as text so that a set read back from disk (for `merge`) and a set just
/// computed are the same thing and write the same bytes.
public struct TextTable: Sendable, Equatable {
    /// One row: the run identity and the formatted cells after it.
    public struct Row: Sendable, Equatable {
        /// Run index (`-1` in summary tables, written `all`).
        public var run: Int
        /// Sweep point.
        public var point: Int
        /// Replication (`-1` in summary tables, written `all`).
        public var replication: Int
        /// Cells after `run, point, replication`.
        public var cells: [String]
    }

    /// The table (file) name without `.csv`.
    public var name: String
    /// Columns after `run, point, replication`.
    public var columns: [String]
    /// Rows, ordered by run (stable: a run's rows stay in emission order).
    public var rows: [Row]

    /// The CSV text (header and rows).
    public var csv: String {
        var s = CSV.line(["run", "point", "replication"] + columns)
        for r in rows {
            let id = [r.run < 0 ? "all" : String(r.run), String(r.point), r.replication < 0 ? "all" : String(r.replication)]
            s += CSV.line(id + r.cells)
        }
        return s
    }

    /// Parses CSV text written by `csv`; nil when the header or a row is malformed.
    public init?(name: String, csv text: String) {
        let rows = CSV.parse(text)
        guard let header = rows.first, header.count >= 3, Array(header[0..<3]) == ["run", "point", "replication"] else { return nil }
        self.name = name
        self.columns = Array(header[3...])
        self.rows = []
        for r in rows.dropFirst() {
            guard r.count == header.count else { return nil }
            let run = r[0] == "all" ? -1 : Int(r[0]), rep = r[2] == "all" ? -1 : Int(r[2])
            guard let run, let point = Int(r[1]), let rep else { return nil }
            self.rows.append(Row(run: run, point: point, replication: rep, cells: Array(r[3...])))
        }
    }

    /// A table with the given contents.
    public init(name: String, columns: [String], rows: [Row]) {
        self.name = name
        self.columns = columns
        self.rows = rows
    }
}
