import Foundation
import DRLSimCore

/// Deterministic CSV formatting (RFC 4180): one header row, `,` separators, `\n` line ends.
///
/// Numbers are formatted identically on every machine:
/// - integers in decimal;
/// - doubles with Swift's shortest round-trip representation (the standard library's own
///   SwiftDtoa, not the C library: `0.1`, `9.030098`, `1e-05`, `2.5e+20`), so reading a value
///   back gives exactly the same double; `nan`, `inf`, `-inf` for non-finite values; `-0.0`
///   is written `0.0`;
/// - text is quoted (`"..."`, inner quotes doubled) only when it holds `,`, `"`, CR or LF.
public enum CSV {
    /// A record value as an unquoted cell (quoting happens in `line`).
    public static func cell(_ v: RecordValue) -> String {
        switch v {
        case .int(let i): return String(i)
        case .double(let d): return number(d)
        case .text(let s): return s
        }
    }

    /// A double in the shortest round-trip form.
    public static func number(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d > 0 ? "inf" : "-inf" }
        if d == 0 { return "0.0" }
        return d.description
    }

    /// A text cell, quoted when needed.
    public static func text(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }

    /// One line: cells quoted as needed, joined by `,`, terminated by `\n`.
    public static func line(_ cells: [String]) -> String { cells.map(text).joined(separator: ",") + "\n" }

    /// Parses CSV text like `parse`, and fails on an unterminated quoted cell or text after a
    /// closing quote, with the 1-based line.
    public static func parseChecked(_ text: String) -> Result<[[String]], TextTable.ParseError> {
        var line = 1
        var inQuote = false
        var afterQuote = false
        var quoteLine = 1
        for c in text {
            if inQuote {
                if c == "\"" { inQuote = false; afterQuote = true } else if c == "\n" || c == "\r\n" { line += 1 }
                continue
            }
            if c == "\"" {
                if afterQuote { inQuote = true; afterQuote = false; continue }   // doubled quote
                inQuote = true; quoteLine = line; continue
            }
            if afterQuote, c != ",", c != "\n", c != "\r\n" {
                return .failure(TextTable.ParseError(line: line, message: "text after a closing quote"))
            }
            afterQuote = false
            if c == "\n" || c == "\r\n" { line += 1 }
        }
        if inQuote { return .failure(TextTable.ParseError(line: quoteLine, message: "a quoted cell is never closed")) }
        return .success(parse(text))
    }

    /// Parses CSV text into rows of unquoted cells (the inverse of the writer).
    public static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var cell = ""
        var quoted = false
        var chars = text.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? chars.next() {
            pending = nil
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { cell.append("\"") } else { quoted = false; pending = n }
                    } else { quoted = false }
                } else { cell.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                row.append(cell); cell = ""
            } else if c == "\n" || c == "\r\n" {
                row.append(cell); cell = ""
                rows.append(row); row = []
            } else {
                cell.append(c)
            }
        }
        if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
        return rows
    }
}
