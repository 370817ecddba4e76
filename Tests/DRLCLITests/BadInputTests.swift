import Testing
import Foundation
import DRLTestSupport

/// Bad input through the built `drlsim`: exit status 2, exactly one line on stderr naming the
/// file, the line and the key path, and no output folder.
struct BadInputTests {
    static let valid = """
    schema: 1
    name: cli
    queue:
      arrival: {type: exponential, mean: 2s}
      service: 1s
      customers: 20

    """

    /// Runs `drlsim run FILE --out out` on `yaml` and checks the contract.
    func expectRejected(_ yaml: String?, file: String = "s.yaml", extra: [String] = [],
                        contains expected: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let tmp = try TemporaryFolder("bad")
        defer { tmp.remove() }
        if let yaml { try tmp.write(file, yaml) }
        for command in [["run", file, "--out", "out"], ["validate", file]] {
            let r = try CommandLineTool.run(command + extra, in: tmp.url)
            #expect(r.status == 2, "exit \(r.status) for \(command): \(r.stderr)", sourceLocation: sourceLocation)
            #expect(r.stderrLines.count == 1, "stderr: \(r.stderr)", sourceLocation: sourceLocation)
            let line = r.stderrLines.first ?? ""
            for e in expected {
                #expect(line.contains(e), "'\(e)' not in: \(line)", sourceLocation: sourceLocation)
            }
            #expect(!line.contains("Fatal") && !line.contains("Stack"), sourceLocation: sourceLocation)
            #expect(!tmp.entries().contains("out"), "output folder created", sourceLocation: sourceLocation)
            #expect(!tmp.entries().contains("Results"), sourceLocation: sourceLocation)
            #expect(tmp.entries().allSatisfy { !$0.hasPrefix(".") }, "temporary folder left: \(tmp.entries())", sourceLocation: sourceLocation)
        }
    }

    @Test func yamlSyntaxError() throws {
        try expectRejected("schema: 1\nqueue: {arrival: [1s, 2s}\n", contains: ["s.yaml:2: ", "YAML syntax error"])
    }

    @Test func missingSchema() throws {
        try expectRejected(Self.valid.replacingOccurrences(of: "schema: 1\n", with: ""), contains: ["s.yaml:1: schema: missing 'schema: 1'"])
    }

    @Test func unknownSchemaVersion() throws {
        try expectRejected(Self.valid.replacingOccurrences(of: "schema: 1", with: "schema: 7"), contains: ["s.yaml:1: schema: schema version 7"])
    }

    @Test func unknownKey() throws {
        try expectRejected(Self.valid + "  warmpu: 5\n", contains: ["s.yaml:7: queue.warmpu: unknown key (did you mean 'warmup'?)"])
    }

    @Test func wrongType() throws {
        try expectRejected(Self.valid.replacingOccurrences(of: "customers: 20", with: "customers: {n: 20}"),
                           contains: ["s.yaml:6: queue.customers: expected an integer, found a mapping"])
    }

    /// `wan.schedule` (throttling windows): decreasing offsets, a schedule without a shaper, a
    /// class the htb does not have.
    @Test func badShapingSchedule() throws {
        let head = "schema: 1\nname: w\nsites:\n  primary: { name: a }\n  backup: { name: b }\nwan:\n  rate: 1gbit\n"
        let tbf = "  qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms }\n"
        try expectRejected(head + tbf + "  schedule:\n    - { at: 18h, rate: 500mbit }\n    - { at: 8h, rate: 100mbit }\n",
                           contains: ["s.yaml:11: wan.schedule[1].at: offsets must be non-decreasing (8h after 18h)"])
        try expectRejected(head + "  schedule: [{ at: 8h, rate: 100mbit }]\n",
                           contains: ["s.yaml:8: wan.schedule: a schedule needs wan.qdisc of type tbf or htb"])
        try expectRejected(head + tbf + "  schedule: [{ at: 8h, rate: 100 }]\n", contains: ["s.yaml:9: wan.schedule[0].rate: "])
        let htb = "  qdisc:\n    type: htb\n    classes:\n      - { classid: \"1:1\", rate: 100mbit }\n"
        try expectRejected(head + htb + "  schedule:\n    - { at: 8h, rate: 10mbit, class: \"1:10\" }\n",
                           contains: ["s.yaml:13: wan.schedule[0].class: no htb class 1:10 in wan.qdisc (classes: 1:1)"])
    }

    @Test func negativeRate() throws {
        let yaml = Self.valid.replacingOccurrences(of: "  service: 1s\n", with: "  job_size: 1500b\n  server_rate: -1mbit\n")
        try expectRejected(yaml, contains: ["s.yaml:6: queue.server_rate: \"-1mbit\": a rate must be positive"])
    }

