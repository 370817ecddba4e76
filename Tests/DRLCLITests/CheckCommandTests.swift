import Testing
import Foundation
import DRLTestSupport

/// `drlsim check` end to end on the built binary, with Scenarios/validation/md1.yaml made small
/// by `--set` overrides (recorded in the baseline, so later checks rerun the same size).
struct CheckCommandTests {
    /// The repository's md1 scenario (absolute, so the test folder can be anywhere).
    static let md1 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios/validation/md1.yaml").path
    static let small = ["--set", "queue.customers=2000", "--set", "queue.warmup=200", "--replications", "3", "--jobs", "1"]

    func withBaseline(_ body: (TemporaryFolder) throws -> Void) throws {
        let tmp = try TemporaryFolder("check")
        defer { tmp.remove() }
        let r = try CommandLineTool.run(["check", "--update", Self.md1, "--baselines", "b"] + Self.small, in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("md1: 3 runs in"), "\(r.stdout)")
        #expect(r.stdout.contains("created b/md1"), "\(r.stdout)")
        #expect(tmp.entries("b/md1") == ["baseline.yaml", "curves.csv", "tolerances.yaml"])
        try body(tmp)
    }

    func read(_ tmp: TemporaryFolder, _ path: String) -> String {
        (try? String(contentsOf: tmp.url.appendingPathComponent(path), encoding: .utf8)) ?? ""
    }

    @Test func freshBaselinePassesAndRecordsItsOverrides() throws {
        try withBaseline { tmp in
            let meta = read(tmp, "b/md1/baseline.yaml")
            #expect(meta.contains("overrides: [\"queue.customers=2000\", \"queue.warmup=200\", \"replications=3\"]"))
            #expect(meta.contains("replications: 3\n"))
            let curves = read(tmp, "b/md1/curves.csv")
            #expect(curves.hasPrefix("point,table,column,group,statistic,value\n"))
            #expect(curves.contains("0,queue,wq_s,,mean,"))
            #expect(curves.contains("0,queue,wq_s,,count,3.0\n"))
            // Rerun with the recorded overrides (no --set needed), by file and from the baseline alone.
            for args in [["check", Self.md1, "--baselines", "b"], ["check", "--baselines", "b", "--jobs", "2"]] {
                let r = try CommandLineTool.run(args, in: tmp.url)
                #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
                #expect(r.stderr.isEmpty)
                #expect(r.stdout.contains("check: passed: 1 scenario,"), "\(r.stdout)")
            }
            #expect(tmp.entries() == ["b"], "check writes nothing besides --update's baseline")
        }
    }

    @Test func aPerturbedBaselineFailsNamingTheCurveAndUpdateRewritesIt() throws {
        try withBaseline { tmp in
            let original = read(tmp, "b/md1/curves.csv")
            var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let i = try #require(lines.firstIndex { $0.hasPrefix("0,queue,wq_s,,mean,") })
            let value = try #require(Double(lines[i].split(separator: ",").last!))
            lines[i] = "0,queue,wq_s,,mean,\(value * 1.01)"
            try tmp.write("b/md1/curves.csv", lines.joined(separator: "\n"))
            let r = try CommandLineTool.run(["check", Self.md1, "--baselines", "b"], in: tmp.url)
            #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
            let row = r.stdout.split(separator: "\n").first { $0.hasPrefix("md1 ") }
            #expect(row?.contains("queue.wq_s") == true && row?.contains("mean") == true, "\(r.stdout)")
            #expect(r.stdout.split(separator: "\n").filter { $0.hasPrefix("md1 ") }.count == 1, "only the perturbed value moved")
            #expect(r.stdout.contains("check: FAILED: 1 value changed in md1"))
            // The hint names the custom baselines folder, so running it updates the right one.
            #expect(r.stdout.contains("drlsim check --update --baselines b \(Self.md1)"), "\(r.stdout)")
            // A tolerance wide enough accepts the change.
            try tmp.write("b/md1/tolerances.yaml", "curves:\n  queue.wq_s@mean: {rel: 0.02}\n")
            #expect(try CommandLineTool.run(["check", Self.md1, "--baselines", "b"], in: tmp.url).status == 0)
            try tmp.write("b/md1/tolerances.yaml", "curves:\n  queue.wq_s@mean: {rel: 0.005}\n")
            #expect(try CommandLineTool.run(["check", Self.md1, "--baselines", "b"], in: tmp.url).status == 1)
            // --update rewrites the curves (same bytes as before: runs are deterministic) and keeps the tolerances.
            let u = try CommandLineTool.run(["check", "--update", Self.md1, "--baselines", "b"], in: tmp.url)
            #expect(u.status == 0, "\(u.stderr)")
            #expect(u.stdout.contains("updated b/md1"), "\(u.stdout)")
            #expect(u.stdout.contains("(1 moved, 0 appeared, 0 disappeared)"))
            #expect(read(tmp, "b/md1/curves.csv") == original)
            #expect(read(tmp, "b/md1/tolerances.yaml") == "curves:\n  queue.wq_s@mean: {rel: 0.005}\n")
            #expect(try CommandLineTool.run(["check", Self.md1, "--baselines", "b"], in: tmp.url).status == 0)
        }
    }

