import Testing
import Foundation
import DRLScenarioTestSupport
import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration
@testable import DRLScenario

/// Plug-ins registered from outside DRLSim's sources (a test is such a place), their declared
/// schemas driving decoding, errors and the reference, and the one unit parser.
@Suite struct PluginsTests {
    /// A world that protects one VM, with `logic` and `qdisc` substituted (line numbers below
    /// count from 1 at `schema: 1`).
    static func world(logic: String = "{ type: fixed }", qdisc: String = "{ type: pfifo }") -> String {
        """
        schema: 1
        name: p
        duration: 10min
        sites:
          primary: { name: umea, hosts: 2 }
          backup:  { name: lulea, hosts: 2 }
        wan:
          rate: 100mbit
          delay: 2ms
          qdisc: \(qdisc)
        workload:
          vms:
            - { name: web, image: 100MB, volume: { size: 64MiB, type: iscsi } }
        protection:
          interval: 5min
          logic: \(logic)
        """
    }

    /// A driver no DRLSim source knows: protects when the recovery point is older than `patience`.
    final class PatientDriver: LogicDriver {
        let name = "patient"
        let patience: SimDuration
        init(patience: SimDuration) { self.patience = patience }
        func decide(_ input: LogicInput) -> LogicDecision {
            guard let p = input.recoveryPoint else { return LogicDecision(protect: true, reason: "none") }
            return LogicDecision(protect: input.now - p >= patience, reason: "patience")
        }
        static let plugin = LogicDriverPlugin(
            name: "patient", summary: "protect when the recovery point is older than patience",
            schema: [ParameterSpec("patience", .duration, default: .duration(.minutes(4)), minimum: 0, excluding: true,
                                   doc: "how old the recovery point may get")]
        ) { p, _ in PatientDriver(patience: p.duration("patience")!) }
    }

    /// A qdisc no DRLSim source knows: a packet FIFO whose length is given as `depth`.
    static let deepFifo = QdiscPlugin(type: "deep_fifo", summary: "a pfifo with a depth key",
                                      schema: [ParameterSpec("depth", .count, default: .number(5000), minimum: 1, doc: "packets")]) { c, _ throws(NetworkConfigError) in
        let p = try QdiscParams(c, schema: [ParameterSpec("depth", .count, default: .number(5000), minimum: 1, doc: "packets")])
        return FifoQdisc(mode: .packets, limit: p.count("depth")!)
    }

    static var extended: Plugins {
        var p = Plugins.standard
        p.register(driver: PatientDriver.plugin)
        p.register(qdisc: deepFifo)
        return p
    }

    func error(_ yaml: String, plugins: Plugins = .standard) -> String? {
        do { _ = try Scenario.parse(yaml: yaml, file: "s.yaml", plugins: plugins); return nil } catch { return "\(error)" }
    }

    @Test func aDriverRegisteredOutsideDRLSimDecodesItsOwnKeys() throws {
        let yaml = Self.world(logic: "{ type: patient, patience: 3min }")
        // Unknown to the standard plug-ins: a one-line error listing the registered drivers.
        #expect(error(yaml)?.contains("s.yaml:16: protection.logic.type:") == true)
        let s = try Scenario.parse(yaml: yaml, file: "s.yaml", plugins: Self.extended)
        let p = try #require(s.points[0].section(ProtectionSection.self))
        #expect(p.orchestrator.logic.type == "patient")
        #expect(p.orchestrator.logic.parameters.duration("patience") == .minutes(3))
        let d = try #require(try Self.extended.logicDrivers.make(p.orchestrator.logic) as? PatientDriver)
        #expect(d.patience == .minutes(3))
        // The default from the schema, and recorded for `describe`.
        let t = try Scenario.parse(yaml: Self.world(logic: "{ type: patient }"), file: "s.yaml", plugins: Self.extended)
        #expect(t.points[0].trace.contains(TraceEntry(path: "protection.logic.patience", value: "4min", isDefault: true)))
    }

    @Test func schemaDrivenErrorsNameFileLineAndKeyPath() {
        let typo = error(Self.world(logic: "{ type: patient, patiense: 3min }"), plugins: Self.extended)
        #expect(typo == "s.yaml:16: protection.logic.patiense: unknown key (did you mean 'patience'?)")
        let range = error(Self.world(logic: "{ type: patient, patience: 0s }"), plugins: Self.extended)
        #expect(range == "s.yaml:16: protection.logic.patience: patience must be positive")
        // A built-in driver's range, from its schema: rpo-target's safety in (0, 1].
        #expect(error(Self.world(logic: "{ type: rpo-target, safety: 1.5 }")) == "s.yaml:16: protection.logic.safety: safety must be in (0, 1]")
        // A key of another driver is unknown here.
        #expect(error(Self.world(logic: "{ type: fixed, threshold: 1GB }"))?.hasPrefix("s.yaml:16: protection.logic.threshold: unknown key") == true)
    }

