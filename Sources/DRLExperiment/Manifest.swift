/// `manifest.txt` of a result set: what produced it, so that shards can be checked and merged.
///
/// Plain `key: value` lines in a fixed order (deterministic bytes). A complete set has
/// `shard: all`; a shard's partial set `shard: K/N`; a merge with `--allow-partial` `shard: partial`.
public struct Manifest: Sendable, Equatable {
    /// The format line's version.
    public static let format = "drlsim-results 1"
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
        return s
    }

    /// Parses manifest text; nil when malformed.
    public init?(text: String) {
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
              let shard = one("shard") else { return nil }
        var sums: [SummarySpec] = []
        for (k, v) in fields where k == "summary" {
            let p = v.split(separator: " ").map(String.init)
            guard p.count == 3 else { return nil }
            sums.append(SummarySpec(table: p[0], column: p[1], output: p[2]))
        }
        self.init(version: version, scenario: scenario, file: file, fingerprint: fp, seed: seed, points: points,
                  replications: reps, shard: shard, summaries: sums)
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

/// The version of drlsim written into result sets.
public enum DRLSimVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
