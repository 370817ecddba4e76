import Testing
import Foundation
import DRLSimCore
import DRLNetwork
import DRLOrchestration
@testable import DRLScenario

/// `protection.logic: {type: bandwidth-shares}`: decoding, the wan.qdisc requirement, and a run
/// in which the driver resets the HTB leaf rates of the primary -> backup link (HTBShaper).
struct BandwidthSharesScenarioTests {
    static let htb = """
    wan:
      rate: 100mbit
      qdisc:
        type: htb
        handle: "1:"
        default: 30
        classes:
          - { classid: "1:1",  rate: 100mbit }
          - { classid: "1:10", parent: "1:1", rate: 30mbit, ceil: 100mbit, prio: 0 }
          - { classid: "1:20", parent: "1:1", rate: 40mbit, ceil: 100mbit, prio: 1 }
          - { classid: "1:30", parent: "1:1", rate: 30mbit, ceil: 100mbit, prio: 1 }
        filters:
          - { class: replication, flowid: "1:10" }
          - { class: image,       flowid: "1:20" }
          - { class: application, flowid: "1:30" }
    """

    static func yaml(wan: String = htb, logic: String = "{ type: bandwidth-shares }", duration: String = "150s") -> String {
        """
        schema: 1
        name: shares
        seed: 2
        duration: \(duration)
        sites:
          primary: { name: umea, hosts: 4 }
          backup: { name: lulea, hosts: 2 }
        \(wan)
        workload:
          vms:
            - name: vm1
              image: 60MB
              volume: { size: 300MiB, type: drbd }
              writes: { type: constant, rate: 40mbit, write_size: 64KiB }
        protection:
          vm_action: image-copy
          interval: 1min
          tick: 5s
          logic: \(logic)
        drbd: { protocol: A, sndbuf: auto, on_congestion: block }
        outputs: { traffic_bin: 10s }
        """
    }

    func error(_ yaml: String) -> String? {
        do { _ = try Scenario.parse(yaml: yaml, file: "s.yaml"); return nil } catch let e as ScenarioError { return e.description } catch {
            Issue.record("unexpected error \(error)"); return nil
        }
    }

