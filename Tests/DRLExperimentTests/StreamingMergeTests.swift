import Testing
import Foundation
import DRLScenario
import DRLSimCore
import DRLTestSupport
@testable import DRLExperiment

/// `drlsim merge` and the summaries without whole tables in memory: the streamed merge writes
/// the bytes the in-memory merge writes, refuses what it refuses; a result file streamed a row at
/// a time gives the rows `TextTable.parse` gives; the running mean is GSL's mean exactly.
struct StreamingMergeTests {
    /// Writes the shards `runs` of the determinism scenario (or the DR example) to `tmp`.
    static func shards(_ s: Scenario, _ parts: [[Int]], in tmp: TemporaryFolder) throws -> [String] {
        let runner = ExperimentRunner(scenario: s)
        return try parts.enumerated().map { i, runs in
            let path = tmp.url.appendingPathComponent("shard\(i)").path
            try ResultSet.build(scenario: s, results: runner.execute(runs: runs), shard: "\(i)/\(parts.count)").write(to: path)
            return path
        }
    }

    static func drScenario() throws -> Scenario {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/examples/protect-disaster-recover.yaml")
        return try Scenario.parse(yaml: String(contentsOf: file, encoding: .utf8), file: "protect-disaster-recover.yaml",
                                  overrides: ["replications=2"])
    }

    @Test(arguments: [false, true]) func streamedMergeWritesTheInMemoryBytes(_ dr: Bool) throws {
        let tmp = try TemporaryFolder("smerge")
        defer { tmp.remove() }
        let s = dr ? try Self.drScenario() : try Scenario.parse(yaml: DeterminismTests.yaml, file: "det.yaml")
        let n = s.runCount
        let paths = try Self.shards(s, [Array(stride(from: 1, to: n, by: 2)), Array(stride(from: 0, to: n, by: 2))], in: tmp)
        let memory = tmp.url.appendingPathComponent("memory").path, streamed = tmp.url.appendingPathComponent("streamed").path
        try ResultMerger.merge(try paths.map { ($0, try ResultSet.read(from: $0)) }).write(to: memory)
        let merged = try ResultMerger.merge(folders: paths, to: streamed)
        #expect(merged.runs == n && merged.manifest.shard == "all")
        let a = try StreamingResultTests.folder(memory), b = try StreamingResultTests.folder(streamed)
        #expect(a.keys.sorted() == b.keys.sorted())
        #expect(a == b)
        if dr { #expect(a["dr_summary.csv"] != nil && a["protection.csv"] != nil) }
        // The merged set is the unsharded set (timing.csv aside).
        let full = tmp.url.appendingPathComponent("full").path
        try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute()).write(to: full)
        #expect(try StreamingResultTests.folder(full) == b)
        // Partial: the same manifest ('partial') and tables, no summaries.
        let pm = tmp.url.appendingPathComponent("pm").path, ps = tmp.url.appendingPathComponent("ps").path
        try ResultMerger.merge([(paths[0], try ResultSet.read(from: paths[0]))], allowPartial: true).write(to: pm)
        _ = try ResultMerger.merge(folders: [paths[0]], allowPartial: true, to: ps)
        #expect(try StreamingResultTests.folder(pm) == StreamingResultTests.folder(ps))
    }