    @Test func zeroRate() throws {
        let yaml = Self.valid.replacingOccurrences(of: "  service: 1s\n", with: "  job_size: 1500b\n  server_rate: 0gbit\n")
        try expectRejected(yaml, contains: ["s.yaml:6: queue.server_rate: \"0gbit\": a rate must be positive"])
    }

    @Test func notARate() throws {
        let yaml = Self.valid.replacingOccurrences(of: "  service: 1s\n", with: "  job_size: 1500b\n  server_rate: fast\n")
        try expectRejected(yaml, contains: ["s.yaml:6: queue.server_rate: \"fast\" is not a rate (expected e.g. 500mbit)"])
    }

    @Test func bareNumberDuration() throws {
        try expectRejected(Self.valid.replacingOccurrences(of: "service: 1s", with: "service: 1"),
                           contains: ["s.yaml:5: queue.service: \"1\" has no unit"])
    }

    @Test func unknownSweepKey() throws {
        try expectRejected(Self.valid + "sweep:\n  queue.custmers: [1, 2]\n",
                           contains: ["s.yaml:8: queue.custmers: unknown key (did you mean 'customers'?)"])
    }

    @Test func unreadableFile() throws {
        try expectRejected(nil, file: "missing.yaml", contains: ["missing.yaml: cannot read scenario: no such file"])
    }

    @Test func unknownSetPath() throws {
        try expectRejected(Self.valid, extra: ["--set", "queue.custmers=3"],
                           contains: ["s.yaml: queue.custmers: unknown key (did you mean 'customers'?) (from --set queue.custmers=3)"])
    }

    @Test func badShards() throws {
        let tmp = try TemporaryFolder("shard")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.valid)
        for (arg, message) in [("3/2", "K must be between 0 and 1"), ("x/4", "expected K/N")] {
            let r = try CommandLineTool.run(["run", "s.yaml", "--shard", arg, "--out", "out"], in: tmp.url)
            #expect(r.status == 2)
            #expect(r.stderrLines.count == 1)
            #expect(r.stderr.contains("--shard \(arg): \(message)"))
            #expect(!tmp.entries().contains("out"))
        }
    }

    /// A small DR world (6 primary hosts, 3 backup hosts); `extra` on line 13.
    static func world(_ extra: String) -> String {
        """
        schema: 1
        name: w
        duration: 2min
        sites:
          primary: { name: umea, hosts: 6 }
          backup: { name: lulea, hosts: 3 }
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
            - name: vm1
              volume: { size: 200MiB }
              writes: { type: constant, rate: 8mbit, write_size: 64KiB }
        \(extra)

        """
    }

    /// Inputs that used to crash `drlsim run` (SIGILL) are rejected by validate and run alike.
    @Test func formerCrashesAreOneLineErrors() throws {
        try expectRejected(Self.world("detector: { ping_bytes: 0b }"), contains: ["s.yaml:13: detector.ping_bytes: a detector message needs at least 1 byte"])
        try expectRejected(Self.world("detector: { transport: fixed, fixed: { wan_delay: 0s } }"), contains: ["s.yaml:13: detector.fixed.wan_delay: "])
        try expectRejected(Self.world("detector: { faults: [{at: 10s, type: host-down, site: umea, host: 99}] }"),
                           contains: ["s.yaml:13: detector.faults[0].host: host 99 is out of range"])
        try expectRejected(Self.world("detector: { faults: [{at: 10s, type: partition, site: umea, hosts: [0], remote: lulea}] }"),
                           contains: ["s.yaml:13: detector.faults[0].type: a partition fault needs transport: fixed"])
    }

    @Test func schemaOverrideIsRejected() throws {
        try expectRejected(Self.valid, extra: ["--set", "schema=2"], contains: ["s.yaml: schema: schema version 2 is not supported"])
    }

    @Test func missingTraceFileNamesTheScenarioLine() throws {
        let yaml = Self.world("").replacingOccurrences(of: "writes: { type: constant, rate: 8mbit, write_size: 64KiB }",
                                                       with: "writes: { type: trace,\n          file: nonexist.csv }")
        try expectRejected(yaml, contains: ["s.yaml:13: workload.vms[0].writes.file: nonexist.csv: cannot read the trace file"])
    }

    /// The heavy-tailed size that overflowed Int64 now runs (writes clamped to the volume).
    @Test func heavyTailedPoissonSizesRun() throws {
        let tmp = try TemporaryFolder("tail")
        defer { tmp.remove() }
        try tmp.write("s.yaml", Self.world("").replacingOccurrences(
            of: "writes: { type: constant, rate: 8mbit, write_size: 64KiB }",
            with: "writes: {type: poisson, writes_per_second: 10, size: {type: lognormal, median: 4KiB, sigma: 50}}")
            .replacingOccurrences(of: "duration: 2min", with: "duration: 5s"))
        let r = try CommandLineTool.run(["run", "s.yaml", "--out", "out"], in: tmp.url)
        #expect(r.status == 0, "\(r.stderr)")
    }
}
