import Testing
import Foundation
import DRLTestSupport

/// Issue 12 through the built `drlsim`: `--out` only ever replaces what drlsim wrote, hostile
/// YAML is refused before it costs memory, merge verifies what it reads, error lines stay
/// readable, any `--jobs` works, and an interrupt leaves nothing behind.
struct DataSafetyTests {
    static let scenario = """
    schema: 1
    name: safe
    replications: 2
    queue:
      arrival: {type: exponential, mean: 2s}
      service: 1s
      customers: 50

    """

    func folder(_ name: String) throws -> TemporaryFolder {
        let tmp = try TemporaryFolder(name)
        try tmp.write("s.yaml", Self.scenario)
        return tmp
    }

    func expectRefused(_ r: CommandLineTool.Output, _ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(r.status == 2, "exit \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderrLines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stderr.contains(text), "'\(text)' not in \(r.stderr)", sourceLocation: sourceLocation)
    }

    /// Empty path, `.`, the home folder, an ancestor of the current folder: refused, nothing deleted.
    @Test func outRefusesPlacesThatAreNeverResultSets() throws {
        let tmp = try folder("outplaces")
        defer { tmp.remove() }
        try tmp.write("thesis.tex", "\\documentclass{article}")
        try tmp.write("home/.bashrc", "x")
        for (out, text) in [("", "output path is empty"), (".", "current folder"), ("..", "current folder"),
                            ("/", "root folder"), (tmp.url.appendingPathComponent("home").path, "home folder")] {
            let r = try CommandLineTool.run(["run", "s.yaml", "--out", out], in: tmp.url,
                                            environment: ["HOME": tmp.url.appendingPathComponent("home").path])
            expectRefused(r, text)
        }
        let m = try CommandLineTool.run(["merge", "x", "--out", ""], in: tmp.url)
        expectRefused(m, "output path is empty")
        #expect(tmp.entries().sorted() == ["home", "s.yaml", "thesis.tex"])
        #expect(tmp.entries("home") == [".bashrc"])
    }

    /// A folder holding `.git`, one of dot files only, one with a manifest.txt drlsim did not
    /// write, and a real result set to which the user added a file: all refused and kept.
    @Test func outRefusesFoldersDrlsimDidNotWrite() throws {
        let tmp = try folder("outforeign")
        defer { tmp.remove() }
        try tmp.write("repo/.git/HEAD", "ref: refs/heads/main")
        try tmp.write("dots/.env", "SECRET=1")
        try tmp.write("fake/manifest.txt", "my own manifest\n")
        try tmp.write("fake/paper.tex", "x")
        for (out, text) in [("repo", "holds .git"), ("dots", "no drlsim manifest.txt"), ("fake", "was not written by drlsim")] {
            expectRefused(try CommandLineTool.run(["run", "s.yaml", "--out", out], in: tmp.url), text)
        }
        #expect(try CommandLineTool.run(["run", "s.yaml", "--out", "set"], in: tmp.url).status == 0)
        try tmp.write("set/notes.txt", "mine")
        expectRefused(try CommandLineTool.run(["run", "s.yaml", "--out", "set"], in: tmp.url), "holds 'notes.txt'")
        #expect(tmp.entries("set").contains("notes.txt"))
        #expect(tmp.entries("repo") == [".git"] && tmp.entries("dots") == [".env"])
        #expect(tmp.entries("fake").sorted() == ["manifest.txt", "paper.tex"])
        // The manifest is recognised by its first line.
        let manifest = String(decoding: tmp.files(in: "set")["manifest.txt"]!, as: UTF8.self)
        #expect(manifest.hasPrefix("format: drlsim-results 2\n"))
        #expect(manifest.contains("csv: queue.csv rows 2 bytes "))
        #expect(manifest.contains("csv: timing.csv rows 2\n"))
    }

    /// A read-only destination is found before any run (no run's time is wasted).
    @Test func unwritableDestinationIsRefusedBeforeRunning() throws {
        guard getuid() != 0 else { return }   // root writes anywhere; the CI runs as root
        let tmp = try folder("ro")
        defer { tmp.remove() }
        try FileManager.default.createDirectory(at: tmp.url.appendingPathComponent("ro"), withIntermediateDirectories: true)
        chmod(tmp.url.appendingPathComponent("ro").path, 0o555)
        defer { chmod(tmp.url.appendingPathComponent("ro").path, 0o755) }
        let r = try CommandLineTool.run(["run", "s.yaml", "--out", "ro/out"], in: tmp.url)
        expectRefused(r, "cannot write results")
    }

    /// An over-long folder name is refused before running.
    @Test func overlongNameIsRefusedBeforeRunning() throws {
        let tmp = try folder("long")
        defer { tmp.remove() }
        let r = try CommandLineTool.run(["run", "s.yaml", "--out", String(repeating: "x", count: 300)], in: tmp.url)
        expectRefused(r, "too long")
        #expect(tmp.entries() == ["s.yaml"])
    }

    /// Leftovers of a killed write (with drlsim's partial marker, dead PID) are removed by the
    /// next write into the same place; a look-alike without the marker is not touched.
    @Test func leftoversOfAKilledWriteAreCleanedAndNeverTakenForResults() throws {
        let tmp = try folder("leftover")
        defer { tmp.remove() }
        try tmp.write(".out.drlsim-tmp-999999999/.drlsim-partial", "")
        try tmp.write(".out.drlsim-tmp-999999999/manifest.txt", "format: drlsim-results 2\n")
        try tmp.write(".out.drlsim-old-999999998/notes.txt", "not ours: no marker")
        #expect(try CommandLineTool.run(["run", "s.yaml", "--out", "out"], in: tmp.url).status == 0)
        #expect(tmp.entries().sorted() == [".out.drlsim-old-999999998", "out", "s.yaml"])
        // merge refuses a leftover folder as input (no manifest at its top, or partial marker)
        try tmp.write(".x.drlsim-tmp-1/.drlsim-partial", "")
        let r = try CommandLineTool.run(["merge", ".x.drlsim-tmp-1", "--out", "m"], in: tmp.url)
        #expect(r.status == 2)
    }

    /// A YAML alias bomb and deep nesting are refused at once, with the limit named.
    @Test func hostileYAMLIsRefusedBeforeItCostsMemory() throws {
        let tmp = try folder("bomb")
        defer { tmp.remove() }
        var bomb = "schema: 1\nx-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1..<9 { bomb += "x-a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        bomb += "description: *a8\n"
        try tmp.write("bomb.yaml", bomb)
        let start = Date()
        expectRefused(try CommandLineTool.run(["validate", "bomb.yaml"], in: tmp.url), "more than 1000000 nodes")
        #expect(Date().timeIntervalSince(start) < 60)   // refused, not expanded (expansion: minutes and 24 GB)
        try tmp.write("deep.yaml", "schema: 1\ndescription: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n")
        expectRefused(try CommandLineTool.run(["validate", "deep.yaml"], in: tmp.url), "deep.yaml:2: nesting deeper than 64 levels")
        try tmp.write("seq.yaml", "schema: 1\nx-s: " + String(repeating: "- ", count: 4000) + "x\n")
        expectRefused(try CommandLineTool.run(["validate", "seq.yaml"], in: tmp.url), "nesting deeper than 64 levels")
        var block = "schema: 1\nx-deep:\n"
        for i in 0..<3000 { block += String(repeating: " ", count: i + 1) + "k\(i):\n" }
        try tmp.write("block.yaml", block)
        expectRefused(try CommandLineTool.run(["validate", "block.yaml"], in: tmp.url), "nesting deeper than 64 levels")
    }

    /// Sweeps and run counts are bounded with overflow-checked arithmetic, before decoding.
    @Test func sweepAndRunCountsAreBounded() throws {
        let tmp = try folder("sweep")
        defer { tmp.remove() }
        var huge = Self.scenario + "sweep:\n"
        for a in 0..<20 { huge += "  x-\(a).v: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n" }
        try tmp.write("huge.yaml", huge)
        expectRefused(try CommandLineTool.run(["validate", "huge.yaml"], in: tmp.url), "more than 10000 points")
        try tmp.write("runs.yaml", Self.scenario.replacingOccurrences(of: "replications: 2", with: "replications: 1000000")
                      + "sweep:\n  queue.customers: [10, 20]\n")
        expectRefused(try CommandLineTool.run(["validate", "runs.yaml"], in: tmp.url), "2000000 runs exceeds the limit of 1000000 runs")
        #expect(try CommandLineTool.run(["validate", "runs.yaml", "--max-runs", "2000000"], in: tmp.url).status == 0)
        expectRefused(try CommandLineTool.run(["validate", "s.yaml", "--max-runs", "1"], in: tmp.url), "exceeds the limit of 1 runs")
        // a limit no manifest could describe is refused itself (merge and check could not read the set)
        expectRefused(try CommandLineTool.run(["validate", "s.yaml", "--max-runs", "200000000"], in: tmp.url), "must be between 1 and 100000000")
    }

    /// Quantities beyond what a model can hold are refused at their key.
    @Test func absurdQuantitiesAreRefusedAtTheirKey() throws {
        let tmp = try folder("qty")
        defer { tmp.remove() }
        for (key, value, text) in [("duration", "10000000h", "longer than the longest duration"),
                                   ("duration", "20000h", "binned rows"),
                                   ("drbd.timeout", "2h", "drbd_limits.h"), ("duration", "1000000h", "longest duration"),
                                   ("drbd.resync.plan_ahead", "1h", "drbd_limits.h"),
                                   ("drbd.ko_count", "100000", "ko_count"),
                                   ("wan.rate", "0.0001bit", "below the smallest rate"),
                                   ("workload.vms[0].volume.size", "100TiB", "at most 16TiB"),
                                   ("protection.tick", "1ns", "tick must be at least 10ms"),        // fuzzer find: an event storm
                                   ("protection.cleanup.interval", "1ns", "at least 1s")] {
            let path = try copyExample(tmp)
            let v = try CommandLineTool.run(["validate", path, "--set", "\(key)=\(value)"], in: tmp.url)
            expectRefused(v, text)
        }
    }

    func copyExample(_ tmp: TemporaryFolder) throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Scenarios/examples/drbd-replication.yaml"), encoding: .utf8)
        return try tmp.write("drbd.yaml", text).path
    }