    @Test func streamedMergeRefusesLikeTheInMemoryMerge() throws {
        let tmp = try TemporaryFolder("smerge-bad")
        defer { tmp.remove() }
        let s = try Scenario.parse(yaml: DeterminismTests.yaml, file: "det.yaml")
        let other = try Scenario.parse(yaml: DeterminismTests.yaml, file: "det.yaml", overrides: ["seed=3"])
        let p = try Self.shards(s, [[0, 2, 4], [1, 3]], in: tmp)
        let q = try Self.shards(other, [[1, 3, 5]], in: try TemporaryFolder("smerge-other"))
        let out = tmp.url.appendingPathComponent("out").path
        func message(_ f: () throws -> Void) -> String { do { try f(); return "" } catch { return "\(error)" } }
        #expect(message { _ = try ResultMerger.merge(folders: p, to: out) }.contains("1 of 6 runs missing (5)"))
        #expect(message { _ = try ResultMerger.merge(folders: [p[0], p[0]], to: out) }.contains("duplicate"))
        #expect(message { _ = try ResultMerger.merge(folders: [p[0], q[0]], to: out) }.contains("refusing"))
        // A changed byte is caught by the checksum in the streaming pass.
        let q0 = (p[1] as NSString).appendingPathComponent("queue.csv")
        var text = try String(contentsOfFile: q0, encoding: .utf8)
        text = text.replacingOccurrences(of: ",1,", with: ",2,", options: [], range: text.range(of: ",1,"))
        try text.write(toFile: q0, atomically: true, encoding: .utf8)
        let m = message { _ = try ResultMerger.merge(folders: p, allowPartial: true, to: out) }
        #expect(m.contains("queue.csv") && (m.contains("checksum") || m.contains("does not match")))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func fileRowsAreTheParsedRows() throws {
        let tmp = try TemporaryFolder("csvfile")
        defer { tmp.remove() }
        // Quoted cells with commas, quotes and line breaks, a CRLF line, empty cells.
        let text = "run,point,replication,a,b\n0,0,0,x,\"y,z\"\n1,0,1,\"multi\nline\",\"q\"\"uote\"\nall,1,all,,\r\n2,0,2,\"\",e\n"
        let path = tmp.url.appendingPathComponent("t.csv").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let parsed = try TextTable.parse(name: "t", csv: text).get()
        let file = try CSVFileTable(name: "t", path: path)
        var rows: [TextTable.Row] = []
        let scan = try file.scan { rows.append($0) }
        #expect(file.columns == parsed.columns)
        #expect(rows == parsed.rows)
        #expect(scan.rows == 4 && scan.bytes == text.utf8.count && scan.fnv == Fingerprint.fnv1a64Hex(text))
        // A cut last line and an unclosed quote are refused with the file and line.
        try "run,point,replication,a\n0,0,0,1\n0,0,0,2".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ExperimentError.self) { try CSVFileTable(name: "t", path: path).scan { _ in } }
        try "run,point,replication,a\n0,0,0,\"1\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ExperimentError.self) { try CSVFileTable(name: "t", path: path).scan { _ in } }
    }

    /// `RunningMean` accumulates exactly as gsl_stats_mean: the same double, bit for bit.
    @Test func runningMeanIsGSLsMean() {
        var rng = SystemRandomNumberGenerator()
        for n in [1, 2, 3, 10, 997, 20_000] {
            var xs: [Double] = []
            var m = RunningMean()
            for i in 0..<n {
                let x = i % 7 == 0 ? Double.random(in: -1e9...1e9, using: &rng) : Double.random(in: 0...1, using: &rng) * 1e-3 + 0.1
                xs.append(x)
                m.add(x)
            }
            #expect(m.mean.bitPattern == Statistics.mean(xs).bitPattern)
        }
        #expect(RunningMean().mean.isNaN)
    }

    /// The summaries of a result set on disk (streamed) are those of the set in memory.
    @Test func summariesAndCurvesFromFilesEqualInMemory() throws {
        let tmp = try TemporaryFolder("sumfile")
        defer { tmp.remove() }
        let s = try Self.drScenario()
        let set = try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute())
        let path = tmp.url.appendingPathComponent("set").path
        try set.write(to: path)
        let folder = try ResultFolder.open(path)
        let fromFiles = try ResultSet.summaries(manifest: set.manifest, tables: folder.lookup)
        let inMemory = try ResultSet.summaries(manifest: set.manifest, tables: set.lookup)
        #expect(fromFiles == inMemory)
        #expect(fromFiles.contains { $0.name == DRSummary.table && !$0.rows.isEmpty })
        #expect(try CurveExtractor().curves(in: folder.lookup) == CurveExtractor().curves(of: set))
    }

    /// Per-VM recovery in priority groups: the streaming writer (`drlsim run`, and `drlsim check`
    /// with `everySummaryInput`) and the streamed merge of two shards write the files `build`
    /// writes, dr_summary with the recovery.group_rto_s / vm_rto_s rows included (before issue 16's
    /// fix `drlsim run`'s default writer left them out: that test asserted the old, wrong answer).
    @Test func checkStreamingSeesTheRecoveryGroups() throws {
        var yaml = """
        schema: 1
        name: groups
        seed: 5
        duration: 10min
        replications: 2
        sites:
          primary: { name: umea, hosts: 4 }
          backup: { name: lulea, hosts: 3 }
        wan: { rate: 1gbit, delay: 2.5ms, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }
        workload:
          vms:

        """
        for (name, p) in [("a", 2), ("b", 1), ("c", 1)] { yaml += "    - { name: \(name), image: 190MB, volume: { size: 16MiB }, priority: \(p) }\n" }
        yaml += """
        protection: { policy: replication, interval: 30min, first_after: 1min }
        detector: { transport: fixed }
        disaster: { at: 4min }
        recovery: { concurrency: 1 }
        """
        let s = try Scenario.parse(yaml: yaml, file: "g.yaml")
        let tmp = try TemporaryFolder("groups")
        defer { tmp.remove() }
        let memory = tmp.url.appendingPathComponent("memory").path
        let set = try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute())
        try set.write(to: memory)
        var streamed: [Bool: [String: String]] = [:]
        for every in [true, false] {
            let spool = try ResultSpool(spillThreshold: 5)
            let results = try ExperimentRunner(scenario: s).execute(spool: spool)
            let path = tmp.url.appendingPathComponent("s\(every)").path
            try ResultSet.write(scenario: s, results: results, spool: spool, to: path, everySummaryInput: every)
            streamed[every] = try StreamingResultTests.folder(path)
            if every {
                #expect(try CurveExtractor().curves(in: ResultFolder.open(path).lookup) == CurveExtractor().curves(of: set))
            }
        }
        let m = try StreamingResultTests.folder(memory)
        #expect(m["dr_summary.csv"]!.contains("recovery.group_rto_s"))
        #expect(m["dr_summary.csv"]!.contains("recovery.vm_rto_s"))
        #expect(streamed[true] == m)
        #expect(streamed[false] == m)
        // drlsim merge of two shards (one replication each): the same files.
        let paths = try Self.shards(s, [[1], [0]], in: tmp)
        let merged = tmp.url.appendingPathComponent("merged").path
        _ = try ResultMerger.merge(folders: paths, to: merged)
        #expect(try StreamingResultTests.folder(merged) == m)
    }
}
