import Testing
import DRLSimCore
import DRLCloud
import DRLTestSupport
@testable import DRLScenario

/// The workload keys that are not one quantity are declared by their kind (issue 15 item 4):
/// `size` a distribution of sizes, `video_size` a `[low, high]` size interval, `file` a path,
/// `vms[].writes` a mapping whose `type:` picks a registered kind; decoding, errors (file, line,
/// key path, did-you-mean) and the reference come from those declarations.
struct WorkloadKeySchemaTests {
    func yaml(_ writes: String) -> String {
        """
        schema: 1
        name: k
        duration: 10min
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
            - name: app
              volume: { size: 1GiB, type: iscsi }
              writes: \(writes)
        """
    }

    func writes(_ w: String, file: String = "k.yaml") throws -> (any WriteWorkload)? {
        try Scenario.parse(yaml: yaml(w), file: file).points[0].section(WorkloadSection.self)?.vms[0].spec.writes
    }

    func error(_ w: String) -> String? {
        do { _ = try Scenario.parse(yaml: yaml(w), file: "k.yaml"); return nil } catch let e as ScenarioError { return e.description } catch {
            Issue.record("unexpected \(error)"); return nil
        }
    }

    @Test func aDistributionKeyReadsAConstantOrATypedDistribution() throws {
        #expect(try writes("{ type: poisson, writes_per_second: 10, size: {type: exponential, mean: 64KiB} }") as? WorkloadConfig
                == .poisson(writesPerSecond: 10, size: .exponential(mean: 65_536), placement: .random))
        #expect(try writes("{ type: poisson, writes_per_second: 10, size: 4KiB }") as? WorkloadConfig
                == .poisson(writesPerSecond: 10, size: .constant(4096), placement: .random))
        #expect(error("{ type: poisson, writes_per_second: 10, size: {type: exponental, mean: 64KiB} }")
                == "k.yaml:9: workload.vms[0].writes.size.type: \"exponental\" is not one of constant, exponential, uniform, normal, lognormal, pareto, weibull, gamma, empirical (did you mean 'exponential'?)")
        #expect(error("{ type: poisson, writes_per_second: 10, size: {type: uniform, low: 64KiB, high: 4KiB} }")?
                    .hasPrefix("k.yaml:9: workload.vms[0].writes.size: invalid ") == true)
    }

    @Test func anIntervalKeyIsTwoOrderedSizes() throws {
        guard case .videoTranscoder(let c)? = try writes("{ type: video-transcoder, video_size: [10MB, 30MB] }") as? WorkloadConfig else {
            Issue.record("not a transcoder"); return
        }
        #expect(c.minVideoSize == 10_000_000 && c.maxVideoSize == 30_000_000)
        guard case .videoTranscoder(let d)? = try writes("{ type: video-transcoder }") as? WorkloadConfig else { return }
        #expect(d.minVideoSize == 20_000_000 && d.maxVideoSize == 100_000_000)   // the declared default, the paper's 20-100 MB
        #expect(error("{ type: video-transcoder, video_size: [100MB, 20MB] }")
                == "k.yaml:9: workload.vms[0].writes.video_size: video_size needs min <= max (100MB > 20MB)")
        #expect(error("{ type: video-transcoder, video_size: [20MB] }")
                == "k.yaml:9: workload.vms[0].writes.video_size: video_size is [min, max]: two values of a size such as 64kb or 1500b")
        #expect(error("{ type: video-transcoder, video_size: [0MB, 20MB] }") == "k.yaml:9: workload.vms[0].writes.video_size: video_size needs 0 < min <= max")
    }

    @Test func aPathKeyIsResolvedAgainstTheScenarioFolder() throws {
        let tmp = try TemporaryFolder("trace-path")
        defer { tmp.remove() }
        try tmp.write("t.csv", "128166372003061629,h,0,Write,8192,4096,100\n")
        guard case .traceReplay(let t, let scale)? = try writes("{ type: trace, file: t.csv }", file: "\(tmp.url.path)/k.yaml") as? WorkloadConfig else {
            Issue.record("not a trace"); return
        }
        #expect(t.records.count == 1 && t.records[0].offset == 8192 && t.records[0].size == 4096 && scale == 1)
        #expect(error("{ type: trace, file: t.csv }") == "k.yaml:9: workload.vms[0].writes.file: t.csv: cannot read the trace file")
    }

    @Test func theWritesMappingIsCheckedByItsKindsDeclaredKeys() {
        #expect(error("{ type: constnat, rate: 8mbit }")
                == "k.yaml:9: workload.vms[0].writes.type: \"constnat\" is not one of constant, on-off, poisson, video-transcoder, trace, diurnal (did you mean 'constant'?)")
        #expect(error("{ type: constant, rate: 8mbit, writesize: 1MiB }") == "k.yaml:9: workload.vms[0].writes.writesize: unknown key (did you mean 'write_size'?)")
        #expect(error("{ type: constant }") == "k.yaml:9: workload.vms[0].writes.rate: required key 'rate' is missing in workload.vms[0].writes")
        // The section's schema declares the kinds as the variants of vms[].writes.
        guard case .variant(let vs)? = WorkloadSection.schema.spec("vms[].writes")?.kind else { Issue.record("not a variant"); return }
        #expect(vs.map(\.type) == ["constant", "on-off", "poisson", "video-transcoder", "trace", "diurnal"])
        #expect(vs.first { $0.type == "poisson" }?.schema.spec("size")?.kind == .distribution(.size))
    }

    @Test func libraryUsersResolveTheStructuredKindsToo() {
        let schema: ParameterSchema = [
            ParameterSpec("size", .distribution(.size), required: true, doc: "d"),
            ParameterSpec("span", .interval(.size), default: .interval(.size(1), .size(2)), doc: "i"),
            ParameterSpec("file", .path, doc: "p"),
        ]
        let ok = try? schema.resolve(["size": "4KiB", "span": .interval("1KiB", "2KiB"), "file": "a.csv"]).get()
        #expect(ok?.distribution("size") == .constant(4096))
        #expect(ok?.sizeInterval("span")?.low == 1024 && ok?.sizeInterval("span")?.high == 2048)
        #expect(ok?.path("file") == "a.csv")
        #expect((try? schema.resolve(["size": "1KiB", "span": .interval("2KiB", "1KiB")]).get()) == nil)
    }
}
