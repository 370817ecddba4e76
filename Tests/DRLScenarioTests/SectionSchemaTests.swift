import Testing
import Foundation
@testable import DRLScenario
import DRLSimCore

/// Issue 15 item 4 for the scenario sections: each section's keys are declared once in its
/// `ParameterSchema`, and that declaration is what decoding reads, what errors name and what
/// `describe --plugins` lists.
@Suite struct SectionSchemaTests {
    static let world = """
        schema: 1
        name: w
        duration: 30min
        sites:
          primary: { name: umea, hosts: 6 }
          backup: { name: lulea, hosts: 3 }
        outputs: { traffic_bin: 10s }
        wan:
          rate: 500mbit
          qdisc: { type: tbf, rate: 400mbit, burst: 256kb, latency: 50ms }
          faults: [{ at: 20min, type: loss, probability: 0.01, for: 10s, direction: forward }]
          schedule: [{ at: 10s, rate: 300mbit }]
          transport: { congestion: cubic }
        flows:
          a: { from: umea, to: lulea, bytes: 1MB }
        detector: { transport: network, faults: [{ at: 10min, type: host-down, site: umea, host: 1 }] }
        drbd: { protocol: A }
        workload:
          vms:
            - name: vm1
              image: 50MB
              volume: { size: 200MiB }
              writes: { type: constant, rate: 8mbit, write_size: 64KiB }
        recovery: { start_latency: 2s }
        protection:
          policy: replication
          interval: 5min
          policies: { p: { vms: [vm1] } }
        disaster: { at: 25min }
        """

    static let queue = """
        schema: 1
        name: q
        queue: { arrival: { type: exponential, mean: 1s }, service: { type: exponential, mean: 500ms }, customers: 100 }
        """

    func decode(_ yaml: String, _ overrides: [String] = []) throws -> ScenarioSpec {
        try Scenario.parse(yaml: yaml, file: "s.yaml", overrides: overrides).points[0]
    }

    func error(_ yaml: String, _ overrides: [String] = []) -> String? {
        do { _ = try decode(yaml, overrides); return nil } catch { return "\(error)" }
    }

    /// The section's decoded value as text, without source locations (an override moves them).
    func text(_ spec: ScenarioSpec, _ key: String) -> String {
        guard let s = spec.sections.first(where: { type(of: $0).key == key }) else { return "absent" }
        var out = ""
        Swift.dump(s, to: &out)
        return out.split(separator: "\n").filter { !$0.contains("SourceLocation") && !$0.contains("file:") && !$0.contains("line:")
            && !$0.contains("column:") && !$0.contains("origin:") && !$0.contains("override") }.joined(separator: "\n")
    }

    /// A valid value different from `spec`'s default (inside its range), in scenario spelling.
    static func other(_ spec: ParameterSpec) -> String? {
        let lo = spec.minimum.map { $0 + (spec.minimumExcluded ? 1e-3 : 0) }, hi = spec.maximum
        func pick(_ d: Double?, _ fallback: Double) -> Double {
            var x = d.map { $0 == 0 ? fallback : $0 * 2 } ?? fallback
            if let hi, x > hi { x = ((lo ?? 0) + hi) / 2 }
            if let lo, x < lo { x = lo * 2 }
            if let hi, x > hi { x = hi }
            return x
        }
        let def = spec.defaultValue?.magnitude
        switch spec.kind {
        case .duration: return "\(Int64((pick(def, 1) * 1e9).rounded()))ns"
        case .rate: return "\(Int64(pick(def, 1e8).rounded()))bit"
        case .size: return "\(Int64(pick(def, 1_048_576).rounded()))b"
        case .count:
            let d = def.map { Int($0) }
            var x = d.map { $0 + 1 } ?? Int((lo ?? 1).rounded(.up)) + 1
            if let hi, Double(x) > hi { x = Int(hi) - 1 }
            return String(x)
        case .number, .probability: return def.map { $0 == 0 ? "0.25" : String($0 / 2) } ?? "0.25"
        case .bool: if case .bool(let b)? = spec.defaultValue { return String(!b) }; return "true"
        case .choice(let among): return among.first { ParameterValue.text($0) != spec.defaultValue }
        case .text: return nil
        default: return nil
        }
    }

