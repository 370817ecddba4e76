import Testing
import DRLSimCore
@testable import DRLScenario

/// Parsing, errors with file/line/key path, sweeps and overrides.
struct ScenarioLoadingTests {
    static let mm1 = """
    schema: 1
    name: mm1
    seed: 7
    replications: 3
    queue:
      arrival: {type: exponential, mean: 1.111111111s}
      service: {type: exponential, mean: 1s}
      customers: 1000
    """

    func error(_ yaml: String, overrides: [String] = []) -> ScenarioError? {
        do {
            _ = try Scenario.parse(yaml: yaml, file: "s.yaml", overrides: overrides)
            return nil
        } catch let e as ScenarioError {
            return e
        } catch {
            Issue.record("unexpected error type \(error)")
            return nil
        }
    }

    @Test func decodesHeaderAndSection() throws {
        let s = try Scenario.parse(yaml: Self.mm1, file: "s.yaml")
        #expect(s.name == "mm1")
        #expect(s.header.seed == 7)
        #expect(s.replications == 3)
        #expect(s.points.count == 1)
        let q = try #require(s.points[0].section(QueueSection.self))
        #expect(q.configuration.service == .exponential(mean: 1))
        #expect(q.configuration.warmup == 0)
        #expect(s.points[0].trace.contains(TraceEntry(path: "queue.warmup", value: "0", isDefault: true)))
    }

    @Test func nameDefaultsToFileStem() throws {
        let s = try Scenario.parse(yaml: "schema: 1\n", file: "dir/my-study.yaml")
        #expect(s.name == "my-study")
        #expect(s.points[0].sections.isEmpty)
    }

    @Test func missingSchema() throws {
        let e = try #require(error("name: x\n"))
        #expect(e.kind == .schema)
        #expect(e.description.hasPrefix("s.yaml:1: schema: missing"))
    }

    @Test func unknownSchemaVersion() throws {
        let e = try #require(error("schema: 2\n"))
        #expect(e.kind == .schema)
        #expect(e.line == 1)
    }

    @Test func unknownKeyWithSuggestion() throws {
        let yaml = Self.mm1.replacingOccurrences(of: "  customers: 1000", with: "  customers: 1000\n  warmpu: 10")
        let e = try #require(error(yaml))
        #expect(e.kind == .unknownKey)
        #expect(e.description == "s.yaml:9: queue.warmpu: unknown key (did you mean 'warmup'?)")
    }

    @Test func misspelledRequiredKeyIsReportedAsUnknown() throws {
        let yaml = Self.mm1.replacingOccurrences(of: "  customers: 1000", with: "  custmers: 1000")
        let e = try #require(error(yaml))
        #expect(e.description == "s.yaml:8: queue.custmers: unknown key (did you mean 'customers'?)")
    }

    @Test func unknownTopLevelKey() throws {
        let e = try #require(error(Self.mm1 + "\nqeueu: {}\n"))
        #expect(e.kind == .unknownKey)
        #expect(e.keyPath == "qeueu")
        #expect(e.message.contains("did you mean 'queue'"))
    }

    @Test func wrongType() throws {
        let yaml = Self.mm1.replacingOccurrences(of: "customers: 1000", with: "customers: [1, 2]")
        let e = try #require(error(yaml))
        #expect(e.kind == .wrongType)
        #expect(e.line == 8)
        #expect(e.keyPath == "queue.customers")
    }

    @Test func badUnitNamesKeyAndLine() throws {
        let yaml = Self.mm1.replacingOccurrences(of: "mean: 1s}", with: "mean: fast}")
        let e = try #require(error(yaml))
        #expect(e.description == "s.yaml:7: queue.service.mean: \"fast\" is not a duration (expected e.g. 100ms)")
    }

    @Test func yamlSyntaxErrorHasLine() throws {
        let e = try #require(error("schema: 1\nqueue: {arrival: [\n"))
        #expect(e.kind == .syntax)
        #expect(e.line >= 2)
        #expect(!e.description.contains("\n"))
    }

    @Test func duplicateKey() throws {
        let e = try #require(error("schema: 1\nseed: 1\nseed: 2\n"))
        #expect(e.line == 3)
        #expect(e.message.contains("duplicate"))
    }

