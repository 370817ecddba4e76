import Testing
import DRLSimCore
import DRLNetwork
@testable import DRLScenario

/// `wan.mtu`, `wan.framing` and `wan.transport` (issue 14): decoding, defaults reaching the
/// network, and one-line errors at the key.
struct WANFramingScenarioTests {
    static func yaml(_ wan: String) -> String {
        """
        schema: 1
        name: n
        duration: 10s
        sites:
          primary: { name: a }
          backup: { name: b }
        wan:
          rate: 1gbit
        \(wan)
        """
    }

    func error(_ yaml: String) -> String {
        do { _ = try Scenario.parse(yaml: yaml, file: "s.yaml"); return "accepted" } catch let e as ScenarioError { return e.description } catch {
            return "unexpected \(error)"
        }
    }

    func network(_ wan: String) throws -> NetworkConfig {
        let s = try Scenario.parse(yaml: Self.yaml(wan), file: "s.yaml")
        let w = try #require(s.points[0].section(WANSection.self))
        return w.networkConfig(sites: s.points[0].sites, outputs: .standard)
    }

    @Test func framingDefaultsToLinuxAt1500() throws {
        let c = try network("")
        #expect(c.links.allSatisfy { $0.framing == Framing(.linux, mtu: 1500) })
        let ip = try network("  framing: ip\n  mtu: 9000b")
        #expect(ip.links[0].framing == Framing(.ip, mtu: 9000))
        #expect(try network("  framing: none").links[1].framing.kind == .none)
        #expect(c.transport.isEmpty && c.classTransport.isEmpty)
    }

    @Test func transportIsDecoded() throws {
        let c = try network("""
          transport:
            congestion: reno
            min_rto: 1s
            initial_window: 4
            delayed_ack: false
            receive_window: 16MiB
            ack_counting: acks
            classes:
              replication: { send_buffer: 8MiB, congestion: cubic }
        """)
        #expect(c.transport == TransportOptions(congestion: .reno, minRTO: .seconds(1 as Int64), initialWindow: 4, delayedAck: false,
                                                receiveWindow: 16 << 20, ackCounting: .acks))
        #expect(c.classTransport[.replication] == TransportOptions(congestion: .cubic, sendBuffer: 8 << 20))
        let r = c.transport(for: .replication)
        #expect(r.congestion == .cubic && r.minRTO == .seconds(1 as Int64) && r.sendBuffer == 8 << 20)
    }

    /// `send_buffer: auto` asks for Linux autotuning; a class's fixed size replaces it, and a
    /// class's `auto` replaces a network-wide fixed size.
    @Test func sendBufferAutoIsDecoded() throws {
        let c = try network("""
          transport:
            send_buffer: auto
            classes:
              snapshot: { send_buffer: 2MiB }
        """)
        #expect(c.transport.sendBufferAutotune == true && c.transport.sendBuffer == nil)
        #expect(c.transport(for: .replication).sendBufferAutotune == true)
        let s = c.transport(for: .snapshot)
        #expect(s.sendBuffer == 2 << 20 && s.sendBufferAutotune == nil)
        let d = try network("""
          transport:
            send_buffer: 1MiB
            classes:
              replication: { send_buffer: auto }
        """)
        let r = d.transport(for: .replication)
        #expect(r.sendBuffer == nil && r.sendBufferAutotune == true)
        #expect(error(Self.yaml("  transport: { send_buffer: automatic }")).hasPrefix("s.yaml:9: wan.transport.send_buffer:"))
    }

    @Test func badValuesAreOneLineErrors() {
        for (wan, expected) in [
            ("  framing: ethernet", "s.yaml:9: wan.framing:"),
            ("  mtu: 100b", "s.yaml:9: wan.mtu: mtu must be between 576b"),
            ("  segment: 1000b", "s.yaml:9: wan.segment: segment (1000 B) must hold at least one mtu (1500 B) with framing linux"),
            ("  transport: { congestion: bbr }", "s.yaml:9: wan.transport.congestion:"),
            ("  transport: { min_rto: 0ms }", "s.yaml:9: wan.transport.min_rto: min_rto must be between 1ms and 120s"),
            ("  transport: { initial_window: 0 }", "s.yaml:9: wan.transport.initial_window:"),
            ("  transport: { cc: reno }", "s.yaml:9: wan.transport.cc: unknown key"),
            ("  transport: { classes: { bulk: { congestion: reno } } }", "s.yaml:9: wan.transport.classes.bulk: unknown traffic class 'bulk'"),
        ] {
            let e = error(Self.yaml(wan))
            #expect(e.hasPrefix(expected), "\(e)")
            #expect(!e.contains("\n"))
        }
        // A segment of one MTU is fine; a 1500 B tbf burst is not (the frame is 1514 B).
        #expect(error(Self.yaml("  segment: 1500b")) == "accepted")
        let e = error(Self.yaml("  segment: 1500b\n  qdisc: { type: tbf, rate: 100mbit, burst: 1500b, limit: 100kb }"))
        #expect(e.contains("wan.qdisc") && e.contains("1514"), "\(e)")
    }
}

/// `wan.faults` decoding (issue 14 part 4).
struct WANFaultsScenarioTests {
    @Test func faultsAreDecoded() throws {
        let s = try Scenario.parse(yaml: WANFramingScenarioTests.yaml("""
          faults:
            - { at: 30s, type: down, for: 2s }
            - { at: 60s, type: loss, probability: 0.01, for: 10s, direction: forward }
            - { at: 90s, type: up, direction: reverse }
        """), file: "s.yaml")
        let w = try #require(s.points[0].section(WANSection.self))
        #expect(w.faults == [LinkFault(.down, at: .seconds(30 as Int64), duration: .seconds(2 as Int64)),
                             LinkFault(.loss, at: .seconds(60 as Int64), duration: .seconds(10 as Int64), probability: 0.01, direction: .forward),
                             LinkFault(.up, at: .seconds(90 as Int64), direction: .reverse)])
    }

    @Test func badFaultsAreOneLineErrors() {
        let t = WANFramingScenarioTests()
        for (entry, expected) in [
            ("{ at: 1s, type: cut }", "s.yaml:10: wan.faults[0].type:"),
            ("{ type: down }", "s.yaml:10: wan.faults[0].at:"),
            ("{ at: 1s, type: loss }", "s.yaml:10: wan.faults[0].probability:"),
            ("{ at: 1s, type: loss, probability: 1.5 }", "s.yaml:10: wan.faults[0].probability: probability must be between 0 and 1"),
            ("{ at: 1s, type: down, probability: 0.5 }", "s.yaml:10: wan.faults[0].probability: probability applies to loss events only"),
            ("{ at: 1s, type: up, for: 1s }", "s.yaml:10: wan.faults[0].for: an up event has no duration"),
            ("{ at: 1s, type: down, for: 0s }", "s.yaml:10: wan.faults[0].for: for must be positive"),
            ("{ at: 1s, type: down, direction: north }", "s.yaml:10: wan.faults[0].direction:"),
        ] {
            let e = t.error(WANFramingScenarioTests.yaml("  faults:\n    - " + entry))
            #expect(e.hasPrefix(expected), "\(e)")
            #expect(!e.contains("\n"))
        }
    }
}
