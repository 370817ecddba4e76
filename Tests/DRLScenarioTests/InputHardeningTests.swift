import Testing
import DRLSimCore
import DRLCloud
import DRLOrchestration
import DRLTestSupport
@testable import DRLScenario

/// Inputs that used to crash a run or be accepted silently: each is now a one-line
/// `FILE:LINE: key.path: message` at validation (or handled by the model), with the key path a
/// user can find in the file. The scenario is `WorldSectionTests.world` (6 primary hosts, 3
/// backup hosts; extra keys on line 15).
struct InputHardeningTests {
    func error(_ yaml: String, overrides: [String] = []) -> String? {
        do { _ = try Scenario.parse(yaml: yaml, file: "w.yaml", overrides: overrides); return nil } catch let e as ScenarioError {
            return e.description
        } catch {
            Issue.record("unexpected error \(error)"); return nil
        }
    }

    func world(_ extra: String, protection: String = "protection: { policy: replication, interval: 1min }") -> String {
        WorldSectionTests.world(extra, protection: protection)
    }

    @Test func zeroByteDetectorMessagesAreRejected() {
        for key in ["ping_bytes", "vote_bytes", "notify_bytes"] {
            #expect(error(world("detector: { \(key): 0b }")) == "w.yaml:15: detector.\(key): a detector message needs at least 1 byte")
        }
    }