    @Test func sweepIsCartesianWithLastKeyFastest() throws {
        let yaml = Self.mm1 + """

        sweep:
          queue.customers: [100, 200, 300]
          queue.warmup: [0, 10]
        """
        let s = try Scenario.parse(yaml: yaml, file: "s.yaml")
        #expect(s.points.count == 6)
        let pairs = s.points.map { p in
            let q = p.section(QueueSection.self)!.configuration
            return [q.customers, q.warmup]
        }
        #expect(pairs == [[100, 0], [100, 10], [200, 0], [200, 10], [300, 0], [300, 10]])
        #expect(s.points[3].assignments == [SweepAssignment(key: "queue.customers", value: "200"),
                                            SweepAssignment(key: "queue.warmup", value: "10")])
        #expect(s.runCount == 18)
    }

    @Test func unknownSweepKey() throws {
        let yaml = Self.mm1 + "\nsweep:\n  queue.custmers: [1, 2]\n"
        let e = try #require(error(yaml))
        #expect(e.kind == .unknownKey)
        #expect(e.keyPath == "queue.custmers")
        #expect(e.line == 10)
        #expect(e.message.contains("did you mean 'customers'"))
    }

    @Test func sweepingTheSeedIsRejected() throws {
        let e = try #require(error(Self.mm1 + "\nsweep:\n  seed: [1, 2]\n"))
        #expect(e.kind == .badPath)
        #expect(e.line == 10)
    }

    @Test func overridesApplyBeforeDecoding() throws {
        let s = try Scenario.parse(yaml: Self.mm1, file: "s.yaml",
                                   overrides: ["queue.customers=50", "replications=5", "queue.service={type: constant, value: 1s}"])
        let q = try #require(s.points[0].section(QueueSection.self))
        #expect(q.configuration.customers == 50)
        #expect(q.configuration.service == .constant(1))
        #expect(s.replications == 5)
    }

    @Test func overrideOfUnknownPathIsAnError() throws {
        let e = try #require(error(Self.mm1, overrides: ["queue.custmers=5"]))
        #expect(e.kind == .unknownKey)
        #expect(e.keyPath == "queue.custmers")
        #expect(e.message.contains("--set queue.custmers=5"))
        let e2 = try #require(error(Self.mm1, overrides: ["queue.customers[2]=5"]))
        #expect(e2.kind == .badPath)
        let e3 = try #require(error(Self.mm1, overrides: ["queue.customers"]))
        #expect(e3.kind == .badPath)
    }

    @Test func overrideFixesASweptKeyAndCanEditTheSweep() throws {
        let yaml = Self.mm1 + "\nsweep:\n  queue.customers: [100, 200]\n"
        let fixed = try Scenario.parse(yaml: yaml, file: "s.yaml", overrides: ["queue.customers=7"])
        #expect(fixed.points.count == 1)
        #expect(fixed.points[0].section(QueueSection.self)?.configuration.customers == 7)
        let swept = try Scenario.parse(yaml: yaml, file: "s.yaml", overrides: ["sweep.queue.warmup=[1, 2, 3]"])
        #expect(swept.points.count == 6)
    }

    @Test func distributionsDecodeWithUnits() throws {
        let yaml = Self.mm1.replacingOccurrences(of: "{type: exponential, mean: 1s}", with: "{type: uniform, low: 500ms, high: 1.5s}")
        let s = try Scenario.parse(yaml: yaml, file: "s.yaml")
        #expect(s.points[0].section(QueueSection.self)?.configuration.service == .uniform(low: 0.5, high: 1.5))
        let c = try Scenario.parse(yaml: Self.mm1.replacingOccurrences(of: "{type: exponential, mean: 1s}", with: "1s"), file: "s.yaml")
        #expect(c.points[0].section(QueueSection.self)?.configuration.service == .constant(1))
        let e = try #require(error(Self.mm1.replacingOccurrences(of: "type: exponential, mean: 1s", with: "type: exponentail, mean: 1s")))
        #expect(e.keyPath == "queue.service.type")
        #expect(e.message.contains("did you mean 'exponential'"))
    }

    @Test func pathsParseAndPrint() {
        #expect(ConfigPath(parsing: "workload.vms[0].volume.size")?.description == "workload.vms[0].volume.size")
        #expect(ConfigPath(parsing: "a..b") == nil)
        #expect(ConfigPath(parsing: "a[x]") == nil)
        #expect(ConfigPath(parsing: "") == nil)
    }
}

extension ScenarioLoadingTests {
    @Test func extensionKeysHoldAnchors() throws {
        let yaml = """
        schema: 1
        x-times: &t {arrival: 2s, service: 1s}
        queue: {<<: *t, customers: 3}
        """
        let s = try Scenario.parse(yaml: yaml, file: "x.yaml")
        #expect(s.points[0].section(QueueSection.self)?.configuration.arrival == .constant(2))
    }
}