    @Test func aQdiscRegisteredOutsideDRLSimIsDecodedBuiltAndChecked() throws {
        let yaml = Self.world(qdisc: "{ type: deep_fifo, depth: 20 }")
        #expect(error(yaml)?.hasPrefix("s.yaml:10: wan.qdisc.type:") == true)
        let s = try Scenario.parse(yaml: yaml, file: "s.yaml", plugins: Self.extended)
        let q = try #require(s.points[0].section(WANSection.self)?.qdisc)
        #expect(q.type == "deep_fifo" && q.params["depth"] == .number(20))
        let built = try #require(try Self.extended.qdiscs.build(q, context: QdiscBuildContext(linkRate: .mbit(100))) as? FifoQdisc)
        #expect(built.limit == 20)
        #expect(error(Self.world(qdisc: "{ type: deep_fifo, depht: 20 }"), plugins: Self.extended)
                == "s.yaml:10: wan.qdisc.depht: unknown key (did you mean 'depth'?)")
        #expect(error(Self.world(qdisc: "{ type: deep_fifo, depth: 0 }"), plugins: Self.extended)?.contains("wan.qdisc: wan.qdisc.depth") == true)
    }

    @Test func tbfAliasesOfTcTbfAreReachable() throws {
        // tc-tbf(8): burst "also known as buffer or maxburst"; minburst also mtu.
        for alias in ["burst", "buffer", "maxburst"] {
            let q = try ConfigMapping.read(yaml: "{type: tbf, rate: 10mbit, \(alias): 256kb, latency: 50ms}", at: "wan.qdisc") { try QdiscDecoder.decode($0) }
            #expect(q.params == ["rate": .rate(10e6), "burst": .size(262_144), "latency": .duration(.milliseconds(50))])
            let t = try #require(try QdiscRegistry.standard.build(q, context: QdiscBuildContext(linkRate: .mbit(100), mtu: 1514)) as? TbfQdisc)
            #expect(t.burst == 262_144)
        }
        let m = try ConfigMapping.read(yaml: "{type: tbf, rate: 10mbit, burst: 256kb, latency: 5ms, peakrate: 20mbit, mtu: 1514b}", at: "wan.qdisc") { try QdiscDecoder.decode($0) }
        #expect(m.params["minburst"] == .size(1514))
        #expect(throws: ScenarioError.self) {
            try ConfigMapping.read(yaml: "{type: tbf, rate: 10mbit, burst: 256kb, buffer: 256kb, latency: 50ms}", at: "wan.qdisc") { try QdiscDecoder.decode($0) }
        }
        // The library path: text in tc spelling under an alias.
        #expect(throws: NetworkConfigError.self) {
            try QdiscRegistry.standard.build(QdiscConfig(type: "tbf", params: ["rate": "10mbit", "burst": "256kb", "maxburst": "256kb", "limit": "1mb"]),
                                             context: QdiscBuildContext(linkRate: .mbit(100)))
        }
        let lib = try QdiscRegistry.standard.build(QdiscConfig(type: "tbf", params: ["rate": "10mbit", "maxburst": "256kb", "limit": "1mb"]),
                                                   context: QdiscBuildContext(linkRate: .mbit(100), mtu: 1514))
        #expect((lib as? TbfQdisc)?.burst == 262_144)
    }

    @Test func describeListsARegisteredPluginsKeys() {
        let text = Self.extended.reference
        #expect(text.contains("### `patient`"))
        #expect(text.contains("| `patience` | duration | `4min` | positive | how old the recovery point may get |"))
        #expect(text.contains("### `deep_fifo`"))
        #expect(text.contains("| `depth` | count | `5000` | at least 1 | packets |"))
        #expect(text.contains("| `burst` / `buffer` / `maxburst` | size | required |"))
        #expect(!Plugins.standard.reference.contains("patient"))
    }

    /// Docs/plugin-reference.md is `drlsim describe --plugins` of the standard plug-ins: a
    /// changed declaration must be regenerated (Scripts/plugin-reference).
    @Test func pluginReferenceDocIsGeneratedFromTheSchemas() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("Docs/plugin-reference.md"), encoding: .utf8)
        #expect(doc == Plugins.standard.reference)
    }

    /// A section no DRLSim source knows: `note: {text}`, one row in a `notes` table.
    struct NoteSection: ScenarioSection {
        static let key = "note"
        static let summary = "a note written to notes.csv"
        static let schema: ParameterSchema = [ParameterSpec("text", .text, required: true, doc: "the note")]
        var text: String
        static func decode(_ m: ConfigMapping) throws -> NoteSection? {
            guard m.isPresent else { return nil }
            return NoteSection(text: try m.parameters(schema).text("text")!)
        }
        func install(into run: RunAssembly) throws {
            run.recorder.declare("notes", columns: ["text"])
            run.recorder.emit("notes", [.text(text)])
        }
    }

    @Test func registeredDriverAndSectionRunInAWorld() throws {
        var plugins = Self.extended
        plugins.register(section: NoteSection.self)
        let yaml = Self.world(logic: "{ type: patient, patience: 1min }").replacingOccurrences(of: "interval: 5min", with: "interval: 30min")
            + "\nnote: { text: hello }\n"
        #expect(error(yaml, plugins: Self.extended)?.hasPrefix("s.yaml:17: note: unknown key") == true)
        let run = try ScenarioRun(yaml: yaml, file: "s.yaml", plugins: plugins)
        run.execute()
        #expect(run.rows("notes").count == 1)
        // The patient driver protects about every minute although the interval is 30 min: in
        // 10 min, the volume is protected far more often than the countdown alone (0 times).
        let volume = run.rows("protection").filter { $0["resource"] == .text("web-vol") }
        #expect(volume.count >= 5, "\(volume.count) volume protections")
    }

    @Test func aWorkloadKindRegisteredOutsideDRLSimDecodesItsOwnKeys() throws {
        // A duty cycle over DRLCloud's on-off generator: rate, period and the share of it writing.
        let schema: ParameterSchema = [
            ParameterSpec("rate", .rate, required: true, doc: "write rate while on"),
            ParameterSpec("period", .duration, default: .duration(.seconds(60 as Int64)), minimum: 0, excluding: true, doc: "cycle length"),
            ParameterSpec("duty", .number, default: .number(0.5), minimum: 0, excluding: true, maximum: 1, below: true, doc: "share of the period writing"),
        ]
        var plugins = Plugins.standard
        plugins.register(workload: WorkloadKindPlugin(type: "duty-cycle", summary: "on-off by duty cycle", schema: schema) { m in
            let p = try m.parameters(schema)
            let period = p.duration("period")!, on = SimDuration(nanoseconds: Int64((Double(period.nanoseconds) * p.number("duty")!).rounded()))
            return WorkloadConfig.onOff(bytesPerSecond: p.rate("rate")! / 8, onDuration: on, offDuration: period - on)
        })
        let yaml = Self.world().replacingOccurrences(of: "type: iscsi } }", with: "type: iscsi }, writes: { type: duty-cycle, rate: 80mbit, duty: 0.25 } }")
        #expect(error(yaml)?.hasPrefix("s.yaml:13: workload.vms[0].writes.type:") == true)
        let s = try Scenario.parse(yaml: yaml, file: "s.yaml", plugins: plugins)
        let vm = try #require(s.points[0].section(WorkloadSection.self)?.vms.first)
        #expect(vm.spec.writes as? WorkloadConfig == .onOff(bytesPerSecond: 10e6, onDuration: .seconds(15 as Int64), offDuration: .seconds(45 as Int64)))
        #expect(error(yaml.replacingOccurrences(of: "duty: 0.25", with: "duty: 1"), plugins: plugins)
                == "s.yaml:13: workload.vms[0].writes.duty: duty must be in (0, 1)")
        #expect(plugins.reference.contains("| `duty` | number | `0.5` | (0, 1) | share of the period writing |"))
    }

    @Test func protectionActionsComeFromThePlugins() throws {
        // vm_action accepts the registered VM actions only.
        #expect(error(Self.world().replacingOccurrences(of: "  interval: 5min", with: "  interval: 5min\n  vm_action: volume-snapshot"))?
                    .contains("protection.vm_action") == true)
        var p = Plugins.standard
        p.register(action: ProtectionActionPlugin(name: "image-copy-2", kind: .vm, summary: "a second image copy") { _ in ImageCopyAction() })
        let s = try Scenario.parse(yaml: Self.world().replacingOccurrences(of: "  interval: 5min", with: "  interval: 5min\n  vm_action: image-copy-2"),
                                   file: "s.yaml", plugins: p)
        #expect(s.points[0].section(ProtectionSection.self)?.orchestrator.vmAction == "image-copy-2")
    }
}