    /// Scalar key paths of `schema` under `prefix` with their specs (nested mappings followed,
    /// lists and placeholders `<name>` left to their own tests).
    static func scalars(_ schema: ParameterSchema, _ prefix: String) -> [(String, ParameterSpec)] {
        schema.parameters.flatMap { p -> [(String, ParameterSpec)] in
            switch p.kind {
            case .mapping(let s): return p.name.hasPrefix("<") ? [] : scalars(s, "\(prefix).\(p.name)")
            case .list, .custom: return []
            default: return [("\(prefix).\(p.name)", p)]
            }
        }
    }

    /// Keys whose generic other value does not fit the scenario (their own constraints), with one that does.
    static let fitting: [String: String] = [
        "sites.primary.name": "", "sites.backup.name": "",   // named by flows and detector faults (below)
        "queue.server_rate": "",                              // with job_size instead of service (below)
        "detector.witness.site": "", "detector.witness.host": "",
        "disaster.from": "", "disaster.to": "",               // only with at: uniform (below)
        "protection.policy": "",                               // snapshot needs a snapshot vm_action (below)
        "protection.first_after": "7min",
        "protection.cleanup.keep": "3",
        "detector.max_voting_attempts": "2",
        "wan.model": "",                                       // flow refuses faults and schedule (below)
        "wan.schedule_repeat": "1h",
        "wan.segment": "32768b",
        "wan.mtu": "9000b",
        "disaster.failback_at": "28min",
        "detector.ping_retries": "2",
        "detector.voting_threshold": "0.75",
        "detector.detectors_per_site": "2",
        "detector.orchestrator_host": "2",
        "detector.fixed.wan_delay": "3ms",
        "drbd.on_congestion": "pull-ahead",
        "outputs.writes_bin": "1min",                          // a multiple of replication_bin (10 s)
        "sites.witness.name": "", "sites.witness.hosts": "",   // need a witness (below)
    ]

    /// Every scalar key a section declares changes what the section decodes: a key declared but
    /// ignored by the decoder fails here (a key read but not declared fails every decode, in
    /// `ConfigMapping.finish`).
    @Test func everyDeclaredKeyIsRead() throws {
        let base = try decode(Self.world), queueBase = try decode(Self.queue)
        var checked = 0
        for section in Plugins.standard.sections where section.key != "workload" {
            for (path, spec) in Self.scalars(section.schema, section.key) {
                let fixed = Self.fitting[path]
                if fixed == "" { continue }
                guard let value = fixed ?? Self.other(spec) else { Issue.record("no other value for \(path)"); continue }
                let yaml = section.key == "queue" ? Self.queue : Self.world
                let before = text(section.key == "queue" ? queueBase : base, section.key)
                do {
                    let after = text(try decode(yaml, ["\(path)=\(value)"]), section.key)
                    #expect(after != before, "\(path)=\(value) is declared but changes nothing")
                    checked += 1
                } catch {
                    Issue.record("\(path)=\(value): \(error)")
                }
            }
        }
        // The keys left out above, set where their constraints hold.
        let uniform = "disaster: { at: uniform, from: 10min, to: 20min }"
        let w = Self.world.replacingOccurrences(of: "disaster: { at: 25min }", with: uniform)
        #expect(text(try decode(w), "disaster") != text(try decode(w, ["disaster.from=12min"]), "disaster"))
        #expect(text(try decode(w), "disaster") != text(try decode(w, ["disaster.to=22min"]), "disaster"))
        let witness = try decode(Self.world, ["sites.witness.name=wit"])
        #expect(text(witness, "sites") != text(try decode(Self.world, ["sites.witness.name=wit", "sites.witness.hosts=2"]), "sites"))
        #expect(text(witness, "sites") != text(try decode(Self.world, ["sites.witness.name=wat"]), "sites"))
        let renamed = ["sites.primary.name=umea2", "flows.a.from=umea2", "detector.faults[0].site=umea2"]
        #expect(text(base, "sites") != text(try decode(Self.world, renamed), "sites"))
        #expect(text(base, "sites") != text(try decode(Self.world, ["sites.backup.name=lulea2", "flows.a.to=lulea2"]), "sites"))
        let withWitness = ["sites.witness.name=wit", "sites.witness.hosts=2", "detector.witness.site=wit"]
        #expect(text(try decode(Self.world, withWitness), "detector") != text(base, "detector"))
        #expect(text(try decode(Self.world, withWitness), "detector") != text(try decode(Self.world, withWitness + ["detector.witness.host=1"]), "detector"))
        let jobs = Self.queue.replacingOccurrences(of: "service: { type: exponential, mean: 500ms }",
                                                   with: "job_size: { type: exponential, mean: 1MB }, server_rate: 100mbit")
        #expect(text(try decode(jobs), "queue") != text(try decode(jobs, ["queue.server_rate=50mbit"]), "queue"))
        #expect(checked >= 130, "only \(checked) keys checked")
    }