    /// Fuzzer find: a detector scenario without `duration` ran forever (pings never run out).
    @Test func perpetualWorldsNeedADuration() throws {
        let tmp = try folder("perpetual")
        defer { tmp.remove() }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("Scenarios/examples/detector-wan-cut-witness.yaml"), encoding: .utf8)
        try tmp.write("w.yaml", text.replacingOccurrences(of: "duration: 30s\n", with: ""))
        expectRefused(try CommandLineTool.run(["run", "w.yaml", "--out", "o"], in: tmp.url), "duration: a scenario with detector needs a duration")
    }

    /// `merge` refuses a shard cut mid-line, a changed file, a run outside the manifest's range,
    /// a CSV the manifest does not list and a manifest with absurd counts.
    @Test func mergeVerifiesEveryShard() throws {
        let tmp = try folder("merge")
        defer { tmp.remove() }
        for k in 0..<2 {
            #expect(try CommandLineTool.run(["run", "s.yaml", "--shard", "\(k)/2", "--out", "s\(k)"], in: tmp.url).status == 0)
        }
        #expect(try CommandLineTool.run(["merge", "s0", "s1", "--out", "m"], in: tmp.url).status == 0)
        let queue = tmp.url.appendingPathComponent("s1/queue.csv")
        let original = try String(contentsOf: queue, encoding: .utf8)
        // cut mid-line
        try String(original.dropLast(7)).write(to: queue, atomically: false, encoding: .utf8)
        expectRefused(try CommandLineTool.run(["merge", "s0", "s1", "--out", "m2"], in: tmp.url), "queue.csv")
        // same length, changed digit
        var changed = Array(original)
        if let i = changed.lastIndex(where: { $0 == "1" }) { changed[i] = "2" } else { changed[changed.count - 2] = "9" }
        try String(changed).write(to: queue, atomically: false, encoding: .utf8)
        expectRefused(try CommandLineTool.run(["merge", "s0", "s1", "--out", "m2"], in: tmp.url), "checksum differs")
        try original.write(to: queue, atomically: false, encoding: .utf8)
        // a CSV that the manifest does not list
        try tmp.write("s1/extra.csv", "run,point,replication,x\n999,0,0,1\n")
        expectRefused(try CommandLineTool.run(["merge", "s0", "s1", "--out", "m2"], in: tmp.url), "not listed in manifest.txt")
        try FileManager.default.removeItem(at: tmp.url.appendingPathComponent("s1/extra.csv"))
        // absurd counts
        let mpath = tmp.url.appendingPathComponent("s1/manifest.txt")
        let m = try String(contentsOf: mpath, encoding: .utf8)
        for bad in ["points: -1", "points: 9223372036854775807"] {
            try m.replacingOccurrences(of: "points: 1", with: bad).write(to: mpath, atomically: false, encoding: .utf8)
            expectRefused(try CommandLineTool.run(["merge", "s0", "s1", "--out", "m2"], in: tmp.url), "malformed manifest")
        }
        try m.write(to: mpath, atomically: false, encoding: .utf8)
        #expect(!tmp.entries().contains("m2"))
        #expect(try CommandLineTool.run(["merge", "s0", "s1", "--out", "m2"], in: tmp.url).status == 0)
    }

    /// Error lines echo input readably: escapes shown as `\u{..}`, megabyte values cut, names safe.
    @Test func errorLinesStayReadable() throws {
        let tmp = try folder("lines")
        defer { tmp.remove() }
        try tmp.write("esc.yaml", Self.scenario + "\"k\\e[2J\\0x\": 1\n")
        let r = try CommandLineTool.run(["validate", "esc.yaml"], in: tmp.url)
        expectRefused(r, "\\u{1b}[2J\\u{0}x: unknown key")
        #expect(!r.stderr.contains("\u{1B}") && !r.stderr.contains("\u{0}"))
        try tmp.write("long.yaml", Self.scenario.replacingOccurrences(of: "service: 1s", with: "service: " + String(repeating: "x", count: 2_000_000)))
        let l = try CommandLineTool.run(["validate", "long.yaml"], in: tmp.url)
        #expect(l.status == 2 && l.stderrLines.count == 1 && l.stderr.count < 1200, "\(l.stderr.prefix(300))")
        try tmp.write("name.yaml", Self.scenario.replacingOccurrences(of: "name: safe", with: "name: \"a\\nb\""))
        expectRefused(try CommandLineTool.run(["validate", "name.yaml"], in: tmp.url), "name: a scenario name is a folder name")
    }

    /// Any `--jobs` works: clamped to the runs and 4 x the processors, same bytes as `--jobs 1`.
    @Test func anyJobsCountWorks() throws {
        let tmp = try folder("jobs")
        defer { tmp.remove() }
        for (out, jobs) in [("a", "1"), ("b", "1000"), ("c", "260")] {
            let r = try CommandLineTool.run(["run", "s.yaml", "--out", out, "--jobs", jobs, "--replications", "12"], in: tmp.url)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let a = tmp.files(in: "a").filter { $0.key != "timing.csv" }
        #expect(a == tmp.files(in: "b").filter { $0.key != "timing.csv" })
        #expect(a == tmp.files(in: "c").filter { $0.key != "timing.csv" })
    }

    /// SIGINT during a run: exit 130 promptly, no result folder, no temporary folder.
    @Test func interruptLeavesNothingBehind() throws {
        let tmp = try folder("int")
        defer { tmp.remove() }
        try tmp.write("long.yaml", Self.scenario.replacingOccurrences(of: "customers: 50", with: "customers: 200000000"))
        guard let bin = CommandLineTool.binary() else { Issue.record("no drlsim"); return }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = ["run", "long.yaml", "--out", "out", "--jobs", "2"]
        p.currentDirectoryURL = tmp.url
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: 1.5)
        let sent = Date()
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        #expect(p.terminationStatus == 130)
        #expect(Date().timeIntervalSince(sent) < 5)
        #expect(tmp.entries().sorted() == ["long.yaml", "s.yaml"])
    }
}
