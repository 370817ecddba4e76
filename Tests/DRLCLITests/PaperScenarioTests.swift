import Testing
import Foundation
import DRLTestSupport

/// The paper's statements (issue 7, "The paper's results that must hold") checked on the
/// output of the committed paper scenarios (Scenarios/paper/), run by the built `drlsim` with
/// `--set` overrides that keep each run short in a debug build: 8-11 min instead of 30, a
/// 2 min protection interval instead of 5, smaller volumes and, where the statement does not
/// depend on it, a constant 40 mbit writer instead of the video transcoder. The statements are
/// measured as Docs/figures.md ("The paper's statements next to our numbers") measures them.
struct PaperScenarioTests {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let light = ["--set", "replications=1", "--set", "protection.interval=2min",
                        "--set", "workload.vms[0].writes={type: constant, rate: 40mbit, write_size: 1MiB}"]

    /// A CSV file as rows keyed by column.
    struct Table {
        var rows: [[String: String]]
        init(_ url: URL) throws {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            let head = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows = lines.dropFirst().map { l in
                Dictionary(uniqueKeysWithValues: zip(head, l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)))
            }
        }
    }

    /// Runs `Scenarios/paper/<name>.yaml` with `args`; returns the result folder's tables.
    func run(_ name: String, _ args: [String]) throws -> (String) throws -> Table {
        let tmp = try TemporaryFolder("paper")
        let file = Self.repo.appendingPathComponent("Scenarios/paper/\(name).yaml").path
        let r = try CommandLineTool.run(["run", file, "--out", "out", "--jobs", "2"] + args, in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
        let dir = tmp.url.appendingPathComponent("out")
        return { try Table(dir.appendingPathComponent("\($0).csv")) }
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }

    /// Per run: the swept values (runs.csv).
    func sweep(_ t: (String) throws -> Table, _ key: String) throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try t("runs").rows.map { ($0["run"]!, $0[key]!) })
    }

    @Test func fig7ImageCopyBeatsVMSnapshotReplicationIsFlatSnapshotsGrow() throws {
        let t = try run("fig7-protection-vs-volume-size", Self.light + ["--set", "duration=9min",
                        "--set", "sweep.workload.vms[0].volume.size=[256MiB, 512MiB, 1GiB]"])
        let size = try sweep(t, "workload.vms[0].volume.size")
        // Finished actions only (Docs/statistics.md): not `aborted`, not `censored` by the run's end.
        let rows = try t("protection").rows.filter { $0["status"] != "aborted" && $0["status"] != "censored" }
        func mean(_ s: String, _ a: String) -> Double {
            Self.mean(rows.filter { size[$0["run"]!] == s && $0["action"] == a }.map { Double($0["duration_s"]!)! })
        }
        let sizes = ["256MiB", "512MiB", "1GiB"]
        for s in sizes { #expect(mean(s, "image-copy") < mean(s, "vm-snapshot"), "\(s)") }
        let rep = sizes.map { mean($0, "volume-replication") }
        #expect(rep.allSatisfy { $0 > 0 && $0 < 1 }, "\(rep)")
        #expect((rep.max()! - rep.min()!) / Self.mean(rep) <= 0.10, "\(rep)")
        let snap = sizes.map { mean($0, "volume-snapshot") }
        #expect(snap[0] < snap[1] && snap[1] < snap[2], "\(snap)")
    }

    @Test func fig8ProtectionTimeGrowsAsBandwidthFalls() throws {
        let t = try run("fig8-protection-vs-bandwidth", Self.light + ["--set", "duration=9min",
                        "--set", "workload.vms[0].volume.size=512MiB"])
        let rate = try sweep(t, "wan.rate"), policy = try sweep(t, "protection.policy")
        // Total per execution: last end minus first start over its resources (Docs/figures.md).
        var spans: [String: [String: (Double, Double)]] = [:]
        for r in try t("protection").rows {
            let s = Double(r["start_s"]!)!, e = Double(r["end_s"]!)!
            let old = spans[r["run"]!, default: [:]][r["execution"]!] ?? (s, e)
            spans[r["run"]!, default: [:]][r["execution"]!] = (min(old.0, s), max(old.1, e))
        }
        func total(_ p: String, _ r: String) -> Double {
            let runs = spans.keys.filter { policy[$0] == p && rate[$0] == r }
            return Self.mean(runs.map { Self.mean(spans[$0]!.values.map { $0.1 - $0.0 }) })
        }
        for p in ["snapshot", "replication"] {
            let ts = ["500mbit", "100mbit", "50mbit"].map { total(p, $0) }
            #expect(ts[0] < ts[1] && ts[1] < ts[2], "\(p): \(ts)")
        }
    }

    @Test func fig9And10TrafficReplicationSendsMoreAndSnapshotsShowTwoPeaks() throws {
        // A writer at the transcoder's pace (20 MB/s of input, paper §7.2) rather than 40 mbit:
        // how much the replication policy sends depends on the write rate.
        let t = try run("fig9-traffic", ["--set", "replications=1", "--set", "protection.interval=2min",
                        "--set", "workload.vms[0].writes={type: constant, rate: 160mbit, write_size: 1MiB}",
                        "--set", "duration=8min", "--set", "workload.vms[0].volume.size=1GiB",
                        "--set", "sweep.wan.rate=[500mbit, 50mbit]"])
        let rate = try sweep(t, "wan.rate"), policy = try sweep(t, "protection.policy")
        var sent: [String: Double] = [:]
        var bins: [String: [Double: Double]] = [:]
        for r in try t("traffic").rows where r["class"] != "application" {
            sent[r["run"]!, default: 0] += Double(r["bytes"]!)!
            bins[r["run"]!, default: [:]][Double(r["t_s"]!)!, default: 0] += Double(r["bytes"]!)!
        }
        for b in ["500mbit", "50mbit"] {
            let rep = sent.filter { policy[$0.key] == "replication" && rate[$0.key] == b }.map(\.value)
            let snap = sent.filter { policy[$0.key] == "snapshot" && rate[$0.key] == b }.map(\.value)
            #expect(Self.mean(rep) > Self.mean(snap), "\(b): replication \(rep) snapshot \(snap)")
        }
        // Fig. 10 at 50 mbit: a snapshot execution starts before the previous one ended (actions
        // still running at the end are cut there, `censored`); replication's never do.
        let prot = try t("protection").rows
        func overlaps(_ run: String) -> Bool {
            var spans: [Int: (Double, Double)] = [:]
            for r in prot where r["run"] == run {
                let e = Int(r["execution"]!)!, s = Double(r["start_s"]!)!, f = Double(r["end_s"]!)!
                spans[e] = spans[e].map { (min($0.0, s), max($0.1, f)) } ?? (s, f)
            }
            let ks = spans.keys.sorted()
            return zip(ks, ks.dropFirst()).contains { spans[$1]!.0 < spans[$0]!.1 }
        }
        for run in sent.keys where rate[run] == "50mbit" {
            #expect(overlaps(run) == (policy[run] == "snapshot"), "run \(run) \(policy[run]!)")
        }
        // Fig. 10 at 500 mbit: the VM snapshot's upload, a gap while the volume is cloned, then
        // the volume snapshot's upload: two peaks in the 10-s series of every snapshot execution.
        let run = try #require(sent.keys.first { policy[$0] == "snapshot" && rate[$0] == "500mbit" })
        let series = bins[run]!
        let execs = try t("protection").rows.filter { $0["run"] == run && $0["status"] != "aborted" && $0["status"] != "censored" }
        for e in Set(execs.map { $0["execution"]! }).sorted() {
            let rs = execs.filter { $0["execution"] == e }
            let lo = rs.map { Double($0["start_s"]!)! }.min()!, hi = rs.map { Double($0["end_s"]!)! }.max()!
            let w = stride(from: (lo / 10).rounded(.down) * 10 - 10, through: hi + 10, by: 10).map { series[$0] ?? 0 }
            var peaks = 0, i = 0
            while i < w.count {
                // A peak: a maximal run above half of its height, with lower windows on both sides.
                guard w[i] > 0 else { i += 1; continue }
                var j = i, top = w[i]
                while j + 1 < w.count, w[j + 1] > top / 2 { j += 1; top = max(top, w[j]) }
                if (i == 0 || w[i - 1] <= top / 2) && (j == w.count - 1 || w[j + 1] <= top / 2) { peaks += 1 }
                i = j + 1
            }
            #expect(peaks >= 2, "execution \(e): \(w)")
        }
    }

    @Test func fig11ReplicationRecoversInHalfAMinuteSnapshotsTakeLonger() throws {
        let t = try run("fig11-recovery", ["--set", "replications=1", "--set", "duration=12min", "--set", "disaster.at=7min",
                        "--set", "protection.interval=2min",
                        "--set", "workload.vms[0].writes={type: constant, rate: 40mbit, write_size: 1MiB}",
                        "--set", "sweep.workload.vms[0].volume.size=[1GB, 5GB]"])
        let size = try sweep(t, "workload.vms[0].volume.size"), policy = try sweep(t, "protection.policy")
        let rows = try t("recovery").rows
        #expect(rows.count == 4 && rows.allSatisfy { $0["status"] == "recovered" })
        func v(_ r: [String: String], _ k: String) -> Double { Double(r[k]!)! }
        let rep = rows.filter { policy[$0["run"]!] == "replication" }.map { v($0, "rto_s") }
        #expect(rep.allSatisfy { $0 >= 20 && $0 <= 45 }, "\(rep)")
        #expect(abs(rep[0] - rep[1]) <= 0.10 * rep.min()!, "\(rep)")
        let snap5 = try #require(rows.first { policy[$0["run"]!] == "snapshot" && size[$0["run"]!] == "5GB" })
        let snap1 = try #require(rows.first { policy[$0["run"]!] == "snapshot" && size[$0["run"]!] == "1GB" })
        #expect(v(snap5, "rto_s") > 200 && v(snap5, "rto_s") > v(snap1, "rto_s"))
        for r in rows {
            let detect = v(r, "detected_s") - v(r, "disaster_s")
            #expect(detect >= 0.25 && detect <= 1, "detection \(detect)")
            #expect(max(0, v(r, "redirected_s") - v(r, "recovered_s")) / v(r, "rto_s") < 0.05)
            #expect(abs(v(r, "rto_s") - (v(r, "responsive_s") - v(r, "disaster_s"))) < 1e-6)
        }
    }
}
