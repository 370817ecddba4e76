import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLCloud

/// The paper's two policies (§7.2) side by side on the real transport, shortened: the
/// transcoder writes to a 1 GiB volume; every 5 min the replication policy runs image copy +
/// volume replication, the snapshot policy VM snapshot + volume snapshot.
@Suite struct PaperShapeTests {
    struct Outcome {
        var meanByAction: [(ProtectionActionName, Double)] = []
        var statuses: [ProtectionStatus] = []
        var appBytes: Int64 = 0
        var wanBytes: Int64 = 0
        var events = 0
        var violations: [String] = []
        var rpo: [RecoveryPointRecord] = []
        var makespan = 0.0
    }

    func run(replication: Bool, mbit: Double, minutes: Double) -> Outcome {
        let w = TestWorld(.wan, mbit: mbit, oneWayMs: 2, seed: 11, repositoryMbit: 20)
        let type: VolumeType = replication ? .drbd : .iscsi
        let (vm, v, d) = w.vmWithVolume(size: ByteUnits.GiB, type: type, drbd: replication ? DRBDConfig() : nil)
        var cfg = VideoTranscoderConfig()
        cfg.videos = 50
        let wl = try! WorkloadConfig.videoTranscoder(cfg).makeWorkload(
            WorkloadEnvironment(context: w.ctx, vm: vm, device: v.device, network: w.net, site: w.primary.name))
        wl.start(at: nil)
        let vmAction: ProtectionActionName = replication ? .imageCopy : .vmSnapshot
        let volAction: ProtectionActionName = replication ? .volumeReplication : .volumeSnapshot
        let driver = PeriodicDriver(w, resources: [(vm.name, vmAction), (v.name, volAction)], interval: .minutes(5))
        driver.start(at: .seconds(60.0))
        w.sim.run(until: .seconds(minutes * 60))
        var o = Outcome()
        o.rpo = w.service.emitRecoveryPoints()
        o.violations = w.service.conservationViolations() + w.wan!.conservationViolations()
        for a in [vmAction, volAction] {
            let ds = w.service.records.filter { $0.action == a }.map { $0.duration.seconds }
            o.meanByAction.append((a, ds.isEmpty ? .nan : Statistics.mean(ds)))
        }
        o.statuses = w.service.records.map(\.status)
        o.makespan = Statistics.mean(driver.readyTimes.map { ($0.ready - $0.start).seconds })
        o.appBytes = wl.completedBytes
        o.wanBytes = w.wan!.flows.filter { $0.from == 0 && $0.to == 1 }.reduce(0) { $0 + $1.deliveredBytes }
        o.events = w.sim.eventsExecuted
        _ = d
        return o
    }

    @Test func replicationBeatsSnapshotsAt50Mbit() {
        let rep = run(replication: true, mbit: 50, minutes: 6.5)
        let snap = run(replication: false, mbit: 50, minutes: 6.5)
        for (name, o) in [("replication", rep), ("snapshot", snap)] {
            print("[paper-shape 50mbit] \(name): mean durations \(o.meanByAction.map { "\($0.0.rawValue)=\(String(format: "%.1f", $0.1))s" }) makespan \(String(format: "%.1f", o.makespan))s statuses \(o.statuses.map(\.rawValue)) app \(o.appBytes / 1_000_000) MB wan \(o.wanBytes / 1_000_000) MB events \(o.events) rpo \(o.rpo.map { "\($0.resource):\(String(format: "%.1f", $0.rpo.seconds))s/\($0.lostBytes / 1_000_000)MB" })")
            #expect(o.violations.isEmpty, "\(o.violations)")
        }
        // Fig 8: the replication policy's executions finish sooner; volume replication's protect is negligible
        #expect(rep.makespan < snap.makespan)
        #expect(rep.meanByAction[1].1 < 1)
        #expect(snap.meanByAction[1].1 > 60)
        // replication keeps the volume's RPO small (protocol A, block: the app is throttled instead)
        #expect(rep.rpo[1].rpo.seconds < 2)
        #expect(snap.rpo[1].rpo.seconds > 60)
        // the volume snapshot's transfer is longer than in the replication policy's whole action
        #expect(snap.meanByAction[1].1 > rep.meanByAction[0].1 + rep.meanByAction[1].1)
    }
}
