import Testing
import Foundation
import DRLTestSupport

/// `drlsim run`, `describe`, `validate` and `merge` end to end on the built binary.
struct RunCommandTests {
    static let yaml = """
    schema: 1
    name: e2e
    seed: 5
    replications: 2
    queue:
      arrival: {type: exponential, mean: 1.25s}
      service: {type: exponential, mean: 1s}
      customers: 200
    sweep:
      queue.warmup: [0, 20]

    """

    func withScenario(_ body: (TemporaryFolder) throws -> Void) throws {
        let tmp = try TemporaryFolder("run")
        defer { tmp.remove() }
        try tmp.write("e2e.yaml", Self.yaml)
        try body(tmp)
    }

    func contents(_ tmp: TemporaryFolder, _ dir: String) -> [String: Data] {
        tmp.files(in: dir).filter { $0.key != "timing.csv" }
    }

    @Test func writesTheContractFilesToResultsByDefault() throws {
        try withScenario { tmp in
            let r = try CommandLineTool.run(["run", "e2e.yaml", "--jobs", "1"], in: tmp.url)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stderr.isEmpty, "progress must not be shown when stderr is not a terminal")
            #expect(tmp.entries("Results") == ["e2e"])
            #expect(tmp.entries("Results/e2e") == ["manifest.txt", "points.csv", "queue.csv", "queue_summary.csv", "runs.csv", "timing.csv"])
            // points.csv: the swept key typed (issue 17), no unit tables needed to read it
            let points = String(decoding: tmp.files(in: "Results/e2e")["points.csv"]!, as: UTF8.self)
            #expect(points.hasPrefix("run,point,replication,key,value,number,unit\nall,0,all,queue.warmup,"))
            let runs = String(decoding: tmp.files(in: "Results/e2e")["runs.csv"]!, as: UTF8.self)
            #expect(runs.hasPrefix("run,point,replication,scenario,seed,duration_s,events,queue.warmup\n"))
            #expect(runs.split(separator: "\n").count == 5)
            let timing = String(decoding: tmp.files(in: "Results/e2e")["timing.csv"]!, as: UTF8.self)
            #expect(timing.hasPrefix("run,point,replication,wall_s,events_per_s\n"))
        }
    }

    /// `--out .` (the folder holding the scenario) or a folder of the user's files: exit 2, one
    /// line, nothing run, nothing deleted; a rerun into an earlier set replaces it.
    @Test func outNeverDeletesAFolderOfUserFiles() throws {
        try withScenario { tmp in
            try tmp.write("mine/notes.txt", "precious")
            for out in [".", "mine"] {
                let r = try CommandLineTool.run(["run", "e2e.yaml", "--out", out], in: tmp.url)
                #expect(r.status == 2, "\(r.stderr)")
                #expect(r.stderr.contains("refusing to"), "\(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1)
            }
            #expect(tmp.entries() == ["e2e.yaml", "mine"])
            #expect(tmp.entries("mine") == ["notes.txt"])
            for _ in 0..<2 {
                #expect(try CommandLineTool.run(["run", "e2e.yaml", "--out", "set"], in: tmp.url).status == 0)
            }
        }
    }

    @Test func jobsAndRepeatsGiveIdenticalBytes() throws {
        try withScenario { tmp in
            for (out, jobs) in [("a", "1"), ("b", "2"), ("c", "1")] {
                let r = try CommandLineTool.run(["run", "e2e.yaml", "--out", out, "--jobs", jobs], in: tmp.url)
                #expect(r.status == 0, "\(r.stderr)")
            }
            let a = contents(tmp, "a")
            #expect(a.count == 5)
            #expect(a == contents(tmp, "b"))
            #expect(a == contents(tmp, "c"))
            let r = try CommandLineTool.run(["run", "e2e.yaml", "--out", "d", "--seed", "6"], in: tmp.url)
            #expect(r.status == 0)
            #expect(a["queue.csv"] != contents(tmp, "d")["queue.csv"])
        }
    }

    @Test func shardsMergeIntoTheUnshardedSet() throws {
        try withScenario { tmp in
            #expect(try CommandLineTool.run(["run", "e2e.yaml", "--out", "full"], in: tmp.url).status == 0)
            for k in 0..<3 {
                let r = try CommandLineTool.run(["run", "e2e.yaml", "--shard", "\(k)/3", "--out", "s\(k)"], in: tmp.url)
                #expect(r.status == 0, "\(r.stderr)")
            }
            // A rerun of a complete shard is skipped.
            let again = try CommandLineTool.run(["run", "e2e.yaml", "--shard", "1/3", "--out", "s1"], in: tmp.url)
            #expect(again.status == 0)
            #expect(again.stderr.contains("already complete"))
            let partial = try CommandLineTool.run(["merge", "s0", "s2", "--out", "m"], in: tmp.url)
            #expect(partial.status == 2)
            #expect(partial.stderrLines.count == 1)
            #expect(partial.stderr.contains("missing"))
            #expect(!tmp.entries().contains("m"))
            let m = try CommandLineTool.run(["merge", "s2", "s0", "s1", "--out", "m"], in: tmp.url)
            #expect(m.status == 0, "\(m.stderr)")
            #expect(contents(tmp, "m") == contents(tmp, "full"))
            #expect(try CommandLineTool.run(["run", "e2e.yaml", "--shard", "0/3", "--out", "o", "--seed", "9"], in: tmp.url).status == 0)
            let foreign = try CommandLineTool.run(["merge", "o", "s1", "s2", "--out", "m2"], in: tmp.url)
            #expect(foreign.status == 2)
            #expect(foreign.stderr.contains("refusing to merge"))
        }
    }

    @Test func describeListsPointsAndDefaults() throws {
        try withScenario { tmp in
            let r = try CommandLineTool.run(["describe", "e2e.yaml"], in: tmp.url)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("2 point(s) x 2 replication(s) = 4 runs"))
            #expect(r.stdout.contains("  - {point: 1, queue.warmup: 20, runs: 2-3}"))
            #expect(r.stdout.contains("  duration: until no event is left  # default"))
            #expect(r.stdout.contains("  queue.service.mean: 1s"))
            let v = try CommandLineTool.run(["validate", "e2e.yaml"], in: tmp.url)
            #expect(v.status == 0)
            #expect(v.stdout.contains("e2e.yaml: ok"))
        }
    }

    /// `describe --plugins`: every plug-in's declared keys (the text of Docs/plugin-reference.md);
    /// without a file and without the flag, the usual missing-argument error.
    @Test func describePluginsListsTheDeclaredKeys() throws {
        try withScenario { tmp in
            let r = try CommandLineTool.run(["describe", "--plugins"], in: tmp.url)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("| `burst` / `buffer` / `maxburst` | size | required |"))
            #expect(r.stdout.contains("### `rpo-target`"))
            #expect(r.stdout.contains("| `safety` | number | `0.9` | (0, 1] |"))
            #expect(r.stdout.contains("### `golden-image`") == false)   // the example's action is not a standard one
            let bare = try CommandLineTool.run(["describe"], in: tmp.url)
            #expect(bare.status == 2)
            #expect(bare.stderr.contains("Missing expected argument '<file>'"))
        }
    }
}