    @Test func missingBaselineOrOtherOverridesAreBadInput() throws {
        let tmp = try TemporaryFolder("check")
        defer { tmp.remove() }
        let r = try CommandLineTool.run(["check", Self.md1, "--baselines", "b"] + Self.small, in: tmp.url)
        #expect(r.status == 2)
        #expect(r.stderrLines.count == 1)
        #expect(r.stderr.contains("b/md1: no baseline for scenario md1") && r.stderr.contains("drlsim check --update"), "\(r.stderr)")
        #expect(tmp.entries().isEmpty)
        let none = try CommandLineTool.run(["check", "--baselines", "b"], in: tmp.url)
        #expect(none.status == 2 && none.stderr.contains("no baselines in b"))
        #expect(try CommandLineTool.run(["check", "--update", Self.md1, "--baselines", "b"] + Self.small, in: tmp.url).status == 0)
        let other = try CommandLineTool.run(["check", Self.md1, "--baselines", "b", "--set", "queue.customers=3000"], in: tmp.url)
        #expect(other.status == 2)
        #expect(other.stderrLines.count == 1 && other.stderr.contains("was made with overrides"), "\(other.stderr)")
        let bad = try CommandLineTool.run(["check", "nope.yaml", "--baselines", "b"], in: tmp.url)
        #expect(bad.status == 2 && bad.stderrLines.count == 1)
        try tmp.write("b/md1/tolerances.yaml", "default: {rel: fast}\n")
        let tol = try CommandLineTool.run(["check", Self.md1, "--baselines", "b"], in: tmp.url)
        #expect(tol.status == 2 && tol.stderr.contains("tolerances.yaml:1: default.rel"), "\(tol.stderr)")
    }

    @Test func existingResultSetsAreComparedWithoutRerunning() throws {
        try withBaseline { tmp in
            let setArgs = ["--set", "queue.customers=2000", "--set", "queue.warmup=200", "--set", "replications=3"]
            #expect(try CommandLineTool.run(["run", Self.md1, "--out", "r"] + setArgs, in: tmp.url).status == 0)
            let r = try CommandLineTool.run(["check", "--results", "r", "--baselines", "b"], in: tmp.url)
            #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
            #expect(r.stdout.contains("md1: results r;"), "\(r.stdout)")
            // A set of another size is refused; so is a shard.
            #expect(try CommandLineTool.run(["run", Self.md1, "--out", "r5", "--set", "queue.customers=2000", "--replications", "5"], in: tmp.url).status == 0)
            let other = try CommandLineTool.run(["check", "--results", "r5", Self.md1, "--baselines", "b"], in: tmp.url)
            #expect(other.status == 2 && other.stderr.contains("5 replication(s)"), "\(other.stderr)")
            #expect(try CommandLineTool.run(["run", Self.md1, "--out", "s0", "--shard", "0/2"] + setArgs, in: tmp.url).status == 0)
            let shard = try CommandLineTool.run(["check", "--results", "s0", "--baselines", "b"], in: tmp.url)
            #expect(shard.status == 2 && shard.stderr.contains("merge the shards first"), "\(shard.stderr)")
        }
    }
}
