import Testing
import Foundation
import DRLSimCore
import DRLScenario
import DRLTestSupport
@testable import DRLExperiment

/// Same seed => identical CSV bytes, whatever `--jobs` or `--shard`; another seed differs.
struct DeterminismTests {
    static let yaml = """
    schema: 1
    name: det
    seed: 11
    replications: 3
    queue:
      arrival: {type: exponential, mean: 1.25s}
      service: {type: uniform, low: 0.5s, high: 1.5s}
      customers: 300
    sweep:
      queue.warmup: [0, 50]
    """

    static func files(seed: Int? = nil, jobs: Int = 1, runs: [Int]? = nil, shard: String = "all") throws -> [String: String] {
        let s = try Scenario.parse(yaml: yaml, file: "det.yaml", overrides: seed.map { ["seed=\($0)"] } ?? [])
        let results = try ExperimentRunner(scenario: s, jobs: jobs).execute(runs: runs)
        let set = try ResultSet.build(scenario: s, results: results, shard: shard)
        var out: [String: String] = [:]
        for f in set.files where f.name != "timing.csv" { out[f.name] = f.content }
        return out
    }

    @Test func sameSeedSameBytes() throws {
        let a = try Self.files(), b = try Self.files()
        #expect(a == b)
        #expect(a.keys.sorted() == ["manifest.txt", "points.csv", "queue.csv", "queue_summary.csv", "runs.csv"])
        #expect(a["runs.csv"]!.hasPrefix("run,point,replication,scenario,seed,duration_s,events,queue.warmup\n0,0,0,det,11,"))
        #expect(a["queue.csv"]!.split(separator: "\n").count == 7)
    }

    @Test func jobsDoNotChangeBytes() throws {
        #expect(try Self.files(jobs: 1) == Self.files(jobs: 2))
        #expect(try Self.files(jobs: 1) == Self.files(jobs: 5))
    }

    @Test func anotherSeedDiffers() throws {
        let a = try Self.files(), b = try Self.files(seed: 12)
        #expect(a["queue.csv"] != b["queue.csv"])
        #expect(a["runs.csv"] != b["runs.csv"])
    }

    @Test func runIndexIsPointMajor() throws {
        let s = try Scenario.parse(yaml: Self.yaml, file: "det.yaml")
        let r = try ExperimentRunner(scenario: s).execute(run: 4)
        #expect(r.point == 1)
        #expect(r.replication == 1)
    }

    @Test func shardsMergeToTheUnshardedBytes() throws {
        let s = try Scenario.parse(yaml: Self.yaml, file: "det.yaml")
        let runner = ExperimentRunner(scenario: s)
        var sets: [(path: String, set: ResultSet)] = []
        for k in 0..<4 {
            let shard = Shard(index: k, count: 4)
            let set = try ResultSet.build(scenario: s, results: runner.execute(runs: shard.runs(of: 6)), shard: shard.description)
            #expect(set.table("queue_summary") == nil)
            sets.append(("shard\(k)", set))
        }
        let merged = try ResultMerger.merge(sets.reversed())
        let full = try Self.files()
        var mergedFiles: [String: String] = [:]
        for f in merged.files where f.name != "timing.csv" { mergedFiles[f.name] = f.content }
        #expect(mergedFiles == full)
    }

    @Test func mergeRefusesMissingDuplicateAndForeignSets() throws {
        let s = try Scenario.parse(yaml: Self.yaml, file: "det.yaml")
        let other = try Scenario.parse(yaml: Self.yaml, file: "det.yaml", overrides: ["seed=3"])
        let a = try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute(runs: [0, 2, 4]), shard: "0/2")
        let b = try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute(runs: [1, 3]), shard: "1/2")
        let c = try ResultSet.build(scenario: other, results: ExperimentRunner(scenario: other).execute(runs: [1, 3, 5]), shard: "1/2")
        #expect { try ResultMerger.merge([("a", a), ("b", b)]) } throws: { ($0 as? ExperimentError)?.message.contains("1 of 6 runs missing (5)") == true }
        #expect { try ResultMerger.merge([("a", a), ("a2", a)]) } throws: { ($0 as? ExperimentError)?.message.contains("duplicate") == true }
        #expect { try ResultMerger.merge([("a", a), ("c", c)]) } throws: { ($0 as? ExperimentError)?.message.contains("refusing") == true }
        let partial = try ResultMerger.merge([("a", a), ("b", b)], allowPartial: true)
        #expect(partial.manifest.shard == "partial")
        #expect(partial.table("runs")?.rows.map(\.run) == [0, 1, 2, 3, 4])
    }

    @Test func folderRoundTripKeepsBytes() throws {
        let tmp = try TemporaryFolder("rt")
        defer { tmp.remove() }
        let s = try Scenario.parse(yaml: Self.yaml, file: "det.yaml")
        let set = try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute())
        let dest = tmp.url.appendingPathComponent("out").path
        try set.write(to: dest)
        try set.write(to: dest)   // replacing an existing set
        #expect(tmp.entries() == ["out"])
        let back = try ResultSet.read(from: dest)
        #expect(back.files.map(\.content) == set.files.map(\.content))
        #expect(back.manifest.describesSameRuns(as: set.manifest))
        #expect(back.manifest.files.map(\.name) == ["points.csv", "queue.csv", "queue_summary.csv", "runs.csv", "timing.csv"])
    }

    /// The result set of run 0 alone (a shard), for the folder-writing tests.
    static func firstRunSet() throws -> ResultSet {
        let s = try Scenario.parse(yaml: yaml, file: "det.yaml")
        return try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute(runs: [0]), shard: "0/6")
    }

    @Test func failedWriteLeavesNothing() throws {
        let tmp = try TemporaryFolder("fw")
        defer { tmp.remove() }
        try tmp.write("blocker", "a file where a folder should be")
        let set = try Self.firstRunSet()
        #expect(throws: ExperimentError.self) { try set.write(to: tmp.url.appendingPathComponent("blocker").path) }
        #expect(tmp.entries() == ["blocker"])
    }

    /// `--out` at a folder of the user's files (e.g. `--out .`) is refused, before and at
    /// writing, and the files survive; an empty folder or an earlier result set is replaced.
    @Test func neverReplacesAFolderThatIsNotAResultSet() throws {
        let tmp = try TemporaryFolder("own")
        defer { tmp.remove() }
        try tmp.write("mine/notes.txt", "precious")
        let set = try Self.firstRunSet()
        let mine = tmp.url.appendingPathComponent("mine").path
        #expect(throws: ExperimentError.self) { try ResultSet.checkWritable(to: mine) }
        #expect(throws: ExperimentError.self) { try set.write(to: mine) }
        #expect(tmp.entries("mine") == ["notes.txt"])
        #expect(tmp.entries().sorted() == ["mine"])          // no temporary sibling left
        // a folder of dot files is the user's too (issue 12: `.git`, `.env`)
        try tmp.write("dots/.keep", "")
        #expect(throws: ExperimentError.self) { try set.write(to: tmp.url.appendingPathComponent("dots").path) }
        #expect(tmp.entries("dots") == [".keep"])
        // an empty folder and an earlier set are fine
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("empty"), withIntermediateDirectories: true)
        let empty = tmp.url.appendingPathComponent("empty").path
        try ResultSet.checkWritable(to: empty)
        try set.write(to: empty)
        try set.write(to: empty)
        #expect(tmp.entries("empty").contains(ResultSet.manifestFile))
    }
}
