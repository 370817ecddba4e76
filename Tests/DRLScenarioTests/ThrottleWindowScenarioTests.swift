import Testing
import Foundation
import DRLSimCore
import DRLNetwork
@testable import DRLScenario

/// `wan.schedule` (throttling windows): decoding and validation errors, the `shaping` rows, and a
/// DR world whose DRBD replication lags more in the throttled window than outside it.
struct ThrottleWindowScenarioTests {
    static let tbfWAN = """
    wan:
      rate: 1gbit
      qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms }
      schedule:
        - { at: 30s, rate: 20mbit }
        - { at: 60s, rate: 100mbit }
    """

    static func yaml(wan: String = tbfWAN, duration: String? = "90s",
                     drbd: String = "{ protocol: A, on_congestion: pull-ahead, congestion_fill: 2MiB }") -> String {
        """
        schema: 1
        name: throttle
        seed: 2
        \(duration.map { "duration: \($0)" } ?? "")
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
          interval: 10min
        drbd: \(drbd)
        outputs: { traffic_bin: 1s, replication_bin: 1s }
        """
    }

    func error(_ yaml: String) -> String? {
        do { _ = try Scenario.parse(yaml: yaml, file: "s.yaml"); return nil } catch let e as ScenarioError { return e.description } catch {
            Issue.record("unexpected error \(error)"); return nil
        }
    }

    typealias Row = [String: RecordValue]

