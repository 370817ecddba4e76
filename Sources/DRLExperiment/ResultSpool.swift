import Foundation
import DRLSimCore

/// Rows streamed to disk while runs record them: each run's tables go, as the CSV lines of their
/// result file (`run,point,replication,` + the cells, formatted as `ResultSet.build` formats
/// them), into one part file per run and table in a scratch folder. `ResultSet.write(scenario:
/// results:spool:shard:to:)` then concatenates the parts in run order into the result files.
///
/// Memory: a run holds at most `Recorder.spillThreshold` rows per table before they are written
/// out, whatever the run's length or the number of runs; the result set is never held whole
/// (the summaries read their tables back from the files a row at a time, `CSVFileTable`). Runs on several threads write disjoint
/// files; the book of parts is guarded by a lock.
public final class ResultSpool: @unchecked Sendable {
    /// The scratch folder (removed when the spool is released).
    public let folder: URL
    /// Rows of one table a run buffers before writing them out (`Recorder.spillThreshold`).
    public let spillThreshold: Int
    private let lock = NSLock()
    private var parts: [PartKey: Part] = [:]

    struct PartKey: Hashable { var run: Int; var table: String }
    struct Part { var url: URL; var rows: Int }

    /// A spool in a fresh scratch folder under `parent` (default: the system's temporary folder).
    public init(parent: URL? = nil, spillThreshold: Int = 4096) throws {
        self.spillThreshold = max(1, spillThreshold)
        let base = parent ?? FileManager.default.temporaryDirectory
        folder = base.appendingPathComponent("drlsim-spool-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// The writer of run `run` (one thread at a time).
    func writer(run: Int, point: Int, replication: Int) -> RunWriter {
        RunWriter(spool: self, run: run, prefix: [String(run), String(point), String(replication)])
    }

    /// The part of `run`'s `table`, if the run spilled rows of it.
    func part(run: Int, table: String) -> Part? {
        lock.lock(); defer { lock.unlock() }
        return parts[PartKey(run: run, table: table)]
    }

    fileprivate func register(run: Int, table: String, url: URL, rows: Int) {
        lock.lock(); defer { lock.unlock() }
        parts[PartKey(run: run, table: table)] = Part(url: url, rows: rows)
    }

    /// Appends one run's spilled rows to its part files.
    final class RunWriter {
        unowned let spool: ResultSpool
        let run: Int
        let prefix: [String]
        let prefixText: String
        private var files: [String: (handle: FileHandle, url: URL, rows: Int)] = [:]
        private(set) var error: (any Error)?

        fileprivate init(spool: ResultSpool, run: Int, prefix: [String]) {
            self.spool = spool; self.run = run; self.prefix = prefix
            self.prefixText = prefix.joined(separator: ",")
        }

        /// Formats `rows` of `table` and appends them to the run's part of the table.
        func append(_ table: String, _ rows: [[RecordValue]]) {
            guard error == nil else { return }
            // `CSV.line(prefix + cells)` without the intermediate arrays (the prefix is digits).
            var text = ""
            text.reserveCapacity(rows.count * 64)
            for r in rows {
                text += prefixText
                for v in r {
                    text += ","
                    switch v {
                    case .int(let i): text += String(i)              // digits: never quoted
                    case .double(let d): text += CSV.number(d)       // digits, '.', 'e', '-', nan, inf
                    case .text(let t):
                        // `CSV.text` quotes only cells holding ',', '"', CR or LF: scan the bytes first.
                        text += t.utf8.contains(where: { $0 == 44 || $0 == 34 || $0 == 10 || $0 == 13 }) ? CSV.text(t) : t
                    }
                }
                text += "\n"
            }
            do {
                var f: (handle: FileHandle, url: URL, rows: Int)
                if let open = files[table] { f = open } else {
                    let url = spool.folder.appendingPathComponent("r\(run)-t\(files.count).part")
                    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                        throw ExperimentError("\(url.path): cannot create a spool file")
                    }
                    f = (try FileHandle(forWritingTo: url), url, 0)
                }
                try f.handle.write(contentsOf: Data(text.utf8))
                f.rows += rows.count
                files[table] = f
            } catch {
                self.error = error
            }
        }

        /// Closes the run's part files and registers them with the spool.
        func close() throws {
            for (table, f) in files {
                try f.handle.close()
                spool.register(run: run, table: table, url: f.url, rows: f.rows)
            }
            files = [:]
            if let error { throw ExperimentError("spooling run \(run)'s rows: \(error)") }
        }
    }
}

/// FNV-1a 64 over a byte stream (`Fingerprint.fnv1a64Hex` of the whole text, fed in pieces).
struct StreamingFNV {
    private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var bytes = 0

    mutating func add(_ data: Data) {
        var h = hash
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            for b in buf {
                h ^= UInt64(b)
                h = h &* 0x0000_0100_0000_01b3
            }
        }
        hash = h
        bytes += data.count
    }

    var hex: String {
        let s = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
