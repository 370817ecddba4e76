import Foundation

/// A result file (`<table>.csv` of a result set) read one row at a time, in bounded memory: the
/// file is read in 1 MiB chunks and split into records at line breaks outside quoted cells;
/// each record is parsed like `TextTable.parse` parses the whole text (the same cells, the same
/// errors with the same line numbers), so a table streamed from disk and the same table read
/// whole give the same rows. Memory: one chunk and one record, whatever the file's size.
///
/// While reading, the bytes are counted and FNV-1a hashed (`Fingerprint.fnv1a64Hex` of the whole
/// text), so a single pass can also verify the file against its manifest (`ResultSet.verify`).
public struct CSVFileTable: RowSource {
    /// The table name.
    public let name: String
    /// The file.
    public let path: String
    /// Columns after `run, point, replication` (from the header).
    public let columns: [String]

    /// Opens `path` and reads its header (throws `ExperimentError` naming the file and line).
    public init(name: String, path: String) throws {
        self.name = name
        self.path = path
        var reader = try Reader(path: path)
        guard let header = try reader.nextRecord() else {
            throw ExperimentError("\(path):1: empty file (no header)")
        }
        let cells = try Self.cells(header, path: path, line: 1)
        guard cells.count >= 3, Array(cells[0..<3]) == ["run", "point", "replication"] else {
            throw ExperimentError("\(path):1: header does not start with run,point,replication")
        }
        columns = Array(cells[3...])
    }

    public func forEachRow(_ body: (TextTable.Row) throws -> Void) throws {
        _ = try scan(body)
    }

    /// What a complete pass over the file found.
    public struct Scan: Sendable {
        /// Data rows (the header excluded).
        public var rows: Int
        /// Bytes of the file.
        public var bytes: Int
        /// FNV-1a 64 of the file (hex), as `Fingerprint.fnv1a64Hex` of its text.
        public var fnv: String
    }

    /// Reads every row (calling `body` with each) and returns the file's row count, size and
    /// checksum; throws on the first malformed line like `TextTable.parse`.
    @discardableResult
    public func scan(_ body: (TextTable.Row) throws -> Void) throws -> Scan {
        var cursor = try makeCursor()
        while let r = try cursor.next() { try body(r) }
        return cursor.result
    }

    /// A pull-style reader of the rows (after the header).
    public func makeCursor() throws -> Cursor {
        var reader = try Reader(path: path)
        _ = try reader.nextRecord()   // the header
        return Cursor(reader: reader, path: path, width: columns.count + 3)
    }

    /// Rows one at a time (`next()`), then the file's `result`.
    public struct Cursor {
        var reader: Reader
        let path: String
        let width: Int
        /// Rows returned so far.
        public private(set) var rows = 0
        /// Line (1-based) of the row `next()` returned last.
        public var line: Int { reader.recordLine }

        /// The next row, nil after the last.
        public mutating func next() throws -> TextTable.Row? {
            guard let rec = try reader.nextRecord() else { return nil }
            let line = reader.recordLine
            let r = try CSVFileTable.cells(rec, path: path, line: line)
            guard r.count == width else {
                throw ExperimentError("\(path):\(line): \(r.count) cells, the header has \(width)")
            }
            let run = r[0] == "all" ? -1 : Int(r[0]), rep = r[2] == "all" ? -1 : Int(r[2])
            guard let run, let point = Int(r[1]), let rep else {
                throw ExperimentError("\(path):\(line): run, point and replication must be integers")
            }
            rows += 1
            return TextTable.Row(run: run, point: point, replication: rep, cells: Array(r[3...]))
        }

        /// Rows, bytes and checksum of the whole file (once `next()` returned nil).
        public var result: Scan { Scan(rows: rows, bytes: reader.fnv.bytes, fnv: reader.fnv.hex) }
    }

    /// The cells of one record (its bytes up to and including its line break).
    static func cells(_ record: [UInt8], path: String, line: Int) throws -> [String] {
        // Fast path: no quote, no carriage return: split on commas (what the writer produces).
        if !record.contains(UInt8(ascii: "\"")), !record.contains(13) {
            return record.dropLast().split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
                .map { String(decoding: $0, as: UTF8.self) }
        }
        guard let text = String(bytes: record, encoding: .utf8) else {
            throw ExperimentError("\(path):\(line): not UTF-8 text")
        }
        switch CSV.parseChecked(text) {
        case .success(let rows):
            return rows.first ?? [""]
        case .failure(let e):
            throw ExperimentError("\(path):\(line + e.line - 1): \(e.message)")
        }
    }

    /// Splits a file into records: bytes up to a line break outside quotes.
    struct Reader {
        let handle: FileHandle
        let path: String
        var buffer: [UInt8] = []
        var position = 0
        var eof = false
        /// Line (1-based) on which the record last returned starts.
        var recordLine = 0
        var nextLine = 1
        var fnv = StreamingFNV()

        init(path: String) throws {
            guard let h = FileHandle(forReadingAtPath: path) else { throw ExperimentError("\(path): missing or unreadable") }
            handle = h
            self.path = path
        }

        mutating func fill() throws -> Bool {
            guard !eof else { return false }
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { eof = true; try? handle.close(); return false }
            fnv.add(chunk)
            if position > 0 { buffer.removeFirst(position); position = 0 }
            buffer.append(contentsOf: chunk)
            return true
        }

        /// The next record (with its line break), nil at the end of the file; throws when the
        /// file ends inside a record (no final line break, or an unclosed quote).
        mutating func nextRecord() throws -> [UInt8]? {
            var inQuote = false
            var i = position
            var breaks = 0
            while true {
                while i < buffer.count {
                    let b = buffer[i]
                    if b == UInt8(ascii: "\"") { inQuote.toggle() }
                    else if b == 10 {
                        if !inQuote {
                            let rec = Array(buffer[position...i])
                            position = i + 1
                            recordLine = nextLine
                            nextLine += breaks + 1
                            return rec
                        }
                        breaks += 1
                    }
                    i += 1
                }
                let consumed = i - position
                guard try fill() else { break }
                i = position + consumed
            }
            guard position < buffer.count else { return nil }
            // The file ends inside a record.
            if inQuote {
                throw ExperimentError("\(path):\(nextLine): a quoted cell is never closed")
            }
            throw ExperimentError("\(path):\(nextLine + breaks): the last line is cut (no line break at the end)")
        }
    }
}
