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

    /// A problem found parsing a table: the 1-based line and what is wrong.
    public struct ParseError: Error, Sendable {
        /// Line in the file (1 = header).
        public var line: Int
        /// What is wrong.
        public var message: String
    }

    /// Parses CSV text written by `csv`, completely: the header must start `run,point,replication`,
    /// every row must have the header's number of cells and integer (or `all`) identities, and
    /// the text must end with a line break (a file cut mid-line does not).
    public static func parse(name: String, csv text: String) -> Result<TextTable, ParseError> {
        if text.isEmpty { return .failure(ParseError(line: 1, message: "empty file (no header)")) }
        guard text.hasSuffix("\n") else {
            return .failure(ParseError(line: text.reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }, message: "the last line is cut (no line break at the end)"))
        }
        let rows: [[String]]
        switch CSV.parseChecked(text) {
        case .success(let r): rows = r
        case .failure(let e): return .failure(ParseError(line: e.line, message: e.message))
        }
        guard let header = rows.first, header.count >= 3, Array(header[0..<3]) == ["run", "point", "replication"] else {
            return .failure(ParseError(line: 1, message: "header does not start with run,point,replication"))
        }
        var out: [Row] = []
        out.reserveCapacity(rows.count - 1)
        for (i, r) in rows.dropFirst().enumerated() {
            guard r.count == header.count else {
                return .failure(ParseError(line: i + 2, message: "\(r.count) cells, the header has \(header.count)"))
            }
            let run = r[0] == "all" ? -1 : Int(r[0]), rep = r[2] == "all" ? -1 : Int(r[2])
            guard let run, let point = Int(r[1]), let rep else {
                return .failure(ParseError(line: i + 2, message: "run, point and replication must be integers"))
            }
            out.append(Row(run: run, point: point, replication: rep, cells: Array(r[3...])))
        }
        return .success(TextTable(name: name, columns: Array(header[3...]), rows: out))
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
