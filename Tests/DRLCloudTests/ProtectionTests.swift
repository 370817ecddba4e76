import Testing
import DRLSimCore
import DRLTestSupport
@testable import DRLCloud

/// A minimal stand-in for the orchestrator: every `interval`, one execution protecting
/// `resources`; the container is finished (metadata, ready) once all actions completed.
final class PeriodicDriver {
    let w: TestWorld
    let resources: [(String, ProtectionActionName)]
    let interval: SimDuration
    var readyTimes: [(execution: Int, start: SimInstant, ready: SimInstant)] = []
    var stopped = false

    init(_ w: TestWorld, resources: [(String, ProtectionActionName)], interval: SimDuration) {
        self.w = w; self.resources = resources; self.interval = interval
    }

    func start(at t: SimInstant = .zero) {
        w.sim.schedule(at: t) { [self] _ in self.tick() }
    }

    func tick() {
        guard !stopped else { return }
        let e = w.service.beginExecution(policy: "p")
        let start = w.sim.now
        var left = resources.count
        for (r, a) in resources {
            w.service.protect(resource: r, action: a, execution: e) { [self] rec in
                guard rec.status != .aborted else { return }
                left -= 1
                if left == 0 {
                    self.w.service.finishExecution(e) { _ in self.readyTimes.append((e, start, self.w.sim.now)) }
                }
            }
        }
        w.sim.schedule(after: interval) { [self] _ in self.tick() }
    }
}