    @Test func zeroRoundTripWithBackToBackRoundsIsRejectedForTheFixedTransport() {
        let zeroWAN = world("detector: { transport: fixed }").replacingOccurrences(of: "delay: 2.5ms", with: "delay: 0s")
        #expect(error(zeroWAN)?.hasPrefix("w.yaml:15: detector.fixed.wan_delay: transport fixed with a zero WAN delay (from wan.delay) and ping_interval 0s") == true,
                "\(error(zeroWAN) ?? "accepted")")
        #expect(error(world("detector: { transport: fixed, fixed: { wan_delay: 0s } }"))?
                    .hasPrefix("w.yaml:15: detector.fixed.wan_delay: transport fixed with a zero WAN delay and ping_interval 0s") == true)
        // With a gap between rounds a zero delay is a legitimate configuration.
        #expect(error(world("detector: { transport: fixed, ping_interval: 100ms, fixed: { wan_delay: 0s } }")) == nil)
    }

    /// Zero WAN delay, 100 ms between rounds, LAN 0.1 ms one way: rounds start every 100 ms and
    /// take no time, so the first round to see the dead site starts within [0, 100 ms) of the
    /// disaster, fails 5 x 100 ms later, and the vote takes one LAN round trip:
    /// detection delay in [0.5002 s, 0.6002 s).
    @Test(arguments: [false, true])
    func zeroWANDelayDecidesAfterTheAnalyticDelay(fast: Bool) throws {
        let yaml = world("detector: { transport: fixed, ping_interval: 100ms, fast_rounds: \(fast), fixed: { wan_delay: 0s } }\ndisaster: { at: 61234ms }",
                         protection: "")
        let s = try Scenario.parse(yaml: yaml, file: "w.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let cols = try #require(run.recorder.columns["detector"])
        let rows = (run.recorder.rows["detector"] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        let delays = rows.filter { $0["event"] == .text("detection_delay") }.compactMap { r -> Double? in
            if case .double(let d) = r["value"]! { return d } else { return nil }
        }
        #expect(delays.count == 3, "\(rows.count) rows")
        for d in delays { #expect(d >= 0.5002 - 1e-9 && d < 0.6002, "delay \(d)") }
    }

    @Test func hostFaultsOutsideTheSiteAreRejected() {
        #expect(error(world("detector: { faults: [{ at: 10s, type: host-down, site: umea, host: 99 }] }"))
                == "w.yaml:15: detector.faults[0].host: host 99 is out of range: site 'umea' has 6 hosts (0...5)")
        #expect(error(world("detector: { transport: fixed, faults: [{ at: 10s, type: partition, site: lulea, hosts: [0, 3], remote: umea }] }"))
                == "w.yaml:15: detector.faults[0].hosts: host 3 is out of range: site 'lulea' has 3 hosts (0...2)")
        #expect(error(world("detector: { faults: [{ at: 10s, type: host-down, site: lulea, host: 2 }] }")) == nil)
    }

    @Test func heavyTailedWriteSizesAreClampedToTheDevice() throws {
        // lognormal median 4 KiB, sigma 50: draws up to e^(50 x 5) bytes used to overflow Int64.
        let yaml = world("").replacingOccurrences(of: "writes: { type: constant, rate: 8mbit, write_size: 64KiB }",
                                                  with: "writes: { type: poisson, writes_per_second: 10, size: { type: lognormal, median: 4KiB, sigma: 50 } }")
        let s = try Scenario.parse(yaml: yaml, file: "w.yaml")
        guard case .poisson(_, let size, let placement)? = s.points[0].section(WorkloadSection.self)?.vms[0].spec.writes as? WorkloadConfig else {
            Issue.record("not a poisson workload"); return
        }
        let capacity: Int64 = 200 << 20
        let context = RunContext(seed: 1, replication: 0)
        let g = try PoissonGenerator(writesPerSecond: 10, size: size, placement: placement, capacity: capacity, stream: context.stream("w"))
        var huge = 0, tiny = 0
        for _ in 0..<2000 {
            let w = try #require(g.next()).write
            #expect(w.length >= 4096 && w.length <= capacity && w.length % 4096 == 0)
            #expect(w.offset >= 0 && w.offset + w.length <= capacity)
            if w.length == capacity { huge += 1 }
            if w.length == 4096 { tiny += 1 }
        }
        // P(draw > 200 MiB) = P(Z > ln(51200)/50) = P(Z > 0.2166) = 0.414; P(draw <= 4 KiB) = 0.5.
        #expect(abs(Double(huge) / 2000 - 0.414) < 0.05, "\(huge)")
        #expect(abs(Double(tiny) / 2000 - 0.5) < 0.05, "\(tiny)")
    }

    @Test func failbackBeforeTheDisasterIsRejected() {
        #expect(error(world("disaster: { at: 90s, failback_at: 30s }"))
                == "w.yaml:15: disaster.failback_at: failback_at (30s) must be after the disaster (at 90s)")
        #expect(error(world("disaster: { at: 90s, failback_at: 90s }"))?.contains("disaster.failback_at") == true)
        #expect(error(world("disaster: { at: uniform, from: 2min, to: 5min, failback_at: 4min }"))?
                    .contains("disaster.failback_at: failback_at (4min) must be after every disaster instant") == true)
        #expect(error(world("disaster: { at: 90s, failback_at: 5min }")) == nil)
    }

    @Test func hostsBeyondThePrimaryAreRejected() {
        let vmOnHost17 = world("").replacingOccurrences(of: "      image: 50MB", with: "      image: 50MB\n      host: 17")
        #expect(error(vmOnHost17) == "w.yaml:12: workload.vms[0].host: host 17 is out of range: the primary site 'umea' has 6 hosts (0...5)")
        #expect(error(world("disaster: { at: 90s, hosts_off: 99 }"))
                == "w.yaml:15: disaster.hosts_off: 99 hosts off, but the primary site 'umea' has 6 hosts (use all, none or 0...6)")
        // 0 is documented (an integer: the first n hosts) and means none.
        let p = try? Scenario.parse(yaml: world("disaster: { at: 90s, hosts_off: 0 }"), file: "w.yaml")
        #expect(p?.points[0].section(DisasterSection.self)?.hostsOff == DisasterSpec.Hosts.none)
        #expect(error(world("disaster: { at: 90s, hosts_off: 6 }")) == nil)
    }

    @Test func wanFaultsBetweenASiteAndItselfAreRejected() {
        #expect(error(world("detector: { faults: [{ at: 10s, type: wan-blocked, between: [umea, umea] }] }"))
                == "w.yaml:15: detector.faults[0].between: between names two different sites (a site has no WAN path to itself)")
        #expect(error(world("detector: { faults: [{ at: 10s, type: wan-direction-blocked, from: lulea, to: lulea }] }"))?
                    .contains("detector.faults[0].to: from and to must be different sites") == true)
    }

    @Test func schemaOverrideIsHeldToTheSupportedVersions() {
        #expect(error(world(""), overrides: ["schema=2"])
                == "w.yaml: schema: schema version 2 is not supported (this drlsim reads schema 1) (from --set schema=2)")
        #expect(error(world(""), overrides: ["schema=1"]) == nil)
    }

    @Test func readableDetectorErrorsWithScenarioKeyPaths() {
        #expect(error(world("detector: { faults: [{ at: 10s, type: partition, site: umea, hosts: [0], remote: lulea }] }"))
                == "w.yaml:15: detector.faults[0].type: a partition fault needs transport: fixed (transport network applies site, host and wan-blocked faults only; use a netem qdisc for loss)")
        #expect(error(world("detector: { orchestrator_host: 99 }"))
                == "w.yaml:15: detector.orchestrator_host: host 99 is out of range: site 'umea' has 6 hosts (0...5)")
        #expect(error(world("detector: { orchestrator_host: 4 }"))
                == "w.yaml:15: detector.orchestrator_host: host 4 is out of range: site 'lulea' has 3 hosts (0...2)")
        #expect(error(world("detector: { detectors_per_site: 4 }"))
                == "w.yaml:15: detector.detectors_per_site: 4 detectors per site, but site 'lulea' has only 3 hosts (one detector per host)")
    }

    @Test func missingTraceFileNamesTheScenarioLineOfTheFileKey() {
        let yaml = world("").replacingOccurrences(of: "writes: { type: constant, rate: 8mbit, write_size: 64KiB }",
                                                  with: "writes:\n        type: trace\n        file: nonexist.csv")
        #expect(error(yaml) == "w.yaml:15: workload.vms[0].writes.file: nonexist.csv: cannot read the trace file")
    }

    /// A trace that writes past the end of the device it replays onto (here the 200 MiB volume
    /// of `world`) is refused at the `file` key; the repository's MSR sample fits.
    @Test func traceBeyondTheVolumeIsRejected() throws {
        let tmp = try TemporaryFolder("trace")
        defer { tmp.remove() }
        let far = 200 * 1_048_576 - 4096
        try tmp.write("t.csv", "128166372003061629,h,0,Write,\(far),8192,100\n")
        let yaml = world("").replacingOccurrences(of: "writes: { type: constant, rate: 8mbit, write_size: 64KiB }",
                                                  with: "writes:\n        type: trace\n        file: \(tmp.url.path)/t.csv")
        #expect(error(yaml) == "w.yaml:15: workload.vms[0].writes.file: the trace writes up to byte \(far + 8192), beyond the volume's \(200 * 1_048_576) bytes")
        try tmp.write("t.csv", "128166372003061629,h,0,Write,\(far),4096,100\n")
        #expect(error(yaml) == nil)
    }

    /// A detector fault scheduled after the run's end could never happen: refused.
    @Test func detectorFaultAfterTheRunIsRejected() {
        #expect(error(world("detector: { faults: [{at: 10h, type: site-down, site: umea}] }"))
                == "w.yaml:15: detector.faults[0].at: the fault is after the end of the run (duration 10min)")
        #expect(error(world("detector: { faults: [{at: 10min, type: site-down, site: umea}] }")) == nil)
    }

    /// A disaster at 1 min, the first protection at 5 min: one rpo row per protected resource,
    /// nothing recoverable (-1), the RPO counted from the start, every written byte lost.
    @Test(arguments: ["replication", "snapshot"])
    func disasterBeforeTheFirstProtectionHasARowPerResource(policy: String) throws {
        let yaml = world("disaster: { at: 1min }", protection: "protection: { policy: \(policy), interval: 5min }")
        let s = try Scenario.parse(yaml: yaml, file: "w.yaml")
        let run = RunAssembly(spec: s.points[0], replication: 0)
        try run.install()
        run.execute()
        let cols = try #require(run.recorder.columns["rpo"])
        let rows = (run.recorder.rows["rpo"] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        let plane = try #require(run.component(DataPlane.self))
        #expect(rows.map { $0["resource"] } == [.text("vm1"), .text("vm1-vol")])
        #expect(rows.map { $0["action"] } == (policy == "replication" ? [.text("image-copy"), .text("volume-replication")]
                                                                      : [.text("vm-snapshot"), .text("volume-snapshot")]))
        for r in rows {
            #expect(r["disaster_s"] == .double(60) && r["recovery_point_s"] == .double(-1) && r["rpo_s"] == .double(60))
        }
        let volumeBytes = try #require(plane.primary.volume(named: "vm1-vol")).history.total
        // 8 mbit/s = 1 MB/s in 64 KiB writes for 60 s.
        #expect(abs(Double(volumeBytes) - 60e6) < 2 * 65536, "\(volumeBytes)")
        #expect(rows.last?["lost_bytes"] == .int(volumeBytes))
    }
}
