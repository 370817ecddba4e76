import DRLSimCore

/// A malformed block trace: names the file and 1-based line (the CLI maps it to exit code 2).
public struct BlockTraceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The trace file as the scenario named it.
    public var file: String
    /// 1-based line number (0: the file as a whole, e.g. it cannot be read).
    public var line: Int
    /// What is wrong.
    public var message: String

    /// `FILE:LINE: message`, or `FILE: message` when no line applies.
    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// One record of a block trace.
public struct TraceRecord: Hashable, Sendable {
    /// Time since the first record.
    public var time: SimDuration
    /// Byte offset.
    public var offset: Int64
    /// Length in bytes.
    public var size: Int64
    /// True for a write, false for a read.
    public var isWrite: Bool
}

/// A block I/O trace read from CSV, replayed by `TraceReplayGenerator` (writes only; reads do
/// not change the volume and are skipped).
///
/// Two layouts are accepted, told apart by the number of columns:
/// - the simple layout, 4 columns: `timestamp_s,offset,size,type` with the timestamp in
///   seconds (decimal), offset and size in bytes, type `W`/`Write` or `R`/`Read`
///   (case-insensitive);
/// - the SNIA MSR Cambridge layout (IOTTA repository, traces of Narayanan et al., FAST 2008),
///   7 columns: `Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime`, the timestamp in
///   Windows filetime ticks (100 ns since 1601), type `Read`/`Write`, offset and size in bytes,
///   response time in ticks (ignored).
/// Empty lines and lines starting with `#` are skipped; a first line whose first field is not a
/// number is a header. Times are relative to the first record. Any other malformed line is a
/// `BlockTraceError` naming the file and line.
public struct BlockTrace: Hashable, Sendable {
    /// The records in file order.
    public var records: [TraceRecord]
    /// The file name used in errors.
    public var file: String

    /// Largest offset or size a record may have (1 PiB, the scenario's size bound), so that
    /// `offset + size` and sums of sizes cannot overflow.
    public static let maxBytes: Int64 = 1 << 50

    /// Largest trace file loaded (1 GiB: about 20 M records, a few GB in memory).
    public static let maxFileBytes = 1 << 30

    /// Parses `text` (the content of `file`).
    public static func parse(_ text: String, file: String) throws(BlockTraceError) -> BlockTrace {
        var records: [TraceRecord] = []
        var firstTicks: Int64? = nil
        var msrFirst: Int64? = nil
        var lineNo = 0
        var sawData = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            let line = rawLine.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") { continue }
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: " \t") }
            func fail(_ m: String) -> BlockTraceError { BlockTraceError(file: file, line: lineNo, message: m) }
            if !sawData, Double(f[0]) == nil, Int64(f[0]) == nil { sawData = true; continue } // header
            sawData = true
            let ticks: Int64, offset: Int64, size: Int64, type: String
            switch f.count {
            case 4:
                guard let t = Double(f[0]), t.isFinite, t >= 0 else { throw fail("timestamp \"\(f[0])\" is not a number of seconds") }
                ticks = SimDuration.seconds(t).nanoseconds
                guard let o = Int64(f[1]), o >= 0 else { throw fail("offset \"\(f[1])\" is not a byte count") }
                guard let s = Int64(f[2]), s > 0 else { throw fail("size \"\(f[2])\" is not a positive byte count") }
                offset = o; size = s; type = f[3]
            case 7:
                guard let t = Int64(f[0]), t >= 0 else { throw fail("MSR timestamp \"\(f[0])\" is not a filetime tick count") }
                // Filetime ticks since 1601 overflow Int64 nanoseconds; only the offset from the
                // first record is converted.
                let first = msrFirst ?? t
                if msrFirst == nil { msrFirst = t; firstTicks = 0 }
                guard t >= first else { throw fail("timestamp runs backwards") }
                guard t - first <= Int64.max / 200 else { throw fail("MSR timestamp \"\(f[0])\" is more than 14,000 years after the first record") }
                ticks = (t - first) * 100 // 100 ns ticks -> ns
                guard let o = Int64(f[4]), o >= 0 else { throw fail("offset \"\(f[4])\" is not a byte count") }
                guard let s = Int64(f[5]), s > 0 else { throw fail("size \"\(f[5])\" is not a positive byte count") }
                offset = o; size = s; type = f[3]
            default:
                throw fail("expected 4 columns (timestamp_s,offset,size,type) or 7 (MSR Cambridge), found \(f.count)")
            }
            guard offset <= Self.maxBytes, size <= Self.maxBytes else {
                throw fail("offset or size above 1 PiB (2^50 B), beyond any volume modelled")
            }
            let isWrite: Bool
            switch type.lowercased() {
            case "w", "write": isWrite = true
            case "r", "read": isWrite = false
            default: throw fail("type \"\(type)\" is neither Read nor Write")
            }
            let base = firstTicks ?? ticks
            if firstTicks == nil { firstTicks = ticks }
            guard ticks >= base else { throw fail("timestamp runs backwards") }
            if let last = records.last, ticks - base < last.time.nanoseconds { throw fail("timestamp runs backwards") }
            records.append(TraceRecord(time: .nanoseconds(ticks - base), offset: offset, size: size, isWrite: isWrite))
        }
        return BlockTrace(records: records, file: file)
    }

    /// Total bytes of the write records.
    public var writeBytes: Int64 { records.reduce(0) { $0 + ($1.isWrite ? $1.size : 0) } }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self[...]
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
extension String {
    func trimmingCharacters(in set: String) -> String { self[...].trimmingCharacters(in: set) }
}

import Foundation

extension BlockTrace {
    /// Reads and parses the trace at `path` (errors name `path`; an unreadable file is line 0).
    public static func load(path: String) throws(BlockTraceError) -> BlockTrace {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maxFileBytes {
            throw BlockTraceError(file: path, line: 0, message: "trace file of \(size) bytes exceeds the limit of \(maxFileBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw BlockTraceError(file: path, line: 0, message: "cannot read the trace file")
        }
        return try parse(text, file: path)
    }
}