    @Test func decodesTheDriverSettingsAndResolvesClassesFromTheFilters() throws {
        let s = try Scenario.parse(yaml: Self.yaml(logic: "{ type: bandwidth-shares, weights: { application: 3 }, floor: 0.1, smoothing: 0.25, horizon: 20s }"),
                                   file: "s.yaml")
        let p = try #require(s.points[0].section(ProtectionSection.self))
        #expect(p.orchestrator.logic.type == "bandwidth-shares")
        let sh = try #require(p.shares)
        let params = p.orchestrator.logic.parameters   // the driver's own keys, decoded from its schema
        #expect(sh.classes == nil && sh.weights == ["application": 3] && sh.floor == 0.1 && params.number("smoothing") == 0.25
                && params.duration("horizon") == .seconds(20 as Int64))
        let shaped = try p.shapedClasses(in: s.points[0])
        #expect(shaped.map(\.name) == ["replication", "image", "application"])
        #expect(shaped.map(\.leaf) == ["1:10", "1:20", "1:30"])
        let d = try #require(try LogicDriverRegistry.standard.make(p.orchestrator.logic, context: LogicDriverContext(shapedClasses: shaped.map(\.name)))
                             as? BandwidthSharesDriver)
        #expect(d.weights == [1, 1, 3] && d.floor == 0.1 && d.gain == 0.25 && d.defaultHorizon == .seconds(20 as Int64))
        // The driver's defaults when only the type is written.
        let qp = try Scenario.parse(yaml: Self.yaml(), file: "s.yaml").points[0].section(ProtectionSection.self)!
        let q = qp.shares!, qv = qp.orchestrator.logic.parameters
        #expect(q.floor == 0.05 && qv.number("smoothing") == 0.5 && qv.duration("horizon") == .seconds(10 as Int64) && q.weights.isEmpty)
    }

    @Test func badInputIsAOneLineErrorAtTheKey() throws {
        // No htb: the one-line error names file, line and key path.
        let tbf = "wan: { rate: 100mbit, qdisc: { type: tbf, burst: 256kb, latency: 50ms } }"
        let e = try #require(error(Self.yaml(wan: tbf)))
        #expect(e.hasPrefix("s.yaml:"))
        #expect(e.contains("protection.logic.type: bandwidth-shares needs wan.qdisc of type htb"), "\(e)")
        #expect(!e.contains("\n"))
        #expect(error(Self.yaml(wan: "wan: { rate: 100mbit }"))?.contains("needs wan.qdisc of type htb") == true)
        // A shaped class without a filter, two classes on one leaf, bad parameters.
        #expect(error(Self.yaml(logic: "{ type: bandwidth-shares, classes: [replication, snapshot] }"))?.contains("with a filter for class snapshot") == true)
        let shared = Self.htb.replacingOccurrences(of: "{ class: image,       flowid: \"1:20\" }", with: "{ class: image, flowid: \"1:10\" }")
        #expect(error(Self.yaml(wan: shared))?.contains("replication and image share 1:10") == true)
        #expect(error(Self.yaml(logic: "{ type: bandwidth-shares, smoothing: 0 }"))?.contains("protection.logic.smoothing") == true)
        #expect(error(Self.yaml(logic: "{ type: bandwidth-shares, floor: 0.4 }"))?.contains("protection.logic.floor") == true)
        #expect(error(Self.yaml(logic: "{ type: bandwidth-shares, weights: { snapshot: 1 } }"))?.contains("protection.logic.weights.snapshot") == true)
        #expect(error(Self.yaml(logic: "{ type: bandwidth-shares, classes: [replication, bogus] }"))?.contains("unknown traffic class bogus") == true)
    }

    typealias Row = [String: RecordValue]

    @Test func driverResetsTheHTBRatesAndReplicationFollowsItsDemand() throws {
        let s = try Scenario.parse(yaml: Self.yaml(), file: "s.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let rec = run.recorder
        #expect(rec.columns["shaping"] == ["t_s", "class", "rate_bps", "ceil_bps"])
        let cols = rec.columns["shaping"] ?? []
        let rows: [Row] = (rec.rows["shaping"] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        func rates(_ c: String) -> [(t: Double, r: Double)] {
            rows.filter { $0["class"] == .text(c) }.map { ($0["t_s"]!.asDouble, $0["rate_bps"]!.asDouble) }
        }
        let rep = rates("replication"), img = rates("image"), app = rates("application")
        // One row per class per 5 s tick over 150 s (ticks at 5, 10, ..., 150 s).
        #expect(rep.count == 30 && img.count == 30 && app.count == 30)
        // Every tick the rates share the link exactly and each ceil is the link.
        for i in rep.indices { #expect(abs(rep[i].r + img[i].r + app[i].r - 100e6) < 1) }
        #expect(rows.allSatisfy { $0["ceil_bps"]!.asDouble == 100e6 })
        // Replication's rate follows its 40 mbit of writes: above the configured 30 mbit once
        // measured (demand >= 40 mbit), never starved below the floor.
        let late = rep.filter { $0.t >= 30 }
        #expect(late.allSatisfy { $0.r > 40e6 }, "\(late)")
        #expect(rep.allSatisfy { $0.r >= 5e6 - 1 })
        // The image class gets more while an image copy (60 MB at 60 s, 120 s) is queued than when idle.
        let idle = img.filter { $0.t >= 30 && $0.t < 60 }.map(\.r).max()!
        let busy = img.filter { $0.t > 60 && $0.t <= 90 }.map(\.r).max()!
        #expect(busy > idle + 10e6, "idle \(idle) busy \(busy)")
        // The HTB leaves really carry the last rates set (tc class change).
        let net = try #require(run.component(Network.self))
        let htb = try #require(net.link(from: 0, to: 1).root as? HtbQdisc)
        #expect(abs(Double(htb.htbClass("1:10")!.rate.bitsPerSecond) - rep.last!.r) <= 1)
        #expect(abs(Double(htb.htbClass("1:20")!.rate.bitsPerSecond) - img.last!.r) <= 1)
        #expect(abs(Double(htb.htbClass("1:30")!.rate.bitsPerSecond) - app.last!.r) <= 1)
        #expect(htb.htbClass("1:10")!.rate.bitsPerSecond != 30_000_000)
    }

    @Test func exampleScenarioValidates() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/examples/bandwidth-shares.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let s = try Scenario.parse(yaml: text, file: "bandwidth-shares.yaml")
        let p = try #require(s.points[0].section(ProtectionSection.self))
        #expect(try p.shapedClasses(in: s.points[0]).map(\.leaf) == ["1:10", "1:20", "1:30"])
    }
}