@Suite struct ProtectionTests {
    /// The pipelined option (pipeline_depth 1, no sha256, no LVM zero-fill): the model before
    /// issue 19, kept as an option; `serialBackupIsTheSumOfItsChunkSteps` checks the Kilo default.
    @Test(arguments: Transport.allCases) func volumeSnapshotOf5GiBOver100Mbit(_ t: Transport) {
        var pc = ProtectionConfig()
        pc.compression = .off
        pc.pipelineDepth = 1
        pc.sha256BytesPerSecond = nil
        pc.cloneZeroFill = false
        let w = TestWorld(t, mbit: 100, oneWayMs: 2, protection: pc)
        let (_, v, _) = w.vmWithVolume(size: 5 * ByteUnits.GiB, type: .iscsi)
        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: v.name, action: .volumeSnapshot, execution: e) { rec = $0 }
        w.sim.run(until: .seconds(700.0))
        let r = try! #require(rec)
        let clone = Double(5 * ByteUnits.GiB) / 75e6
        let wire = Double(5 * ByteUnits.GiB) * 8 / 1e8
        print("[measure] \(t) 5 GiB volume snapshot, 100 Mbit, no compression: \(r.duration.seconds) s (wire \(wire) + clone \(clone))")
        #expect(wire > 429.49 && wire < 429.5)
        #expect(r.status == .completed)
        #expect(r.bytes == 5 * ByteUnits.GiB)
        #expect(r.duration.seconds >= wire + clone)
        if t == .pipe {
            // clone + first chunk read + transfer + delete of the clone
            let expected = clone + Double(ByteUnits.swiftChunk) / 150e6 + wire + 1
            #expect(Approx.equal(r.duration.seconds, expected, relative: 0.005))
        } else {
            #expect(r.duration.seconds < (wire / 0.9) + clone + 2)
        }
        let c = w.vault.container(execution: e)!
        #expect(c.objects.count == 103) // ceil(5 GiB / 50 MiB) = 102.4
        #expect(c.storedBytes == 5 * ByteUnits.GiB)
        #expect(c.state == .processing) // not ready until the metadata is written
        #expect(w.service.recoveryPoint(for: v.name)?.recoveryPoint == nil)
    }

    @Test func compressionShrinksZerosAndCostsCPU() {
        let w = TestWorld(.pipe, mbit: 100)
        let (vm, v, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        _ = vm
        // write 100 MiB of data at the start of the volume
        for i in 0..<100 { v.device.submit(BlockWrite(offset: Int64(i) * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in } }
        w.sim.run(until: .seconds(2.0))
        let plan = w.service.backupPlan(size: v.size, allocated: v.allocated)
        let data = Double(100 * ByteUnits.MiB), zeros = Double(ByteUnits.GiB) - data
        let expectedBytes = data * 1.0 + zeros * 0.001
        let total = Double(plan.reduce(0) { $0 + $1.objectBytes })
        #expect(Approx.equal(total, expectedBytes, relative: 0.01))
        // issue 19: cinder reads, sha256-hashes and zlib-compresses every byte, zeros included
        // (the old model charged CPU for written data only, at 50 MB/s, and no hash)
        let t = plan.reduce(SimDuration.zero) { $0 + $1.produce }.seconds
        let gib = Double(ByteUnits.GiB)
        #expect(Approx.equal(t, gib / 150e6 + gib / 172e6 + data / 34e6 + zeros / 255e6, relative: 0.001))
    }

    @Test func periodicSnapshotRPOBetweenDAndTPlusD() {
        var pc = ProtectionConfig()
        pc.compression = .off
        let w = TestWorld(.pipe, mbit: 100, protection: pc)
        let (vm, v, _) = w.vmWithVolume(size: 128 * ByteUnits.MiB, type: .iscsi)
        let gen = ConstantRateGenerator(bytesPerSecond: 1e6, writeSize: 256 * ByteUnits.KiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: v.device, vm: vm).start()
        let T = 60.0
        let driver = PeriodicDriver(w, resources: [(v.name, .volumeSnapshot)], interval: .seconds(T))
        driver.start()
        // disasters uniform over [2T, 8T]: evaluate the recovery point at each (non-destructively)
        let rng = w.ctx.stream("test.disasters")
        let instants = (0..<300).map { _ in 2 * T + rng.uniform() * 6 * T }.sorted()
        var rpos: [Double] = []
        for x in instants {
            w.sim.run(until: .seconds(x))
            let r = w.service.recoveryPoint(for: v.name)!
            rpos.append(r.rpo.seconds)
            // lost bytes are the bytes written since the captured instant
            #expect(Approx.equal(Double(r.lostBytes), (x - r.recoveryPoint!.seconds) * 1e6, relative: 0.05))
        }
        let ds = driver.readyTimes.map { ($0.ready - $0.start).seconds }
        let dMin = ds.min()!, dMax = ds.max()!
        print("[measure] periodic volume snapshot T=60 s: D in [\(dMin), \(dMax)] s, RPO in [\(rpos.min()!), \(rpos.max()!)] s, mean \(Statistics.mean(rpos)) s")
        #expect(dMax < T)
        // D = clone (128 MiB / 75 MB/s) + 128 MiB at 12.5 MB/s + delete + metadata
        #expect(dMin > 1.79 + 10.7)
        #expect(rpos.allSatisfy { $0 >= dMin - 1e-6 && $0 <= T + dMax + 1e-6 })
        // uniform disaster: mean RPO = T/2 + D
        #expect(Approx.equal(Statistics.mean(rpos), T / 2 + dMin, relative: 0.1))
        #expect(w.service.records.allSatisfy { $0.status == .completed })
    }

    @Test func overlappingSnapshotsAreReported() {
        var pc = ProtectionConfig()
        pc.compression = .off
        let w = TestWorld(.pipe, mbit: 100, protection: pc)
        let (_, v, _) = w.vmWithVolume(size: 256 * ByteUnits.MiB, type: .iscsi)
        // D ~ 3.6 + 21.5 s > T = 15 s
        let driver = PeriodicDriver(w, resources: [(v.name, .volumeSnapshot)], interval: .seconds(15 as Int64))
        driver.start()
        w.sim.run(until: .seconds(120.0))
        let recs = w.service.records
        #expect(recs.contains { $0.status == .overlapped })
        #expect(recs.filter { $0.status == .overlapped }.allSatisfy { $0.duration.seconds > 15 })
        // every finished action's bytes equal the objects it stored
        let stored = w.vault.containers.reduce(Int64(0)) { acc, c in
            acc + c.objects.filter { $0.name.hasPrefix(v.name) }.reduce(0) { $0 + $1.bytes } }
        #expect(stored >= recs.reduce(0) { $0 + $1.bytes })
        let rows = w.ctx.recorder.rows["protection"]!
        #expect(rows.count == recs.count)
        #expect(rows.contains { $0.last == .text("overlapped") })
    }

    /// Dragon downloads the image whole from Glance (125 MB/s) before PUTting it (issue 19).
    @Test(arguments: [ImageCopyResend.everyAction, .once]) func imageCopyResendPolicy(_ policy: ImageCopyResend) {
        var pc = ProtectionConfig()
        pc.imageCopyResend = policy
        let w = TestWorld(.pipe, mbit: 100, protection: pc)
        let (vm, _, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        let driver = PeriodicDriver(w, resources: [(vm.name, .imageCopy)], interval: .seconds(60 as Int64))
        driver.start()
        w.sim.run(until: .seconds(170.0))
        let recs = w.service.records
        #expect(recs.count == 3)
        #expect(recs[0].bytes == 190_000_000)
        #expect(Approx.equal(recs[0].duration.seconds, 190e6 / 125e6 + 190e6 * 8 / 1e8, relative: 0.01))
        if policy == .everyAction {
            #expect(recs.allSatisfy { $0.bytes == 190_000_000 })
        } else {
            #expect(recs[1].bytes == 0 && recs[2].bytes == 0)
            #expect(recs[1].duration == .zero)
        }
        #expect(w.vault.globalImages.count == 1)
        #expect(w.vault.globalImages[0].bytes == 190_000_000)
    }

    /// The live option (issue 19: now with qemu-img convert and the Glance round trip).
    @Test func vmSnapshotSlowsTheVMAndUploadsTheImage() {
        var pc = ProtectionConfig()
        pc.vmSnapshotMode = .live
        let w = TestWorld(.pipe, mbit: 100, protection: pc)
        let (vm, v, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        // 10 MiB written to the ephemeral disk: the snapshot is the image + 10 MiB
        for i in 0..<10 { vm.ephemeral.device.submit(BlockWrite(offset: Int64(i) * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in } }
        let gen = ConstantRateGenerator(bytesPerSecond: 10e6, writeSize: ByteUnits.MiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        let run = WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: v.device, vm: vm)
        run.start()
        w.sim.run(until: .seconds(10.0))
        let before = run.issuedBytes
        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: vm.name, action: .vmSnapshot, execution: e) { rec = $0 }
        // creation reads 200 MB at 500 MB/s: 0.4 s at half speed
        w.sim.run(until: .seconds(10.4))
        #expect(vm.speed == 0.5)
        w.sim.run(until: .seconds(60.0))
        #expect(vm.speed == 1)
        let r = try! #require(rec)
        let size = 190_000_000 + 10 * ByteUnits.MiB
        #expect(r.bytes == size)
        #expect(r.status == .completed)
        // copied (size / 500 MB/s) and converted (size / 500 + size / 400 MB/s) in 1.3 s, uploaded
        // to Glance (size / 125 MB/s = 1.6 s): active at 2.9 s, seen at the 3 s poll; downloaded
        // from Glance (1.6 s), PUT at 100 Mbit/s, local copy deleted (1 s)
        let sz = Double(size)
        #expect(sz / 500e6 * 2 + sz / 400e6 + sz / 125e6 < 3 && sz / 500e6 * 2 + sz / 400e6 + sz / 125e6 > 2)
        #expect(Approx.equal(r.duration.seconds, 3 + sz / 125e6 + sz * 8 / 1e8 + 1, relative: 0.01))
        #expect(run.issuedBytes - before < 50 * 10_000_000) // slowed for a while, never faster
        let c = w.vault.container(execution: e)!
        #expect(c.objects.count == 4) // 200.5 MB in 50 MiB objects
    }

    @Test func vmSnapshotPauseStopsTheWorkload() {
        var pc = ProtectionConfig()
        pc.vmSnapshotMode = .live
        pc.vmSnapshotPause = true
        let w = TestWorld(.pipe, mbit: 100, protection: pc)
        let (vm, v, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        let gen = ConstantRateGenerator(bytesPerSecond: 10e6, writeSize: ByteUnits.MiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        let run = WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: v.device, vm: vm)
        run.start()
        w.sim.run(until: .seconds(5.0))
        let e = w.service.beginExecution(policy: "p")
        w.service.protect(resource: vm.name, action: .vmSnapshot, execution: e)
        w.sim.run(until: .seconds(5.1))
        let a = run.issuedBytes
        w.sim.run(until: .seconds(5.35)) // copy + convert take 1.3 s
        #expect(vm.isPaused)
        #expect(run.issuedBytes - a <= ByteUnits.MiB)
        w.sim.run(until: .seconds(8.5)) // resumed at 6.3 s (issue 19: the convert follows the copy)
        #expect(!vm.isPaused)
        #expect(run.issuedBytes > a + 10 * ByteUnits.MiB)
    }

    @Test func readyContainerIsTheOnlyRecoveryPointAndDisasterAborts() {
        let w = TestWorld(.pipe, mbit: 100)
        let (vm, v, _) = w.vmWithVolume(size: 64 * ByteUnits.MiB, type: .iscsi)
        let gen = ConstantRateGenerator(bytesPerSecond: 1e6, writeSize: 64 * ByteUnits.KiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: v.device, vm: vm).start()
        let driver = PeriodicDriver(w, resources: [(v.name, .volumeSnapshot), (vm.name, .imageCopy)],
                                    interval: .seconds(60 as Int64))
        driver.start()
        w.sim.run(until: .seconds(20.0))
        // first execution ready at ~ clone 0.9 + 64 MiB/12.5 + ... or image 15.2 s
        let first = try! #require(driver.readyTimes.first)
        // every ready container: all its objects arrived before it became ready
        for c in w.vault.containers where c.state == .ready {
            #expect(c.objects.allSatisfy { $0.storedAt <= c.readyAt! })
            #expect(c.items.allSatisfy { $0.capturedAt <= c.readyAt! })
        }
        // disaster at 70 s: the second execution is in flight
        w.sim.run(until: .seconds(70.0))
        let rows = w.service.emitRecoveryPoints()
        w.service.abortAll()
        w.pipe!.cut()
        driver.stopped = true
        #expect(rows.count == 2)
        let vol = rows.first { $0.resource == v.name }!
        #expect(vol.recoveryPoint == .zero) // the first execution captured the volume at t = 0
        #expect(vol.rpo.seconds == 70)
        #expect(Approx.equal(Double(vol.lostBytes), 70e6, relative: 0.01))
        #expect(first.ready.seconds < 20)
        let aborted = w.service.records.filter { $0.status == .aborted }
        #expect(aborted.count == 2)
        #expect(aborted.allSatisfy { $0.end.seconds == 70 && $0.execution == 1 })
        #expect(w.ctx.recorder.rows["rpo"]!.count == 2)
        // The contract's six columns, then the VM and the RPO its recovery depends on (issue 13).
        #expect(w.ctx.recorder.columns["rpo"] == ["resource", "action", "disaster_s", "recovery_point_s", "rpo_s", "lost_bytes",
                                                   "kind", "vm", "vm_rpo_s"])
        // vm1's RPO is its volume's (the VM row's image is not data loss).
        let rpoRows = w.ctx.recorder.rows["rpo"]!
        #expect(rpoRows.map { $0[6] } == [.text("volume"), .text("vm")])
        #expect(rpoRows.allSatisfy { $0[7] == .text("vm1") && $0[8] == rpoRows.first { $0[1] == .text("volume-snapshot") }![4] })
        // nothing completes after the disaster
        w.sim.run(until: .seconds(200.0))
        #expect(w.vault.containers.filter { $0.state == .ready }.count == 1)
    }

    @Test(arguments: Transport.allCases) func volumeReplicationRecoveryPoint(_ t: Transport) {
        let w = TestWorld(t, mbit: 100)
        let (vm, v, d) = w.vmWithVolume(size: ByteUnits.GiB, type: .drbd, drbd: DRBDConfig())
        let gen = ConstantRateGenerator(bytesPerSecond: 5e6, writeSize: 256 * ByteUnits.KiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: d!, vm: vm).start()
        #expect(w.service.failoverSource(for: v.name) == .drbdPeer(volumeSize: v.size, consistent: true, metadata: nil))
        let driver = PeriodicDriver(w, resources: [(v.name, .volumeReplication)], interval: .seconds(60 as Int64))
        driver.start()
        w.sim.run(until: .seconds(0.001))
        // not recoverable before the metadata container is ready
        #expect(w.service.recoveryPoint(for: v.name)?.recoveryPoint == nil)
        w.sim.run(until: .seconds(30.0))
        let r = w.service.recoveryPoint(for: v.name)!
        // protocol A below capacity: RPO within the send buffer's drain time + RTT
        #expect(r.rpo.seconds <= Double(4 * ByteUnits.MiB) / 11e6 + 0.004)
        #expect(r.lostBytes <= 4 * ByteUnits.MiB + 256 * ByteUnits.KiB)
        let rec = w.service.records.first!
        #expect(rec.action == .volumeReplication && rec.bytes == ByteUnits.KiB)
        #expect(rec.duration.seconds < 0.1)
        if case .drbdPeer(_, let ok, let meta) = w.service.failoverSource(for: v.name) {
            #expect(ok && meta != nil)
        } else { Issue.record("expected a DRBD peer") }
    }

    @Test func swiftRetentionKeepsNewest() {
        let w = TestWorld()
        for e in 0..<4 {
            let c = w.vault.createContainer(tenant: "t", policy: "p", execution: e)
            w.vault.put("o", bytes: 100, in: c)
            w.vault.markReady(c)
        }
        let open = w.vault.createContainer(tenant: "t", policy: "p", execution: 4)
        w.vault.put("o", bytes: 7, in: open)
        #expect(w.vault.storedBytes == 407)
        let deleted = w.vault.applyRetention(keep: 2)
        #expect(deleted.count == 2)
        #expect(w.vault.storedBytes == 207)
        #expect(w.vault.containers.map(\.state) == [.deleted, .deleted, .ready, .ready, .processing])
        #expect(w.vault.storedOverTime.last!.1 == 207)
        w.vault.putImage(tenant: "t", checksum: "abc", bytes: 50)
        w.vault.putImage(tenant: "t", checksum: "abc", bytes: 50)
        #expect(w.vault.storedBytes == 257)
        #expect(w.vault.hasImage(tenant: "t", checksum: "abc"))
    }
}
