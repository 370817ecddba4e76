import Testing
import DRLSimCore
import DRLNetwork
@testable import DRLScenario

/// `wan.model: packet | flow` (issue 16): decoding, the default, one-line errors at the key, and
/// the model a run assembles.
struct WANModelScenarioTests {
    func spec(_ wan: String) throws -> Scenario {
        try Scenario.parse(yaml: WANFramingScenarioTests.yaml(wan), file: "s.yaml")
    }

    func error(_ wan: String) -> String {
        do { _ = try spec(wan); return "accepted" } catch let e as ScenarioError { return e.description } catch {
            return "unexpected \(error)"
        }
    }

    @Test func defaultIsThePacketModel() throws {
        #expect(try spec("").points[0].section(WANSection.self)?.model == .packet)
        #expect(try spec("  model: packet").points[0].section(WANSection.self)?.model == .packet)
        #expect(try spec("  model: flow").points[0].section(WANSection.self)?.model == .flow)
    }

    @Test func badValuesAreOneLineErrorsAtTheKey() {
        let e = error("  model: fluid")
        #expect(e.contains("s.yaml:") && e.contains("wan.model"), "\(e)")
        let f = error("  model: flow\n  faults: [{ type: down, at: 10s }]")
        #expect(f.contains("wan.faults") && f.contains("wan.model packet"), "\(f)")
    }

    @Test func aFlowRunAssemblesTheFlowNetwork() throws {
        let s = try spec("  model: flow\n  qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms }")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        defer { run.context.close() }
        try run.install()
        let flow = try #require(run.component(FlowNetwork.self))
        #expect(run.component(DRLNetwork.Network.self) == nil)
        #expect(run.wanPaths === flow)
        #expect(abs(flow.link(from: 0, to: 1).root.children[0].capacity * 8 - 100e6 * 62_264 / 65_102) < 1)
        let packet = RunAssembly(spec: try spec("").points[0], replication: 0)
        defer { packet.context.close() }
        try packet.install()
        #expect(packet.component(FlowNetwork.self) == nil && packet.wanPaths != nil)
    }
}
