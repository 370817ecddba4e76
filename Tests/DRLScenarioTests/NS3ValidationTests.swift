import Testing
import Foundation
import DRLSimCore
import DRLNetwork
@testable import DRLScenario

/// DRLSim's WAN against packet-level ns-3.37 (Docs/validation.md): every scenario of
/// `Scenarios/validation/wan/` is run here and compared with the numbers `Scripts/ns3-validate`
/// stored in `Docs/validation/ns3/ns3-results.txt` (ns-3 is run by hand: it takes minutes).
/// Tolerances are the ones Docs/validation.md reports and explains.
struct NS3ValidationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The stored ns-3 lines: case (`<case>-newreno` for TcpNewReno runs) -> flows in order, each
    /// `key=value` field.
    static func ns3() throws -> [String: [[String: String]]] {
        let text = try String(contentsOf: root.appendingPathComponent("Docs/validation/ns3/ns3-results.txt"), encoding: .utf8)
        var out: [String: [[String: String]]] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            var f: [String: String] = [:]
            for kv in line.split(separator: " ") {
                let p = kv.split(separator: "=", maxSplits: 1)
                if p.count == 2 { f[String(p[0])] = String(p[1]) }
            }
            guard let c = f["case"], let tcp = f["tcp"] else { continue }
            out[tcp == "linux" ? c : "\(c)-\(tcp)", default: []].append(f)
        }
        return out
    }

    typealias Row = [String: RecordValue]

    /// Runs `Scenarios/validation/wan/<name>.yaml`; its `flows` rows and the wall time.
    static func drlsim(_ name: String) throws -> ([Row], Double) {
        let s = try Scenario.load(file: root.appendingPathComponent("Scenarios/validation/wan/\(name).yaml").path)
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        let t0 = Date()
        run.execute()
        let wall = Date().timeIntervalSince(t0)
        let cols = run.recorder.columns["flows"] ?? []
        return ((run.recorder.rows["flows"] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }, wall)
    }

    static func rel(_ a: Double, _ b: Double) -> Double { abs(a - b) / b }

    /// Completion time of a 1 GiB transfer through tbf 50/100/500 mbit, and of 256 MiB with a
    /// 64 KiB send buffer.
    @Test(arguments: [("bulk50", 0.01), ("bulk100", 0.01), ("bulk500", 0.01), ("sndbuf", 0.03), ("bulk100-newreno", 0.01)])
    func completionTime(name: String, tolerance: Double) throws {
        let ns = try #require(Self.ns3()[name]?.first, "no ns-3 numbers for \(name)")
        let (rows, wall) = try Self.drlsim(name)
        let r = try #require(rows.first)
        #expect(r["finished"] == .int(1))
        let ours = r["end_s"]!.asDouble
        let theirs = try #require(Double(ns["completion_s"]!))
        print("ns3 \(name): DRLSim \(ours) s vs ns-3 \(theirs) s (\(Self.rel(ours, theirs) * 100) %), wall \(wall) s vs \(ns["wall_s"]!) s")
        #expect(Self.rel(ours, theirs) <= tolerance, "\(name): \(ours) vs \(theirs)")
    }

    /// Two flows over 60 s: each flow's share of the delivered bytes.
    @Test(arguments: [("fair2", 0.05), ("rtt2", 0.05)])
    func shares(name: String, tolerance: Double) throws {
        let ns = try #require(Self.ns3()[name], "no ns-3 numbers for \(name)")
        let (rows, _) = try Self.drlsim(name)
        #expect(rows.count == 2 && ns.count == 2)
        let ours = rows.map { $0["bytes_delivered"]!.asDouble }
        let theirs = ns.map { Double($0["bytes"]!)! }
        let so = ours[0] / (ours[0] + ours[1]), st = theirs[0] / (theirs[0] + theirs[1])
        print("ns3 \(name): share of flow 0 DRLSim \(so) vs ns-3 \(st); totals \(ours[0] + ours[1]) vs \(theirs[0] + theirs[1])")
        #expect(abs(so - st) <= tolerance)
        #expect(Self.rel(ours[0] + ours[1], theirs[0] + theirs[1]) <= 0.01)
    }

    /// A 2 s outage at 30 s: the delay it adds to the 1 GiB transfer (outage - bulk100).
    @Test func outageDelay() throws {
        let ns = try Self.ns3()
        let nsOut = try #require(ns["outage"]?.first), nsBase = try #require(ns["bulk100"]?.first)
        let (out, _) = try Self.drlsim("outage")
        let (base, _) = try Self.drlsim("bulk100")
        let ours = out[0]["end_s"]!.asDouble - base[0]["end_s"]!.asDouble
        let theirs = Double(nsOut["completion_s"]!)! - Double(nsBase["completion_s"]!)!
        print("ns3 outage: delay DRLSim \(ours) s vs ns-3 \(theirs) s; ns-3 first byte after the outage at \(nsOut["first_rx_after_outage_s"]!)")
        #expect(Self.rel(ours, theirs) <= 0.05)
    }
}