    func table(_ rec: Recorder, _ name: String) -> [Row] {
        let cols = rec.columns[name] ?? []
        return (rec.rows[name] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
    }

    @Test func decodesTheSchedule() throws {
        let s = try Scenario.parse(yaml: Self.yaml(), file: "s.yaml")
        let wan = try #require(s.points[0].section(WANSection.self))
        let sched = try #require(wan.schedule)
        #expect(sched.steps == [.init(at: .seconds(30 as Int64), rate: .mbit(20)), .init(at: .seconds(60 as Int64), rate: .mbit(100))])
        #expect(sched.period == nil)
        // No schedule: nothing changes (the default path is the one every other test runs).
        let plain = Self.yaml(wan: "wan: { rate: 1gbit, qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms } }")
        #expect(try Scenario.parse(yaml: plain, file: "s.yaml").points[0].section(WANSection.self)?.schedule == nil)
    }

    @Test func badSchedulesAreOneLineErrorsAtTheKey() throws {
        func bad(_ wan: String, duration: String? = "90s") -> String { error(Self.yaml(wan: wan, duration: duration)) ?? "accepted" }
        let tbf = "  qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms }\n"
        // Line numbers: the wan section starts at line 8 (after the header and sites).
        var e = bad("wan:\n  rate: 1gbit\n  schedule:\n    - { at: 0s, rate: 20mbit }")
        #expect(e.hasPrefix("s.yaml:11: wan.schedule: a schedule needs wan.qdisc of type tbf or htb"), "\(e)")
        #expect(!e.contains("\n"))
        // Entries under a tbf (the schedule's first entry is on line 12).
        for (entries, expected) in [
            ("    - { at: 20s, rate: 20mbit }\n    - { at: 10s, rate: 50mbit }",
             "s.yaml:13: wan.schedule[1].at: offsets must be non-decreasing (10s after 20s)"),
            ("    - { at: 20, rate: 20mbit }", "s.yaml:12: wan.schedule[0].at:"),
            ("    - { at: 20s, rate: 20 }", "s.yaml:12: wan.schedule[0].rate:"),
            ("    - { at: 20s, rate: 0mbit }", "s.yaml:12: wan.schedule[0].rate:"),
            ("    - { at: 20s, rate: 20mbit, class: \"1:10\" }", "s.yaml:12: wan.schedule[0].class: wan.qdisc is a tbf, which has no classes"),
            ("    - { at: 20s, rate: 20mbit, rte: 5mbit }", "s.yaml:12: wan.schedule[0].rte: unknown key (did you mean 'rate'?)"),
            ("    - { at: 25h, rate: 20mbit }\n  schedule_repeat: 24h", "s.yaml:12: wan.schedule[0].at: offset 25h is not below schedule_repeat 24h"),
        ] {
            e = bad("wan:\n  rate: 1gbit\n" + tbf + "  schedule:\n" + entries)
            #expect(e.hasPrefix(expected), "\(e)")
        }
        // A repeating schedule needs `duration` (a network-only scenario: protection needs it too).
        let netOnly = "schema: 1\nname: n\nsites:\n  primary: { name: a }\n  backup: { name: b }\nwan:\n  rate: 1gbit\n" + tbf
            + "  schedule:\n    - { at: 8h, rate: 20mbit }\n  schedule_repeat: 24h\n"
        e = error(netOnly) ?? "accepted"
        #expect(e.hasPrefix("s.yaml:11: wan.schedule_repeat: a repeating schedule needs the scenario's duration"), "\(e)")
        e = bad("wan:\n  rate: 1gbit\n" + tbf + "  schedule_repeat: 24h")
        #expect(e.hasPrefix("s.yaml:11: wan.schedule_repeat: schedule_repeat needs wan.schedule"), "\(e)")
        // A 64 KiB bucket still passes a 64 KiB segment at 4 mbit but not at 3 mbit (truncation: 65535 B).
        // (framing none: the segment is all payload, the arithmetic of the check itself)
        let tight = "wan:\n  rate: 1gbit\n  framing: none\n  qdisc: { type: tbf, rate: 100mbit, burst: 64kb, latency: 50ms }\n  schedule:\n"
        #expect(bad(tight + "    - { at: 20s, rate: 4mbit }") == "accepted")
        e = bad(tight + "    - { at: 20s, rate: 3mbit }")
        #expect(e.hasPrefix("s.yaml:13: wan.schedule[0].rate: at this rate the tbf burst (65536 B) passes at most 65535 B, less than a 65536 B segment"), "\(e)")
        // htb: the class must exist; without one the htb must have a single root class.
        let htb = BandwidthSharesScenarioTests.htb
        e = bad(htb + "\n  schedule:\n    - { at: 8h, rate: 20mbit, class: \"1:40\" }")
        #expect(e.contains("wan.schedule[0].class: no htb class 1:40 in wan.qdisc (classes: 1:1, 1:10, 1:20, 1:30)"), "\(e)")
        e = bad(htb + "\n  schedule:\n    - { at: 8h, rate: 20mbit, ceil: 10mbit, class: \"1:10\" }")
        #expect(e.contains("wan.schedule[0].ceil: ceil must be at least rate"), "\(e)")
        #expect(bad(htb + "\n  schedule:\n    - { at: 8h, rate: 20mbit }") == "accepted")
    }

    /// The DR world: 40 mbit of DRBD writes over a 100 mbit tbf throttled to 20 mbit from 30 s
    /// to 60 s. Outside the window replication keeps up (lag below a second); inside it the
    /// backlog grows at 20 mbit/s, DRBD goes Ahead (pull-ahead, 2 MiB in flight) and the lag (the
    /// RPO a disaster would cause) climbs with the window's length. After 60 s the resync starts
    /// while the writer keeps writing, so DRBD's c-min-rate (default 250 KiB/s) holds it: about
    /// 29 s x 5 MB/s = 145 MB dirty at 250-400 KiB/s takes 6-10 minutes, the peer stays
    /// Inconsistent and the lag keeps growing at 1 s/s from the first write that went to the
    /// bitmap (~31 s): at 80-90 s it is 49-59 s. With `min_rate: 0` (c-min-rate off) the resync
    /// takes the link's spare 60 mbit and drains it by 80 s, as the model did before issue #18.
    /// The `shaping` table records the changes.
    @Test(arguments: [true, false]) func replicationLagsInTheThrottledWindow(_ cMinRate: Bool) throws {
        let drbd = "{ protocol: A, on_congestion: pull-ahead, congestion_fill: 2MiB\(cMinRate ? "" : ", resync: { min_rate: 0 }") }"
        let s = try Scenario.parse(yaml: Self.yaml(drbd: drbd), file: "s.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let shaping = table(run.recorder, "shaping")
        #expect(shaping.map { $0["t_s"]!.asDouble } == [30, 60])
        #expect(shaping.map { $0["class"]! } == [.text("root"), .text("root")])
        #expect(shaping.map { $0["rate_bps"]!.asDouble } == [20e6, 100e6])
        #expect(shaping.map { $0["ceil_bps"]!.asDouble } == [20e6, 100e6])
        let rows = table(run.recorder, "replication")
        func lag(_ r: ClosedRange<Double>) -> Double {
            rows.filter { r.contains($0["t_s"]!.asDouble) }.map { $0["lag_s"]!.asDouble }.max() ?? -1
        }
        let before = lag(10...29), during = lag(31...60), after = lag(80...90)
        #expect(before >= 0 && before < 1, "before \(before)")
        #expect(during > 25 && during < 31, "during \(during)")   // 29.1 s: Ahead since ~31 s, sampled at 60 s
        if cMinRate {
            #expect(after >= 49 && after <= 60, "after \(after)")
            let last = try #require(rows.last)
            #expect(last["drbd_state"] == .text("SyncSource") && last["state"] == .text("backlog"))
        } else {
            #expect(after >= 0 && after < 1, "after \(after)")
        }
        // The tbf really runs at 100 mbit again.
        let net = try #require(run.component(Network.self))
        #expect((net.link(from: 0, to: 1).root as? TbfQdisc)?.rate == .mbit(100))
    }

    @Test func exampleScenarioValidates() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Scenarios/examples/throttle-window.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        let s = try Scenario.parse(yaml: text, file: "throttle-window.yaml")
        let sched = try #require(s.points[0].section(WANSection.self)?.schedule)
        #expect(sched.period == .seconds(24 * 3600 as Int64))
    }
}