/// The one unit parser (`Units`, DRLSimCore): tc(8)'s table, case-sensitive, with hints.
@Suite struct UnitTableTests {
    @Test func everyRateUnitInBitsPerSecond() throws {
        let table: [(String, Double)] = [
            ("bit", 1), ("kbit", 1e3), ("mbit", 1e6), ("gbit", 1e9), ("tbit", 1e12),
            ("Kbit", 1e3), ("Mbit", 1e6), ("Gbit", 1e9), ("Tbit", 1e12),
            ("kibit", 1024), ("mibit", 1_048_576), ("gibit", 1_073_741_824), ("tibit", 1_099_511_627_776),
            // tc(8): "bps" is BYTES per second: mbps = 10^6 bytes/s = 8 * 10^6 bit/s.
            ("bps", 8), ("kbps", 8e3), ("mbps", 8e6), ("gbps", 8e9), ("tbps", 8e12),
            ("kibps", 8192), ("mibps", 8_388_608), ("gibps", 8 * 1_073_741_824.0), ("tibps", 8 * 1_099_511_627_776.0),
        ]
        for (u, f) in table where f <= Units.maxRate {
            #expect(try Units.parseRate("1\(u)").get() == f, "\(u)")
        }
        #expect(try Units.parseRate("500mbit").get() == 500e6)
        #expect(try Units.parseRate("62.5mbps").get() == 500e6)   // 62.5 MB/s is 500 mbit/s
        #expect(Units.rateUnits.count == 22)
    }

