import Testing
import Foundation
import DRLScenario
import DRLSimCore
import DRLTestSupport
@testable import DRLExperiment

/// Rows streamed through a `ResultSpool` give the same files, byte for byte (manifest checksums
/// and row counts included), as the result set built in memory, with any `--jobs`.
struct StreamingResultTests {
    /// Every file of the folder at `path` but timing.csv, and the manifest without its
    /// timing.csv line (wall-clock times).
    static func folder(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: path) where name != "timing.csv" {
            var text = try String(contentsOfFile: (path as NSString).appendingPathComponent(name), encoding: .utf8)
            if name == "manifest.txt" { text = text.split(separator: "\n").filter { !$0.contains("timing.csv") }.joined(separator: "\n") }
            out[name] = text
        }
        return out
    }

    /// Writes `s` in memory (`build` + `write`) and streamed (spilling every `threshold` rows,
    /// on `jobs` threads) and returns both folders' files.
    static func both(_ s: Scenario, jobs: Int, threshold: Int, shard: String = "all", runs: [Int]? = nil) throws
        -> (memory: [String: String], streamed: [String: String]) {
        let tmp = try TemporaryFolder("stream")
        defer { tmp.remove() }
        let a = tmp.url.appendingPathComponent("memory").path, b = tmp.url.appendingPathComponent("streamed").path
        try ResultSet.build(scenario: s, results: ExperimentRunner(scenario: s).execute(runs: runs), shard: shard).write(to: a)
        let spool = try ResultSpool(spillThreshold: threshold)
        let results = try ExperimentRunner(scenario: s, jobs: jobs).execute(runs: runs, spool: spool)
        #expect(results.allSatisfy { $0.tables.allSatisfy(\.rows.isEmpty) })   // no rows kept in memory
        try ResultSet.write(scenario: s, results: results, spool: spool, shard: shard, to: b)
        return (try folder(a), try folder(b))
    }

    @Test(arguments: [(1, 1), (2, 3), (3, 4096)]) func queueSweepSameBytes(_ jobs: Int, _ threshold: Int) throws {
        let s = try Scenario.parse(yaml: DeterminismTests.yaml, file: "det.yaml")
        let (m, st) = try Self.both(s, jobs: jobs, threshold: threshold)
        #expect(m.keys.sorted() == ["manifest.txt", "points.csv", "queue.csv", "queue_summary.csv", "runs.csv"])
        #expect(m == st)
        let shard = try Self.both(s, jobs: jobs, threshold: threshold, shard: "1/2", runs: [1, 3, 5])
        #expect(shard.memory == shard.streamed)
    }

    /// A DR world (protection, rpo, recovery, replication, traffic, dr_summary) over two sweep points.
    @Test func drScenarioSameBytes() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/examples/protect-disaster-recover.yaml")
        let s = try Scenario.parse(yaml: String(contentsOf: file, encoding: .utf8), file: "protect-disaster-recover.yaml",
                                   overrides: ["replications=1"])
        let (m, st) = try Self.both(s, jobs: 2, threshold: 7)
        #expect(m["dr_summary.csv"] != nil && m["replication.csv"] != nil && m["protection.csv"] != nil)
        #expect(m == st)
    }
}

/// The read-back fast path parses like `TextTable.parse`.
struct ReadBackTests {
    @Test func sameTableAsTheGeneralParser() throws {
        let texts = ["run,point,replication,a,b\n0,0,0,1.5,x\n1,0,1,,nan\nall,0,all,2,y\n",
                     "run,point,replication,a\n",
                     "run,point,replication,a,b\n0,0,0,\"x,y\",2\n"]   // quoted: general parser
        for t in texts {
            let fast = ResultSet.readBack(name: "t", csv: t), slow = TextTable.parse(name: "t", csv: t)
            #expect(try fast.get() == slow.get())
        }
        #expect(throws: TextTable.ParseError.self) { try ResultSet.readBack(name: "t", csv: "run,point,replication,a\n0,0,0\n").get() }
    }
}

/// A spooled row is `CSV.line` of the run identity and the cells, quoting included.
struct SpoolFormatTests {
    @Test func partLinesAreCSVLines() throws {
        let spool = try ResultSpool(spillThreshold: 2)
        let w = spool.writer(run: 7, point: 1, replication: 3)
        let rows: [[RecordValue]] = [
            [.int(-5), .double(0.1), .text("plain")],
            [.int(0), .double(.nan), .text("a,b")],
            [.int(1), .double(-.infinity), .text("say \"hi\"")],
            [.int(2), .double(1e-9), .text("cr\r\nlf\n")],
            [.int(3), .double(0), .text("")],
        ]
        w.append("t", rows)
        w.append("empty", [[]])
        try w.close()
        let part = try #require(spool.part(run: 7, table: "t"))
        let text = try String(contentsOf: part.url, encoding: .utf8)
        #expect(text == rows.map { CSV.line(["7", "1", "3"] + $0.map(CSV.cell)) }.joined())
        #expect(part.rows == 5)
        let empty = try #require(spool.part(run: 7, table: "empty"))
        #expect(try String(contentsOf: empty.url, encoding: .utf8) == CSV.line(["7", "1", "3"]))
    }

    @Test func streamingChecksumIsTheManifestOne() {
        var f = StreamingFNV()
        let text = "run,point,replication,x\n0,0,0,\"a,b\"\n"
        f.add(Data(text.utf8.prefix(10)))
        f.add(Data(text.utf8.dropFirst(10)))
        #expect(f.hex == Fingerprint.fnv1a64Hex(text))
        #expect(f.bytes == text.utf8.count)
    }
}
