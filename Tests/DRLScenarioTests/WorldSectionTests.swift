import Testing
import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration
@testable import DRLScenario

/// Decoding of the DR-world sections (sites, wan, workload, protection, drbd, detector,
/// disaster, recovery, outputs) and their one-line errors.
struct WorldSectionTests {
    /// A small valid world; `extra` is appended (top-level keys).
    static func world(_ extra: String = "", protection: String = "protection: { policy: replication, interval: 1min }") -> String {
        """
        schema: 1
        name: w
        duration: 10min
        sites:
          primary: { name: umea, hosts: 6 }
          backup: { name: lulea, hosts: 3 }
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
            - name: vm1
              image: 50MB
              volume: { size: 200MiB }
              writes: { type: constant, rate: 8mbit, write_size: 64KiB }
        \(protection)
        \(extra)
        """
    }

    func parse(_ yaml: String, overrides: [String] = []) throws -> Scenario {
        try Scenario.parse(yaml: yaml, file: "w.yaml", overrides: overrides)
    }

    func error(_ yaml: String, overrides: [String] = []) -> String? {
        do { _ = try parse(yaml, overrides: overrides); return nil } catch let e as ScenarioError { return e.description } catch {
            Issue.record("unexpected error \(error)"); return nil
        }
    }

    @Test func tbfQdiscIsDecodedWithTheScenarioUnitsIntoExactTcSpelling() throws {
        let q = try ConfigMapping.read(yaml: "{type: tbf, rate: 500mbit, burst: 256kb, latency: 50ms}", at: "wan.qdisc") {
            try QdiscDecoder.decode($0)
        }
        #expect(q.type == "tbf")
        #expect(q.params.mapValues(\.description) == ["rate": "500000000bit", "burst": "262144b", "latency": "50000000ns"])
        // DRLNetwork gets the same quantities as values (no second parse).
        #expect(q.params["rate"] == .rate(500e6))
        #expect(q.params["burst"] == .size(262_144))
        #expect(q.params["latency"] == .duration(.milliseconds(50)))
    }

    @Test func htbTreeWithClassesAndFilters() throws {
        let yaml = """
        type: htb
        handle: "1:"
        default: "1:20"
        classes:
          - { classid: "1:1", rate: 100mbit }
          - { classid: "1:10", parent: "1:1", rate: 70mbit, ceil: 100mbit, prio: 0, qdisc: { type: fq_codel } }
          - { classid: "1:20", parent: "1:1", rate: 30mbit, ceil: 100mbit, prio: 1 }
        filters:
          - { class: replication, flowid: "1:10" }
        """
        let q = try ConfigMapping.read(yaml: yaml, at: "wan.qdisc") { try QdiscDecoder.decode($0) }
        #expect(q.classes.count == 3)
        #expect(q.classes[1].params.mapValues(\.description) == ["rate": "70000000bit", "ceil": "100000000bit", "prio": "0"])
        #expect(q.classes[1].qdisc?.type == "fq_codel")
        #expect(q.filters == [QdiscFilterConfig(trafficClass: "replication", flowid: "1:10")])
        _ = try QdiscRegistry.standard.build(q, context: QdiscBuildContext(linkRate: .mbit(100)))
    }

