import Testing
import DRLSimCore
import DRLTestSupport
@testable import DRLCloud

/// DRBD's own rules as small scenarios with answers derived by hand from the cited sources
/// (Docs/drbd-model.md). Unless said otherwise: a 100 Mbit/s pipe (12.5 MB/s), 2 ms one way.
@Suite struct DRBDConformanceTests {
    /// An initial full sync of `size` with a fixed resync rate; an optional writer of 64 KiB
    /// writes at `writerRate` B/s. Returns (device, time the peer became UpToDate or nil).
    func fixedRateSync(size: Int64, rate: Double, minRate: Double, writerRate: Double?, until: Double,
                       version: DRBDVersion = .v9) -> (DRBDDevice, Double?) {
        let w = TestWorld(.pipe, mbit: 100, oneWayMs: 2)
        var cfg = DRBDConfig()
        cfg.version = version
        cfg.initialFullSync = true
        cfg.resync = .fixed(bytesPerSecond: rate)
        cfg.cMinRate = minRate
        let (vm, v, d) = w.vmWithVolume(size: size, type: .drbd, drbd: cfg)
        if let writerRate {
            let gen = ConstantRateGenerator(bytesPerSecond: writerRate, writeSize: 64 * ByteUnits.KiB, placement: .sequential,
                                            capacity: v.size, stream: w.ctx.stream("workload.vm1"))
            WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: d!, vm: vm).start()
        }
        var done: Double? = nil
        w.sample(every: .milliseconds(10), until: .seconds(until)) {
            if done == nil, d!.peerDiskState == .upToDate { done = w.sim.now.seconds }
            #expect(d!.conservationHolds && d!.replicationConservationHolds)
        }
        return (d!, done)
    }

    /// c-min-rate (drbd_receiver.c `drbd_rs_c_min_rate_throttle`, called by the target's
    /// `make_resync_request` before each request; drbd.conf(5) c-min-rate, default 250 KiB/s).
    ///
    /// Derivation. A 16 MiB initial sync at a fixed 4 MiB/s: each 100 ms step asks for
    /// 419430 B, which the model rounds up to 103 whole 4 KiB blocks = 421888 B, so
    /// 16777216 / 421888 = 39.8 -> 40 steps at t = 0 ... 3.9 s; the last arrives 2 ms +
    /// serialisation (34 ms for 421888 B) later: done in [3.9, 4.0] s.
    /// - No application I/O: the throttle's busy test (> 64 sectors of non-resync disk I/O
    ///   since the last check) never holds: done in [3.9, 4.0] s, whatever c-min-rate is.
    /// - c-min-rate 0: feature disabled: [3.9, 4.0] s even with a writer.
    /// - c-min-rate 250 KiB/s and a 1.31 MB/s writer (two 64 KiB writes per step, so the peer's
    ///   disk is always busy): a step requests only while the progress since the second
    ///   newest mark, over whole seconds dt, is <= 250 KiB x dt. The marks are 3 s apart, so
    ///   the window's real length e is in [3, 6) s (at the start [0, 3) with dt >= 1), and
    ///   progress <= 250 KiB x floor(e) + one step (421888 B): the long-run rate is at most
    ///   256000 + 421888 / 3 = 396629 B/s, at least 256000 x 2/3 = 170667 B/s (floor loses
    ///   < 1 s of >= 3). 16 MiB then takes between 16777216 / 396629 = 42.3 s and
    ///   16777216 / 170667 = 98.3 s, against 4 s unthrottled: the peer is Inconsistent at 30 s.
    @Test func cMinRateHoldsResyncWhileTheApplicationWrites() {
        let size = 16 * ByteUnits.MiB, rate = 4.0 * 1_048_576
        let (idle, idleDone) = fixedRateSync(size: size, rate: rate, minRate: 250 * 1024, writerRate: nil, until: 10)
        #expect(idleDone != nil && idleDone! >= 3.9 && idleDone! <= 4.0, "idle: \(String(describing: idleDone))")
        #expect(idle.throttledSteps == 0)
        let (off, offDone) = fixedRateSync(size: size, rate: rate, minRate: 0, writerRate: 1_310_720, until: 10)
        #expect(offDone != nil && offDone! >= 3.9 && offDone! <= 4.0, "off: \(String(describing: offDone))")
        #expect(off.throttledSteps == 0)
        let (busy, busyDone) = fixedRateSync(size: size, rate: rate, minRate: 250 * 1024, writerRate: 1_310_720, until: 120)
        print("[measure] c-min-rate 250 KiB/s, 16 MiB initial sync at 4 MiB/s with a 1.31 MB/s writer: in sync at \(String(describing: busyDone)) s (\(busy.throttledSteps) throttled steps; idle \(idleDone!) s, off \(offDone!) s)")
        #expect(busyDone != nil)
        if let t = busyDone {
            #expect(t >= 42.3 && t <= 98.3, "busy: \(t)")
            // the peer was Inconsistent at 30 s (t > 30), far beyond the 4 s unthrottled
            #expect(t > 30)
        }
        #expect(busy.throttledSteps > 0)
    }
}

