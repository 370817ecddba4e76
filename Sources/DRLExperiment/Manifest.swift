import DRLScenario

/// `manifest.txt` of a result set: what produced it, so that shards can be checked and merged.
///
/// Plain `key: value` lines in a fixed order (deterministic bytes), the first always
/// `format: drlsim-results 2` (how a folder is recognised as a result set). A complete set has
/// `shard: all`; a shard's partial set `shard: K/N`; a merge with `--allow-partial` `shard: partial`.
/// One `csv:` line per table: `csv: NAME.csv rows N bytes B fnv1a64 H` (FNV-1a 64 of the file's
/// bytes); `timing.csv` (wall-clock times, different at every run) carries only its row count, so
/// the manifest itself stays deterministic. `merge` and `check` verify every line.
public struct Manifest: Sendable, Equatable {
    /// The format line's version.
    public static let format = "drlsim-results 2"
    /// Formats this drlsim can read (1: before checksums; read, never verified).
    public static let readableFormats = ["drlsim-results 1", "drlsim-results 2"]
    /// Largest number of runs a manifest may declare (points x replications).
    public static let maxRuns = 100_000_000
    /// The drlsim version that wrote the set.
    public var version: String
    /// The scenario name.
    public var scenario: String
    /// The scenario file's base name (`fig7.yaml`).
    public var file: String
    /// `Scenario.fingerprint` (file text and overrides).
    public var fingerprint: String
    /// The base seed.
    public var seed: UInt64
    /// Sweep points.
    public var points: Int
    /// Replications per point.
    public var replications: Int
    /// `all`, `K/N` or `partial`.
    public var shard: String
    /// Cross-replication summaries to compute for a complete set.
    public var summaries: [SummarySpec]
    /// What every CSV file of the set holds (empty in a manifest of format 1).
    public var files: [FileCheck] = []
    /// The format line read (`drlsim-results 1` or `2`).
    public var formatRead: String = Manifest.format

    /// The recorded size and checksum of one CSV file of the set.
    public struct FileCheck: Sendable, Hashable {
        /// File name (`queue.csv`).
        public var name: String
        /// Data rows (header excluded).
        public var rows: Int
        /// Bytes, or nil when not recorded (`timing.csv`).
        public var bytes: Int?
        /// FNV-1a 64 hex digest, or nil when not recorded.
        public var fnv: String?

        /// The check of `content` (rows counted from `table`); `withDigest` false keeps only rows.
        public init(name: String, rows: Int, content: String, withDigest: Bool) {
            self.name = name
            self.rows = rows
            self.bytes = withDigest ? content.utf8.count : nil
            self.fnv = withDigest ? Fingerprint.fnv1a64Hex(content) : nil
        }

        init(name: String, rows: Int, bytes: Int?, fnv: String?) {
            self.name = name; self.rows = rows; self.bytes = bytes; self.fnv = fnv
        }

        var line: String {
            var s = "csv: \(name) rows \(rows)"
            if let bytes, let fnv { s += " bytes \(bytes) fnv1a64 \(fnv)" }
            return s
        }
    }

    /// Whether `other` describes the same runs (every field but the file checks and the format read).
    public func describesSameRuns(as other: Manifest) -> Bool {
        var a = self, b = other
        a.files = []; b.files = []
        a.formatRead = Manifest.format; b.formatRead = Manifest.format
        return a == b
    }

    /// Whether `text` (a file's contents) starts with a result-set format line.
    public static func isManifest(_ text: String) -> Bool {
        guard let first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first else { return false }
        return readableFormats.contains { first == "format: \($0)" }
    }

    /// All runs of the scenario.
    public var runCount: Int { points * replications }

    /// One summary to compute: `table.column` into `output`.
    public struct SummarySpec: Sendable, Hashable {
        /// Source table.
        public var table: String
        /// Source column.
        public var column: String
        /// Output table name.
        public var output: String
    }

    /// The file text.
    public var text: String {
        var s = "format: \(Manifest.format)\n"
        s += "drlsim: \(version)\nscenario: \(scenario)\nfile: \(file)\nfingerprint: \(fingerprint)\n"
        s += "seed: \(seed)\npoints: \(points)\nreplications: \(replications)\nruns: \(runCount)\nshard: \(shard)\n"
        for x in summaries { s += "summary: \(x.table) \(x.column) \(x.output)\n" }
        for f in files { s += f.line + "\n" }
        return s
    }

    /// Parses manifest text; nil when malformed (first line not a known format, a field missing,
    /// counts out of range, a malformed `csv:` line).
    public init?(text: String) {
        guard Manifest.isManifest(text), text.utf8.count < 1 << 20 else { return nil }
        var fields: [(String, String)] = []
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let k = String(line[..<colon])
            let v = String(line[line.index(after: colon)...].drop(while: { $0 == " " }))
            fields.append((k, v))
        }
        func one(_ k: String) -> String? { fields.first { $0.0 == k }?.1 }
        guard one("format") == Manifest.format, let version = one("drlsim"), let scenario = one("scenario"),
              let file = one("file"), let fp = one("fingerprint"), let seed = one("seed").flatMap({ UInt64($0) }),
              let points = one("points").flatMap({ Int($0) }), let reps = one("replications").flatMap({ Int($0) }),
              let shard = one("shard"), points >= 1, reps >= 1 else { return nil }
        let (runs, overflow) = points.multipliedReportingOverflow(by: reps)
        guard !overflow, runs <= Manifest.maxRuns, one("runs").flatMap({ Int($0) }) == runs else { return nil }
        var checks: [FileCheck] = []
        for (k, v) in fields where k == "csv" {
            let p = v.split(separator: " ").map(String.init)
            guard p.count == 3 || p.count == 7, p[0].hasSuffix(".csv"), !p[0].contains("/"), p[1] == "rows",
                  let rows = Int(p[2]), rows >= 0 else { return nil }
            if p.count == 7 {
                guard p[3] == "bytes", let b = Int(p[4]), b >= 0, p[5] == "fnv1a64", p[6].count == 16 else { return nil }
                checks.append(FileCheck(name: p[0], rows: rows, bytes: b, fnv: p[6]))
            } else {
                checks.append(FileCheck(name: p[0], rows: rows, bytes: nil, fnv: nil))
            }
        }
        var sums: [SummarySpec] = []
        for (k, v) in fields where k == "summary" {
            let p = v.split(separator: " ").map(String.init)
            guard p.count == 3 else { return nil }
            sums.append(SummarySpec(table: p[0], column: p[1], output: p[2]))
        }
        self.init(version: version, scenario: scenario, file: file, fingerprint: fp, seed: seed, points: points,
                  replications: reps, shard: shard, summaries: sums)
        self.files = checks
        self.formatRead = String(text.prefix { $0 != "\n" }.dropFirst("format: ".count))
    }

    /// A manifest with every field given.
    public init(version: String, scenario: String, file: String, fingerprint: String, seed: UInt64, points: Int,
                replications: Int, shard: String, summaries: [SummarySpec]) {
        self.version = version
        self.scenario = scenario
        self.file = file
        self.fingerprint = fingerprint
        self.seed = seed
        self.points = points
        self.replications = replications
        self.shard = shard
        self.summaries = summaries
    }
}

/// The version of drlsim: the one place it is set; `drlsim --version` prints it and every
/// manifest and baseline records it (Docs/releasing.md, CHANGELOG.md).
public enum DRLSimVersion {
    /// Semantic version of this build.
    public static let current = "0.2.0"
}