    @Test func capitalisedByteRatesAreRefusedWithTheTcMeaning() {
        guard case .failure(let e) = Units.parseRate("100Mbps") else { Issue.record("Mbps accepted"); return }
        #expect(e.description == "\"100Mbps\" is ambiguous: tc reads mbps as BYTES per second; write 100mbit for bits or 100mbps for bytes per second")
        guard case .failure(let h) = Units.parseRate("100Mb/s") else { Issue.record("Mb/s accepted"); return }
        #expect(h.description.contains("did you mean 100mbit (megabits per second)?"))
    }

    @Test func everySizeUnitInBytes() throws {
        let table: [(String, Int64)] = [
            ("b", 1), ("B", 1), ("k", 1024), ("kb", 1024), ("m", 1 << 20), ("mb", 1 << 20), ("g", 1 << 30), ("gb", 1 << 30),
            ("t", 1 << 40), ("tb", 1 << 40), ("kB", 1000), ("KB", 1000), ("MB", 1_000_000), ("GB", 1_000_000_000),
            ("TB", 1_000_000_000_000), ("KiB", 1024), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ]
        for (u, f) in table { #expect(try Units.parseSize("3\(u)").get() == 3 * f, "\(u)") }
        #expect(Units.sizeUnits.count == table.count)
        if case .success = Units.parseSize("5Mb") { Issue.record("Mb accepted as a size") }
        if case .success = Units.parseSize("1500") { Issue.record("bare number accepted as a size") }
    }

    @Test func everyDurationUnitInNanoseconds() throws {
        let table: [(String, Int64)] = [("ns", 1), ("us", 1000), ("µs", 1000), ("ms", 1_000_000), ("s", 1_000_000_000),
                                        ("min", 60_000_000_000), ("h", 3_600_000_000_000)]
        for (u, f) in table { #expect(try Units.parseDuration("2\(u)").get() == .nanoseconds(2 * f), "\(u)") }
        guard case .failure(let e) = Units.parseDuration("5m") else { Issue.record("5m accepted"); return }
        #expect(e.description.contains("did you mean 5min (minutes)?"))
    }

    @Test func parameterTextIsReadByTheSameTable() {
        #expect(ParameterValue.text("62.5mbps").read(as: .rate) == .success(.rate(500e6)))
        #expect(ParameterValue.text("64kb").read(as: .size) == .success(.size(65_536)))
        #expect(ParameterValue.text("2.5ms").read(as: .duration) == .success(.duration(.microseconds(2500))))
        if case .success = ParameterValue.text("100Mbps").read(as: .rate) { Issue.record("Mbps accepted for a qdisc rate") }
        #expect(ParameterValue.rate(5e8).description == "500000000bit" && ParameterValue.rate(5e8).readable == "500mbit")
    }
}