extension DRBDConformanceTests {
    /// Protocol A/B mirrored writes leave bitmap bits set during SyncSource; only protocol C's
    /// P_RS_WRITE_ACK marks the block in sync (drbd_receiver.c `e_end_block`, drbd_req.c
    /// RQ_NET_SIS in `drbd_req_destroy`).
    ///
    /// Derivation. A 4 MiB initial sync at a fixed 400 KiB/s (c-min-rate off, so that the
    /// mirrored write does not also throttle the resync): 40960 B = 10 blocks per 100 ms step,
    /// from offset 0 upwards; at 90 ms one step has gone. At 50 ms one 1 MiB write lands at
    /// 2 MiB (not yet resynced): 4 MiB - 40960 B (A, B) or 3 MiB - 40960 B (C) left dirty.
    /// - A and B: the write's 256 bits stay set, the resync sends all 1024 blocks: 4 MiB of
    ///   resync, 1024 / 10 = 102.4 -> 103 steps at 0 ... 10.2 s: UpToDate in [10.2, 10.3] s.
    /// - C: the write clears 256 bits, the resync sends 768 blocks = 3 MiB: 77 steps at
    ///   0 ... 7.6 s: UpToDate in [7.6, 7.7] s.
    @Test(arguments: [DRBDProtocol.A, .B, .C]) func onlyProtocolCMirroredWritesClearBits(_ proto: DRBDProtocol) {
        let w = TestWorld(.pipe, mbit: 100, oneWayMs: 2)
        var cfg = DRBDConfig()
        cfg.protocolKind = proto
        cfg.initialFullSync = true
        cfg.resync = .fixed(bytesPerSecond: 400 * 1024)
        cfg.cMinRate = 0
        let (_, _, d) = w.vmWithVolume(size: 4 * ByteUnits.MiB, type: .drbd, drbd: cfg)
        let dev = d!
        w.sim.schedule(at: .seconds(0.05)) { _ in
            dev.submit(BlockWrite(offset: 2 * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in }
        }
        w.sim.run(until: .seconds(0.09))
        #expect(dev.outOfSyncBytes == (proto == .C ? 3 * ByteUnits.MiB - 40960 : 4 * ByteUnits.MiB - 40960))
        var done: Double? = nil
        w.sample(every: .milliseconds(10), until: .seconds(15.0)) {
            if done == nil, dev.peerDiskState == .upToDate { done = w.sim.now.seconds }
            #expect(dev.replicationConservationHolds)
        }
        print("[measure] protocol \(proto): mirrored 1 MiB during SyncSource, resync sent \(dev.resyncSentBytes) B, UpToDate at \(String(describing: done)) s")
        #expect(dev.resyncSentBytes == (proto == .C ? 3 : 4) * ByteUnits.MiB)
        let (lo, hi) = proto == .C ? (7.6, 7.7) : (10.2, 10.3)
        #expect(done != nil && done! >= lo && done! <= hi, "done \(String(describing: done))")
    }
}
