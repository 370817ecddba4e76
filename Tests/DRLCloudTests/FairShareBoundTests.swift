import Foundation
import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLCloud

/// Why the paper's Fig. 8 statement "in the 50 Mbps scenario the replication based policies
/// require half the time compared to the snapshot based ones" (§7.2) cannot hold together with
/// the overlapping snapshot actions of Figs. 9-10 (§7.2) when TCP shares the WAN fairly.
///
/// The replication policy's protection time is the image copy of the VM's base image I = 190 MB
/// (volume replication's protect only records metadata). DRBD (protocol A, on-congestion block)
/// keeps the same C = 50 Mbit/s WAN busy, but fair TCP sharing still gives the image copy about
/// half the link, so the copy takes between I/C ≈ 30.4 s and about 2.5 I/C ≈ 76 s. If the
/// snapshot actions overlap at the 5 min interval, each lasts more than 300 s, so
///
///     snapshot / replication >= 300 s / (2.5 I/C) ≈ 3.9 > 3,
///
/// outside the 1.5-3 band that "half the time" allows. This suite pins down both halves of the
/// bound on the real transport; it is why Results/paper/claims.md marks the "half the time"
/// statement as not holding.
@Suite struct FairShareBoundTests {
    /// WAN rate (bit/s).
    static let rate = 50e6
    /// The base image's size (bytes).
    static let image: Int64 = 190_000_000
    /// I/C: the image copy alone on the link, without header overhead (s).
    static var imageAlone: Double { Double(image) * 8 / rate }
    /// The paper's protection interval (s).
    static let interval = 300.0

    /// A 190 MB image copy started while DRBD (protocol A, block) is backlogged by a writer
    /// offering 20 MB/s (> 6.25 MB/s = C): it finishes within [I/C, 2.5 I/C], and DRBD keeps a
    /// nonzero share meanwhile.
    @Test func imageCopyGetsAFairShareUnderDRBDBacklog() {
        let w = TestWorld(.wan, mbit: 50, oneWayMs: 2, seed: 5)
        let (vm, v, d) = w.vmWithVolume(size: ByteUnits.GiB, type: .drbd, drbd: DRBDConfig(),
                                        image: GlanceImage(name: "cirros", size: Self.image))
        let dev = try! #require(d)
        #expect(dev.config.protocolKind == .A && dev.config.onCongestion == .block)
        let gen = ConstantRateGenerator(bytesPerSecond: 20e6, writeSize: ByteUnits.MiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        let run = WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: dev, vm: vm)
        run.start()

        // DRBD saturated before the copy: the writer is throttled to the replication goodput
        w.sim.run(until: .seconds(30.0))
        let app30 = run.completedBytes
        w.sim.run(until: .seconds(60.0))
        let appRate = Double(run.completedBytes - app30) / 30
        #expect(appRate < 0.5 * 20e6, "writer not throttled: \(appRate) B/s")
        #expect(appRate > 0.8 * Self.rate / 8, "DRBD not using the link: \(appRate) B/s")
        #expect(dev.state == .established)

        let drbdAtStart = dev.statistics.deliveredAppBytes
        var drbdAtEnd: Int64?
        var rec: ProtectionRecord?
        let e = w.service.beginExecution(policy: "p")
        w.service.protect(resource: vm.name, action: .imageCopy, execution: e) { r in
            rec = r
            drbdAtEnd = dev.statistics.deliveredAppBytes
        }
        w.sim.run(until: .seconds(60.0 + 4 * Self.imageAlone))
        run.stop()

        let r = try! #require(rec)
        let d0 = r.duration.seconds
        let drbdShare = Double(try! #require(drbdAtEnd) - drbdAtStart) / d0
        let imageShare = Double(r.bytes) / d0
        print("[fair-share 50mbit] image copy \(String(format: "%.2f", d0)) s = \(String(format: "%.2f", d0 / Self.imageAlone)) x I/C (\(String(format: "%.1f", Self.imageAlone)) s); image \(String(format: "%.2f", imageShare / 1e6)) MB/s, DRBD \(String(format: "%.2f", drbdShare / 1e6)) MB/s during the copy; writer before \(String(format: "%.2f", appRate / 1e6)) MB/s")
        #expect(r.status == .completed)
        #expect(r.bytes == Self.image)
        #expect(d0 >= Self.imageAlone - 1e-6)
        #expect(d0 <= 2.5 * Self.imageAlone)
        // DRBD was not starved while the copy ran, and the two together did not exceed the link
        #expect(drbdShare > 0.05 * Self.rate / 8)
        #expect(drbdShare + imageShare <= 1.001 * Self.rate / 8)
        let violations = w.service.conservationViolations() + w.wan!.conservationViolations()
        #expect(violations.isEmpty, "\(violations)")
    }

    /// A fully written 2 GiB iSCSI volume's snapshot at 50 Mbit/s outlasts the 5 min interval,
    /// so consecutive actions overlap (Figs. 9-10), and is no faster than its bytes at C.
    @Test func twoGiBVolumeSnapshotOutlastsTheIntervalAt50Mbit() {
        let w = TestWorld(.wan, mbit: 50, oneWayMs: 2, seed: 5)
        let size = 2 * ByteUnits.GiB
        let (_, v, _) = w.vmWithVolume(size: size, type: .iscsi)
        // write every block once (compression then gains nothing: dataRatio 1)
        for i in 0..<(size / ByteUnits.MiB) {
            v.device.submit(BlockWrite(offset: i * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in }
        }
        w.sim.run(until: .seconds(20.0))
        #expect(v.allocated.setBytes == size)

        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: v.name, action: .volumeSnapshot, execution: e) { rec = $0 }
        w.sim.run(until: .seconds(20.0 + 2 * Self.interval))

        let r = try! #require(rec)
        let transfer = Double(r.bytes) * 8 / Self.rate
        print("[fair-share 50mbit] 2 GiB volume snapshot \(String(format: "%.1f", r.duration.seconds)) s (\(r.bytes) B; transfer alone \(String(format: "%.1f", transfer)) s); ratio to 2.5 I/C \(String(format: "%.2f", r.duration.seconds / (2.5 * Self.imageAlone)))")
        #expect(r.status == .completed)
        #expect(r.bytes == size)
        #expect(r.duration.seconds >= transfer)
        #expect(r.duration.seconds > Self.interval)
        // hence the bound of the suite's comment
        #expect(Self.interval / (2.5 * Self.imageAlone) > 3)
        let violations = w.service.conservationViolations() + w.wan!.conservationViolations()
        #expect(violations.isEmpty, "\(violations)")
    }
}