    /// A section's unknown key, out-of-range value and wrong dimension: the schema's one-line
    /// error with file, line and key path.
    @Test func schemaErrorsNameFileLineAndKeyPath() {
        let w = Self.world
        // unknown key, with the closest declared key
        #expect(error(w.replacingOccurrences(of: "drbd: { protocol: A }", with: "drbd: { protocol: A, max_bufers: 64 }"))
                == "s.yaml:17: drbd.max_bufers: unknown key (did you mean 'max_buffers'?)")
        #expect(error(w.replacingOccurrences(of: "recovery: { start_latency: 2s }", with: "recovery: { stack: { servr: 1s } }"))
                == "s.yaml:24: recovery.stack.servr: unknown key (did you mean 'server'?)")
        // out of range: the declared bound and its source
        #expect(error(w.replacingOccurrences(of: "drbd: { protocol: A }", with: "drbd: { protocol: A, timeout: 90s }"))
                == "s.yaml:17: drbd.timeout: 90s is outside 100ms..1min (drbd_limits.h)")
        #expect(error(w, ["detector.ping_retries=0"]) == "s.yaml: detector.ping_retries: 0 must be between 1 and 1000 (from --set detector.ping_retries=0)")
        #expect(error(w.replacingOccurrences(of: "interval: 5min", with: "interval: 500ms"))
                == "s.yaml:27: protection.interval: interval must be at least 1s")
        #expect(error(w, ["protection.compression.data_ratio=0"])
                == "s.yaml: protection.compression.data_ratio: data_ratio must be in (0, 1] (from --set protection.compression.data_ratio=0)")
        // wrong dimension
        for (yaml, prefix) in [
            (w.replacingOccurrences(of: "recovery: { start_latency: 2s }", with: "recovery: { start_latency: 2mbit }"), "s.yaml:24: recovery.start_latency: "),
            (w.replacingOccurrences(of: "rate: 500mbit\n", with: "rate: 5ms\n"), "s.yaml:9: wan.rate: "),
            (w.replacingOccurrences(of: "bytes: 1MB", with: "bytes: 1s"), "s.yaml:15: flows.a.bytes: "),
        ] {
            let e = error(yaml)
            #expect(e?.hasPrefix(prefix) == true, "\(e ?? "no error")")
        }
        // a list item's keys are its schema's
        #expect(error(w.replacingOccurrences(of: "for: 10s, direction", with: "fr: 10s, direction"))
                == "s.yaml:11: wan.faults[0].fr: unknown key (did you mean 'for'?)")
    }

    /// `describe --plugins` (and so Docs/plugin-reference.md) has a table for every section, with
    /// every key path its schema declares, nested ones included.
    @Test func describeListsEverySectionsKeys() {
        let reference = Plugins.standard.reference
        for section in Plugins.standard.sections where section.key != "workload" {
            #expect(!section.schema.parameters.isEmpty, "\(section.key) declares no keys")
            #expect(reference.contains("### `\(section.key)`"))
            for path in section.schema.keyPaths {
                #expect(reference.contains("| `\(path)`") || reference.contains("/ `\(path)`"), "\(section.key).\(path) missing")
            }
        }
    }

    /// Docs/scenario-reference.md names every key a section declares (its tables are written
    /// for people; this keeps them complete) and links the generated tables.
    @Test func scenarioReferenceNamesEveryDeclaredKey() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let doc = try String(contentsOf: root.appendingPathComponent("Docs/scenario-reference.md"), encoding: .utf8)
        #expect(doc.contains("plugin-reference.md"))
        // Every `code span` of the page, split into words (`vm_snapshot.{memory, glance_rate}` names three keys).
        var words: Set<String> = []
        for (i, span) in doc.components(separatedBy: "`").enumerated() where i % 2 == 1 {
            words.formUnion(span.components(separatedBy: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_-")).inverted))
        }
        var missing: [String] = []
        for section in Plugins.standard.sections where section.key != "workload" {
            for p in section.schema.keyPaths where !p.contains("<") {
                let leaf = String(p.split(separator: ".").last!).replacingOccurrences(of: "[]", with: "")
                if !words.contains(leaf) { missing.append("\(section.key).\(p)") }
            }
        }
        #expect(missing.isEmpty, "Docs/scenario-reference.md does not name: \(missing.joined(separator: ", "))")
    }
}