    @Test func badQdiscValuesNameTheKeyAndLine() {
        #expect(error(Self.world("").replacingOccurrences(of: "wan: { rate: 500mbit, delay: 2.5ms }",
                                                          with: "wan:\n  rate: 500mbit\n  qdisc: { type: tbf, rate: fast, burst: 256kb, latency: 50ms }"))
                == "w.yaml:9: wan.qdisc.rate: \"fast\" is not a rate (expected e.g. 500mbit)")
        #expect(error(Self.world(), overrides: ["wan.qdisc={type: tbf, rate: 50mbit, brust: 256kb, latency: 50ms}"])
                == "w.yaml: wan.qdisc.brust: unknown key (did you mean 'burst'?) (from --set wan.qdisc={type: tbf, rate: 50mbit, brust: 256kb, latency: 50ms})")
        #expect(error(Self.world(), overrides: ["wan.qdisc={type: tbx}"])?.contains("wan.qdisc.type: \"tbx\"") == true)
        // DRLNetwork's own check (tbf needs a burst), reported at the qdisc's line.
        #expect(error(Self.world(), overrides: ["wan.qdisc={type: tbf, latency: 50ms}"])
                == "w.yaml: wan.qdisc: wan.qdisc.burst: required (from --set wan.qdisc={type: tbf, latency: 50ms})")
        // A tbf without rate shapes at wan.rate.
        let q = try? parse(Self.world(), overrides: ["wan.qdisc={type: tbf, burst: 256kb, latency: 50ms}", "wan.rate=50mbit"])
            .points[0].section(WANSection.self)?.qdisc
        #expect(q?.params["rate"]?.description == "50000000bit")
        #expect(error(Self.world(), overrides: ["wan.rate=500"])?.contains("wan.rate") == true)
    }

    /// Settings that would crash the model or black-hole the link are refused at the qdisc:
    /// a bucket or a queue that cannot hold one segment, fq_codel without flows or room.
    /// `describe` shows values that follow other sections, not placeholders: the volume type
    /// from the policy (per sweep point), the first protection, the clone rate, the fixed
    /// detector's WAN delay, no re-voting, and a uniform disaster's window.
    @Test func describeTraceResolvesDerivedDefaults() throws {
        let yaml = Self.world("""
            detector: { transport: fixed }
            disaster: { at: uniform }
            sweep:
              protection.policy: [snapshot, replication]
            """)
        let s = try parse(yaml, overrides: ["sites.primary.volume_disk={read: 100mbps, write: 100mbps}"])
        func value(_ p: Int, _ path: String) -> String? { s.points[p].trace.first { $0.path == path }?.value }
        #expect(value(0, "workload.vms[0].volume.type") == "iscsi")
        #expect(value(1, "workload.vms[0].volume.type") == "drbd")
        #expect(s.points[0].trace.filter { $0.path == "workload.vms[0].volume.type" }.count == 1)
        // DRBD volumes without a drbd: section run with DRBDConfig's defaults: shown for point 1 only
        #expect(value(1, "drbd.protocol") == "A" && value(1, "drbd.on_congestion") == "block")
        #expect(!s.points[0].trace.contains { $0.path.hasPrefix("drbd.") })
        #expect(value(0, "protection.first_after") == "1min (protection.interval)")
        #expect(value(0, "protection.clone_rate") == "50mbps (half sites.primary.volume_disk.read)")
        #expect(value(0, "detector.fixed.wan_delay") == "2500us (wan.delay)")
        #expect(value(0, "detector.max_voting_attempts") == "none")
        // uniform between two protection intervals and the run's end
        #expect(value(0, "disaster.from") == "2min")
        #expect(value(0, "disaster.to") == "10min")
        // written values are not overridden
        let w = try parse(Self.world("disaster: { at: uniform, from: 3min }"), overrides: ["protection.first_after=30s"])
        #expect(w.points[0].trace.first { $0.path == "disaster.from" }?.value == "3min")
        #expect(w.points[0].trace.first { $0.path == "protection.first_after" }?.value == "30s")
    }

    @Test func qdiscsThatCouldNeverSendAreRefused() {
        for (q, key) in [("{type: tbf, burst: 0b, latency: 50ms}", "wan.qdisc.burst"),
                         ("{type: tbf, burst: 1kb, latency: 50ms}", "wan.qdisc.burst"),
                         ("{type: tbf, burst: 256kb, limit: 0b}", "wan.qdisc.limit"),
                         ("{type: fq_codel, flows: 0}", "wan.qdisc.flows"),
                         ("{type: fq_codel, limit: 0}", "wan.qdisc.limit"),
                         ("{type: pfifo, limit: 0}", "wan.qdisc.limit"),
                         ("{type: bfifo, limit: 0b}", "wan.qdisc.limit")] {
            let e = error(Self.world(), overrides: ["wan.qdisc=\(q)"])
            #expect(e?.hasPrefix("w.yaml: wan.qdisc: \(key): ") == true, "\(q): \(e ?? "accepted")")
        }
        #expect(error(Self.world(), overrides: ["wan.qdisc={type: tbf, burst: 1kb, latency: 50ms}"])?
            .contains("at least one segment (65102 bytes)") == true)   // 64 KiB = 43 x 1448 B of payload + 43 x 66 B of linux framing
        // the same bucket is fine for 1500-byte packets
        #expect(error(Self.world(), overrides: ["wan.qdisc={type: tbf, burst: 10kb, latency: 50ms}", "wan.segment=1500b"]) == nil)
    }

    @Test func sitesWanAndOutputsBuildTheNetworkConfig() throws {
        let s = try parse(Self.world("outputs: { traffic_bin: 5s, traffic: both }"),
                          overrides: ["sites.backup.volume_disk={read: 100mbps, write: 80mbps}"])
        let p = s.points[0]
        #expect(p.sites.primary == .primaryDefault)
        #expect(p.sites.backup.volumeDisk == DiskProfile(readBytesPerSecond: 100e6, writeBytesPerSecond: 80e6))
        let wan = try #require(p.section(WANSection.self))
        let c = wan.networkConfig(sites: p.sites, outputs: try #require(p.section(OutputsSection.self)))
        #expect(c.sites.map(\.name) == ["umea", "lulea"])
        #expect(c.links.count == 2 && c.links[0].rate == .mbit(500) && c.links[0].delay == .microseconds(2500))
        #expect(c.links[0].segmentSize == 65_536)
        #expect(c.trafficBin == .seconds(5 as Int64))
        #expect(c.accountedDirections.count == 2)
        #expect(error(Self.world(), overrides: ["sites.backup.name=umea"]) == "w.yaml:6: sites.backup: the backup site needs a name different from the primary's")
    }

    @Test func policyShorthandChoosesTheVMActionAndTheVolumeType() throws {
        for (policy, action, type) in [("snapshot", "vm-snapshot", VolumeType.iscsi), ("replication", "image-copy", .drbd)] {
            let p = try parse(Self.world(), overrides: ["protection.policy=\(policy)"]).points[0]
            let prot = try #require(p.section(ProtectionSection.self))
            #expect(prot.orchestrator.vmAction.rawValue == action)
            #expect(prot.orchestrator.protectionInterval == .minutes(1))
            #expect(try #require(p.section(WorkloadSection.self)).specs(policy: prot.policy)[0].volume?.type == type)
        }
        // A volume type that contradicts the policy is reported at the type's line.
        let yaml = Self.world().replacingOccurrences(of: "volume: { size: 200MiB }", with: "volume: { size: 200MiB, type: iscsi }")
        #expect(error(yaml) == "w.yaml:12: workload.vms[0].volume.type: protection.policy replication uses drbd volumes, not iscsi")
        #expect(error(Self.world(), overrides: ["protection.vm_action=vm-snapshot"])
                == "w.yaml: protection.vm_action: protection.policy replication uses image-copy, not vm-snapshot (from --set protection.vm_action=vm-snapshot)")
        #expect(error(Self.world(), overrides: ["protection.policy=mirror"])?.contains("protection.policy: \"mirror\"") == true)
        #expect(error(Self.world().replacingOccurrences(of: "duration: 10min\n", with: ""))
                == "w.yaml:13: protection: protection needs a scenario 'duration' (protection is periodic)")
    }

    @Test func protectionDriverOverlapAndPipelines() throws {
        let p = try parse(Self.world(protection: """
        protection:
          vm_action: vm-snapshot
          interval: 2min
          overlap: skip
          logic: { type: rpo-target, target: 3min, safety: 0.8 }
          cleanup: { keep: 2 }
          chunk: 10MiB
          vm_snapshot: { speed: 1.0 }
          compression: { enabled: false }
          clone_rate: 800mbit
        """)).points[0]
        let s = try #require(p.section(ProtectionSection.self))
        #expect(s.policy == nil && s.orchestrator.vmAction == "vm-snapshot")
        #expect(s.orchestrator.overlap == .skip && s.orchestrator.keepNewest == 2)
        #expect(s.orchestrator.logic.type == "rpo-target" && s.orchestrator.logic.parameters.duration("target") == .minutes(3)
                && s.orchestrator.logic.parameters.number("safety") == 0.8)
        #expect(s.cloud.chunkSize == 10 * 1_048_576 && s.cloud.vmSnapshotSpeed == 1 && !s.cloud.compression.enabled)
        #expect(s.cloud.cloneBytesPerSecond == 100e6)
        #expect(try #require(p.section(WorkloadSection.self)).specs(policy: nil)[0].volume?.type == .iscsi)
        #expect(error(Self.world(), overrides: ["protection.logic={type: dirty-threshold, target: 1min}"])?
                    .contains("protection.logic.target: unknown key") == true)
    }

    @Test func workloadsDecodeIntoDRLCloudConfigs() throws {
        let w = try parse(Self.world(), overrides: [
            "workload.vms[0].writes={type: video-transcoder, videos: 10, video_size: [20MB, 100MB], transcode_rate: 80mbit}"])
            .points[0].section(WorkloadSection.self)
        guard case .videoTranscoder(let c)? = try #require(w).vms[0].spec.writes as? WorkloadConfig else { Issue.record("not a transcoder"); return }
        #expect(c.videos == 10 && c.minVideoSize == 20_000_000 && c.maxVideoSize == 100_000_000 && c.transcodeBytesPerSecond == 10e6)
        #expect(try #require(w).vms[0].spec.imageBytes == 50_000_000)
        #expect(error(Self.world(), overrides: ["workload.vms[0].writes={type: video-transcoder, video_size: [100MB]}"])?
                    .contains("workload.vms[0].writes.video_size: video_size is [min, max]") == true)
        #expect(error(Self.world(), overrides: ["workload.vms[0].writes={type: poison}"])?
                    .contains("did you mean 'poisson'") == true)
        #expect(error(Self.world(), overrides: ["workload.vms[0].volume.size=1kb"]) ==
                "w.yaml: workload.vms[0].volume.size: a volume must be at least 1MiB (from --set workload.vms[0].volume.size=1kb)")
    }

    @Test func drbdSection() throws {
        let d = try parse(Self.world("drbd: { protocol: C, sndbuf: 8MiB, resync: { mode: fixed, rate: 80mbit } }")).points[0]
            .section(DRBDSection.self)
        let c = try #require(d).config
        #expect(c.protocolKind == .C && c.sendBuffer == 8 * 1_048_576 && c.resync == .fixed(bytesPerSecond: 10e6))
        #expect(error(Self.world("drbd: { protocol: C, on_congestion: pull-ahead }"))
                == "w.yaml:15: drbd.on_congestion: on_congestion other than block needs protocol A (drbd.conf(5))")
        #expect(error(Self.world("drbd: { sndbuf: huge }"))?.contains("drbd.sndbuf") == true)
        // version and c-min-rate (defaults: DRBD 9, 250 KiB/s; 0 or off disables)
        #expect(c.version == .v9 && c.cMinRate == 250 * 1024)
        let v84 = try #require(try parse(Self.world("drbd: { version: 8.4, resync: { min_rate: 0 } }")).points[0]
            .section(DRBDSection.self)).config
        #expect(v84.version == .v84 && v84.cMinRate == 0)
        let mr = try #require(try parse(Self.world("drbd: { resync: { min_rate: 4mbit } }")).points[0]
            .section(DRBDSection.self)).config
        #expect(mr.cMinRate == 500_000)
        #expect(error(Self.world("drbd: { version: 8.3 }"))?.hasPrefix("w.yaml:15: drbd.version: \"8.3\" is not one of 9, 8.4") == true)
        #expect(error(Self.world("drbd: { resync: { min_rate: 250 } }"))?.hasPrefix("w.yaml:15: drbd.resync.min_rate:") == true)
    }

    @Test func disasterTimingAndEffects() throws {
        let fixed = try #require(try parse(Self.world("disaster: { at: 5min, hosts_off: 2, stops_bgp: false }")).points[0]
            .section(DisasterSection.self))
        let spec = fixed.disasterSpec(in: try parse(Self.world()).points[0])
        #expect(spec.timing == .at(.seconds(300.0)) && spec.hostsOff == .some(2) && !spec.stopsBGP && spec.blocksWAN)
        // Uniform: from defaults to two protection intervals, to to the duration.
        let p = try parse(Self.world("disaster: { at: uniform }")).points[0]
        #expect(try #require(p.section(DisasterSection.self)).disasterSpec(in: p).timing
                == .uniform(from: .seconds(120.0), to: .seconds(600.0)))
        #expect(error(Self.world("disaster: { at: soon }")) == "w.yaml:15: disaster.at: expected a duration (e.g. 25min) or 'uniform'")
        #expect(error(Self.world("disaster: { at: 5min, from: 1min }")) == "w.yaml:15: disaster.from: from is only for 'at: uniform'")
        #expect(error(Self.world("disaster: { at: 20min }"))?.contains("after the end of the run") == true)
        #expect(error(Self.world("disaster: { at: uniform, from: 11min }"))?.contains("the uniform window is empty") == true)
    }

    @Test func detectorSitesAndFaultsResolveByName() throws {
        let p = try parse(Self.world("detector: { ping_retries: 3, transport: fixed, faults: [{ at: 1min, type: wan-blocked, between: [umea, lulea] }] }"))
            .points[0]
        let d = try #require(p.section(DetectorSection.self))
        #expect(d.config.pingRetries == 3 && !d.overNetwork)
        #expect(try d.scheduled(p.sites) == [ScheduledDetectorFaultCheck.wanCut])
        #expect(error(Self.world("detector: { faults: [{ at: 1min, type: site-down, site: stockholm }] }"))?
                    .contains("detector.faults[0]: unknown site 'stockholm'") == true)
        #expect(error(Self.world("detector: { witness: { site: w } }"))?.contains("detector.witness.site: 'w' is not sites.witness") == true)
        #expect(error(Self.world("detector: { ping_retries: 0 }"))?.contains("detector.ping_retries") == true)
    }

    /// Issue 19's keys: serial backups, sha256, zero-fill, cold/live snapshots, Heat and Swift.
    @Test func openStackKeysDecodeWithKiloDefaults() throws {
        let d = try parse(Self.world("recovery: {}")).points[0]
        let c = try #require(d.section(ProtectionSection.self)).cloud
        #expect(c.pipelineDepth == 0 && c.sha256BytesPerSecond == 172e6 && c.cloneZeroFill && c.vmSnapshotMode == .cold)
        #expect(c.compression.cpuBytesPerSecond == 34e6 && c.compression.zeroBytesPerSecond == 255e6)
        #expect(d.sites.backup.swiftReplicas == 3 && d.sites.backup.swiftProxyBytesPerSecond == 125e6)
        let r = try #require(d.section(RecoverySection.self)).timings
        #expect(r.stackTimeout == .minutes(15) && r.restoreInStack && r.heatPoll == .seconds(1 as Int64) && r.backupImport == .seconds(1 as Int64))
        let o = try parse(Self.world("recovery: { stack_timeout: 2min, restore_in_stack: false, heat_poll: 0s, stack: { volume: 4s } }"),
                          overrides: ["protection.pipeline_depth=2", "protection.sha256={enabled: false}",
                                      "protection.clone_zero_fill=false", "protection.vm_snapshot={mode: live, memory: 4GiB, glance_rate: 800mbit}",
                                      "protection.compression={zero_cpu_rate: 800mbit}", "sites.backup.swift_replicas=2",
                                      "sites.backup.swift_proxy_rate=10gbit"]).points[0]
        let oc = try #require(o.section(ProtectionSection.self)).cloud
        #expect(oc.pipelineDepth == 2 && oc.sha256BytesPerSecond == nil && !oc.cloneZeroFill && oc.vmSnapshotMode == .live)
        #expect(oc.vmSnapshotMemory == 4 * 1_073_741_824 && oc.glanceBytesPerSecond == 100e6 && oc.compression.zeroBytesPerSecond == 100e6)
        #expect(o.sites.backup.swiftReplicas == 2 && o.sites.backup.swiftProxyBytesPerSecond == 1.25e9)
        let ort = try #require(o.section(RecoverySection.self)).timings
        #expect(ort.stackTimeout == .minutes(2) && !ort.restoreInStack && ort.heatPoll == .zero && ort.stack.volume == .seconds(4 as Int64))
        let img = try parse(Self.world(), overrides: ["workload.vms[0].image_data=200MB"]).points[0]
        #expect(try #require(img.section(WorkloadSection.self)).specs(policy: nil)[0].snapshotBytes == 200_000_000)
        #expect(error(Self.world(), overrides: ["workload.vms[0].image_data=10MB"])?.contains("workload.vms[0].image_data") == true)
        #expect(error(Self.world(), overrides: ["protection.vm_snapshot={mode: warm}"])?.contains("protection.vm_snapshot.mode") == true)
        #expect(error(Self.world(), overrides: ["sites.backup.swift_replicas=0"])?.contains("sites.backup.swift_replicas") == true)
        #expect(error(Self.world(), overrides: ["protection.pipeline_depth=-1"])?.contains("protection.pipeline_depth") == true)
        #expect(error(Self.world("recovery: { heat_poll: -1s }"))?.contains("recovery.heat_poll") == true)
    }

    @Test func recoveryTimings() throws {
        let r = try #require(try parse(Self.world("recovery: { drbd_manage: 5s, volume_restore: { rate: 400mbit } }")).points[0]
            .section(RecoverySection.self))
        #expect(r.timings.drbdManage == .seconds(5 as Int64) && r.timings.volumeRestoreRate == 50e6)
        #expect(r.timings.imageImportRate == 40e6)
    }
}

import DRLDetector
/// The expected fault of `detectorSitesAndFaultsResolveByName`.
enum ScheduledDetectorFaultCheck {
    static let wanCut = ScheduledDetectorFault(at: .seconds(60.0), .wanBlocked(0, 1, blocked: true))
}
