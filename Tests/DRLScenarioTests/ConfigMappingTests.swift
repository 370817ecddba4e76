import Testing
import DRLSimCore
@testable import DRLScenario

/// The typed readers other sections use.
struct ConfigMappingTests {
    enum DRBDProtocol: String, CaseIterable { case A, B, C }

    @Test func typedReadersWithDefaults() throws {
        let yaml = """
        rate: 500mbit
        delay: 2.5ms
        segment: 64kb
        protocol: C
        enabled: false
        weights: [1, 2.5]
        qdisc: {type: tbf, burst: 256kb}
        """
        struct Out: Equatable { var rate: Double; var delay: SimDuration; var seg: Int64; var p: String; var on: Bool
            var w: [Double]; var burst: Int64; var retries: Int; var missing: SimDuration? }
        let out = try ConfigMapping.read(yaml: yaml, at: "wan") { m in
            Out(rate: try m.rate("rate"), delay: try m.duration("delay"), seg: try m.size("segment"),
                p: try m.choice("protocol", DRBDProtocol.self, default: .A).rawValue, on: try m.bool("enabled", default: true),
                w: try m.list("weights").map { try $0.double() },
                burst: try m.mapping("qdisc") { q in _ = try q.choice("type", among: ["tbf", "pfifo"]); return try q.size("burst") },
                retries: try m.int("retries", default: 5), missing: try m.value("timeout")?.duration())
        }
        #expect(out == Out(rate: 5e8, delay: .microseconds(2500), seg: 65536, p: "C", on: false, w: [1, 2.5],
                           burst: 262_144, retries: 5, missing: nil))
    }

    @Test func unknownNestedKeyIsRejectedAfterDecode() throws {
        #expect {
            try ConfigMapping.read(yaml: "qdisc: {type: tbf, brust: 1kb}", at: "wan") { m in
                try m.mapping("qdisc") { q in (try q.string("type"), try q.size("burst", default: 1024)) }
            }
        } throws: { e in
            (e as? ScenarioError)?.description == "test.yaml:1: wan.qdisc.brust: unknown key (did you mean 'burst'?)"
        }
    }

    @Test func listOfMappingsReportsIndexedPaths() throws {
        let yaml = "vms:\n  - {name: a, image: 190MB}\n  - {name: b, image: big}\n"
        #expect {
            try ConfigMapping.read(yaml: yaml, at: "workload") { m in
                try m.list("vms").map { v in try v.mapping { vm in (try vm.string("name"), try vm.size("image")) } }
            }
        } throws: { e in
            (e as? ScenarioError)?.description == "test.yaml:3: workload.vms[1].image: \"big\" is not a size (expected e.g. 64kb or 5GiB)"
        }
    }

    @Test func checkAndMissing() throws {
        #expect {
            try ConfigMapping.read(yaml: "ping_retries: 0", at: "detector") { m in
                let n = try m.int("ping_retries")
                try m.check(n > 0, "ping_retries", "must be at least 1")
            }
        } throws: { e in (e as? ScenarioError)?.description == "test.yaml:1: detector.ping_retries: must be at least 1" }
        #expect {
            try ConfigMapping.read(yaml: "a: 1", at: "x") { m in _ = try m.int("a"); _ = try m.rate("rate") }
        } throws: { e in (e as? ScenarioError)?.kind == .missingKey && (e as? ScenarioError)?.keyPath == "x.rate" }
    }

    @Test func nullCountsAsAbsent() throws {
        let v = try ConfigMapping.read(yaml: "delay: ~", at: "wan") { m in try m.duration("delay", default: .milliseconds(7)) }
        #expect(v == .milliseconds(7))
    }

    @Test func suggestions() {
        #expect(EditDistance.suggestion(for: "warmpu", among: ["customers", "warmup"]) == "warmup")
        #expect(EditDistance.suggestion(for: "zzzzzz", among: ["customers", "warmup"]) == nil)
        #expect(EditDistance.distance("kitten", "sitting") == 3)
    }
}

/// YAML anchors, aliases and merge keys work (repeated VM definitions).
struct YAMLFeatureTests {
    @Test func mergeKeysAndAliases() throws {
        let yaml = """
        base: &vm {image: 190MB, size: 5GiB}
        vms:
          - {<<: *vm, name: a}
          - {<<: *vm, name: b, size: 1GiB}
        """
        let sizes = try ConfigMapping.read(yaml: yaml, at: "workload") { m in
            _ = try m.mapping("base") { b in (try b.size("image"), try b.size("size")) }
            return try m.list("vms").map { v in try v.mapping { vm in [try vm.string("name"), Units.formatSize(try vm.size("size")), Units.formatSize(try vm.size("image"))] } }
        }
        #expect(sizes == [["a", "5GiB", "190MB"], ["b", "1GiB", "190MB"]])
    }
}
