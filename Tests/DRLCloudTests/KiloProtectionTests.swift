import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLCloud
import DRLCloudTestSupport

/// Issue 19: protection as OpenStack Kilo and Dragon ran it (serial cinder-backup with sha256 and
/// zlib charged, LVM zero-fill of the clone, cold VM snapshots through Glance). Expected values
/// are derived by hand from the cited rules with the default calibrations: volume tier 150 MB/s,
/// image tier 500 MB/s read / 400 MB/s write, sha256 172 MB/s, zlib 34 MB/s on data and
/// 255 MB/s on zeros, Glance 125 MB/s, 2 GiB guest memory, 1 s polls.
@Suite struct KiloProtectionTests {
    static let chunk = Double(ByteUnits.swiftChunk)

    /// A 200 MiB volume (4 chunks) whose first 100 MiB are written.
    static func halfWrittenVolume(_ w: TestWorld) -> Volume {
        let (_, v, _) = w.vmWithVolume(size: 200 * ByteUnits.MiB, type: .iscsi)
        for i in 0..<100 { v.device.submit(BlockWrite(offset: Int64(i) * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in } }
        w.sim.run(until: .seconds(2.0))
        return v
    }

    static func snapshot(_ pc: ProtectionConfig) -> (ProtectionRecord, TestWorld) {
        let w = TestWorld(.pipe, mbit: 100, oneWayMs: 2, protection: pc)
        let v = halfWrittenVolume(w)
        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: v.name, action: .volumeSnapshot, execution: e) { rec = $0 }
        w.sim.run(until: .seconds(200.0))
        return (try! #require(rec), w)
    }

    @Test func serialBackupIsTheSumOfItsChunkSteps() {
        let (r, w) = Self.snapshot(ProtectionConfig())
        #expect(r.status == .completed)
        let c = Self.chunk, size = 4 * c
        // clone: dd at half the HDD's 150 MB/s, then zero the 200 MiB snapshot CoW at 150 MB/s
        let clone = size / 75e6 + size / 150e6
        // each chunk: read + sha256 + zlib, then its PUT (wire at 100 Mbit/s + 2 ms), then the next
        let zeroObject = (c * 0.001).rounded(.up)
        let dataChunk = c / 150e6 + c / 172e6 + c / 34e6 + c * 8 / 1e8 + 0.002
        let zeroChunk = c / 150e6 + c / 172e6 + c / 255e6 + zeroObject * 8 / 1e8 + 0.002
        let backup = 2 * dataChunk + 2 * zeroChunk
        #expect(backup > 14.5 && backup < 14.55) // 14.52 s of backup work
        // Dragon sees the clone at its 5 s poll (4.19 s) and the backup at its 15 s poll, then
        // exports the record and deletes the clone (1 s)
        #expect(clone > 4 && clone < 5)
        let expected = 5.0 + 15 + 1
        print("[measure] serial cinder-backup of 200 MiB (100 MiB written) at 100 Mbit: \(r.duration.seconds) s (work: clone \(clone) + backup \(backup)), hand \(expected) s")
        #expect(abs(r.duration.seconds - expected) < 1e-6)
        // without the polls the action would end exactly at the work's sum (+ the proxy's
        // fan-out of each object's last segment, 2 copies at 125 MB/s: 64 KiB for the data
        // chunks, the whole 52429 B object for the compressed zero chunks)
        var fine = ProtectionConfig()
        fine.pollInterval = .zero
        let (f, _) = Self.snapshot(fine)
        #expect(Approx.equal(f.duration.seconds, clone + backup + 2 * (2 * 65536 + 2 * zeroObject) / 125e6 + 1, relative: 1e-6), "\(f.duration.seconds)")
        #expect(r.bytes == 2 * ByteUnits.swiftChunk + 2 * Int64(zeroObject))
        #expect(w.vault.container(execution: 0)!.objects.count == 4)
        // protection_steps: each step in order, back to back, adding up to the action
        let steps = Self.steps(w)
        #expect(steps.map(\.0) == ["clone", "zero-fill", "clone-poll", "backup", "backup-poll", "export-delete"])
        #expect(abs(steps[0].1 - size / 75e6) < 1e-6 && abs(steps[1].1 - size / 150e6) < 1e-6)
        #expect(abs(steps[0].1 + steps[1].1 + steps[2].1 - 5) < 1e-6)          // the clone seen at 5 s
        #expect(abs(steps[3].1 + steps[4].1 - 15) < 1e-6 && steps[3].1 > 14.5)  // backup seen at 15 s
        #expect(abs(steps.reduce(0) { $0 + $1.1 } - r.duration.seconds) < 1e-6)

        // the pipelined option overlaps reading/hashing/compressing with the uploads: faster by
        // at least the production of the chunks that overlapped an upload
        var pc = ProtectionConfig()
        pc.pipelineDepth = 1
        let (p, _) = Self.snapshot(pc)
        #expect(p.bytes == r.bytes)
        #expect(r.duration.seconds - p.duration.seconds > c / 150e6 + c / 172e6 + c / 34e6 - 0.01)
    }

    /// The `protection_steps` rows as (step, duration_s).
    static func steps(_ w: TestWorld) -> [(String, Double)] {
        let cols = w.ctx.recorder.columns["protection_steps"]!
        return (w.ctx.recorder.rows["protection_steps"] ?? []).map { row in
            let d = Dictionary(uniqueKeysWithValues: zip(cols, row))
            guard case .text(let n) = d["step"]!, case .double(let x) = d["duration_s"]! else { return ("?", .nan) }
            return (n, x)
        }
    }

    @Test func serialPipelineNeverProducesWhileAnObjectIsInFlight() {
        // ChunkPipeline with depth 0: chunk i+1's production starts only once chunk i is stored
        let ctx = RunContext(seed: 1, replication: 0)
        let net = FixedRateNetwork(sim: ctx.sim, bitsPerSecond: 8e6, oneWayDelay: .milliseconds(10))
        let ch = net.openChannel(from: "a", to: "b", trafficClass: "snapshot", sendBuffer: 4 * ByteUnits.MiB)
        let plan = (0..<3).map { _ in ChunkPlan(produce: .seconds(1 as Int64), objectBytes: 1_000_000) }
        let p = ChunkPipeline(sim: ctx.sim, chunks: plan, depth: 0, channel: ch)
        var stored: [Double] = []
        p.onChunkStored = { _ in stored.append(ctx.sim.now.seconds) }
        p.start()
        ctx.sim.run(until: .seconds(100.0))
        // 1 s produce + 1 s on the wire (1 MB at 8 Mbit/s) + 10 ms, three times
        #expect(stored.count == 3)
        for (i, t) in stored.enumerated() { #expect(abs(t - Double(i + 1) * 2.01) < 0.001, "\(stored)") }
    }

    @Test func cloneZeroFillFollowsVolumeClear() {
        var pc = ProtectionConfig()
        let on = TestWorld(.pipe, protection: pc)
        pc.cloneZeroFill = false
        let off = TestWorld(.pipe, protection: pc)
        let size = 5 * ByteUnits.GiB
        // copy at 75 MB/s, then zeros over the 5 GiB CoW device at 150 MB/s
        #expect(Approx.equal(on.service.cloneTime(size: size).seconds, Double(size) / 75e6 + Double(size) / 150e6, relative: 1e-6))
        #expect(Approx.equal(off.service.cloneTime(size: size).seconds, Double(size) / 75e6, relative: 1e-6))
    }

    @Test func coldVMSnapshotStopsTheGuestAndGoesThroughGlance() {
        let w = TestWorld(.pipe, mbit: 100)
        let (vm, v, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        for i in 0..<10 { vm.ephemeral.device.submit(BlockWrite(offset: Int64(i) * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in } }
        let gen = ConstantRateGenerator(bytesPerSecond: 10e6, writeSize: ByteUnits.MiB, placement: .sequential,
                                        capacity: v.size, stream: w.ctx.stream("workload.vm1"))
        let run = WorkloadRunner(name: "vm1", sim: w.sim, generator: gen, device: v.device, vm: vm)
        run.start()
        w.sim.run(until: .seconds(10.0))
        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: vm.name, action: .vmSnapshot, execution: e) { rec = $0 }
        let size = Double(190_000_000 + 10 * ByteUnits.MiB)  // flattened: base + the overlay's writes
        let mem = Double(2 * ByteUnits.GiB)
        // managedSave (memory written at 400 MB/s), qemu-img convert (read 500, write 400 MB/s),
        // domain restore (memory read at 500 MB/s): the guest is stopped throughout
        let local = mem / 400e6 + size / 500e6 + size / 400e6 + mem / 500e6
        let phases = w.service.localSnapshotPhases(size: Int64(size)).map(\.name)
        #expect(phases == ["overhead", "managed-save", "qemu-img-convert", "domain-restore"])
        w.sim.run(until: .seconds(10.05))
        let a = run.issuedBytes
        #expect(vm.isPaused)
        w.sim.run(until: .seconds(10 + local - 0.01))
        #expect(vm.isPaused)
        #expect(run.issuedBytes == a)       // no write issued while the guest is saved and converted
        w.sim.run(until: .seconds(10 + local + 0.01))
        #expect(!vm.isPaused)
        w.sim.run(until: .seconds(80.0))
        let r = try! #require(rec)
        #expect(r.bytes == Int64(size))
        // Glance upload (125 MB/s) -> image active at local + 1.6 s = 12.2 s, seen at the 13 s poll;
        // Dragon downloads it (1.6 s), PUTs 4 objects at 100 Mbit/s (+ 2 ms each), deletes (1 s)
        let active = local + size / 125e6
        #expect(active > 12 && active < 13)
        let expected = 13 + size / 125e6 + size * 8 / 1e8 + 4 * 0.002 + 1
        print("[measure] cold VM snapshot of \(size / 1e6) MB at 100 Mbit: \(r.duration.seconds) s (guest stopped \(local) s), hand \(expected) s")
        #expect(Approx.equal(r.duration.seconds, expected, relative: 0.002))
        #expect(run.issuedBytes > a + 100 * ByteUnits.MiB)
        let steps = Self.steps(w)
        #expect(steps.map(\.0) == ["managed-save", "qemu-img-convert", "domain-restore", "glance-upload", "image-poll",
                                    "glance-download", "swift-put", "delete"])
        #expect(abs(steps[0].1 - mem / 400e6) < 1e-6 && abs(steps[2].1 - mem / 500e6) < 1e-6)
        #expect(abs(steps[0].1 + steps[1].1 + steps[2].1 + steps[3].1 + steps[4].1 - 13) < 1e-6) // seen at the 13 s poll
        #expect(abs(steps.reduce(0) { $0 + $1.1 } - r.duration.seconds) < 1e-6)
    }

    @Test func aSnapshotKeepsAnOuterPause() {
        // the engine's consistent mode paused the VM before the actions: the snapshot's end must
        // not resume it (the engine does, after the last action)
        let w = TestWorld(.pipe, mbit: 100)
        let (vm, _, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi)
        vm.setSpeed(0)
        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: vm.name, action: .vmSnapshot, execution: e) { rec = $0 }
        w.sim.run(until: .seconds(60.0))
        #expect(rec?.status == .completed)
        #expect(vm.isPaused)
        // a running VM is stopped by the cold snapshot and runs again at its previous speed
        vm.setSpeed(1)
        let e2 = w.service.beginExecution(policy: "p")
        w.service.protect(resource: vm.name, action: .vmSnapshot, execution: e2)
        w.sim.run(until: .seconds(61.0))
        #expect(vm.isPaused)
        w.sim.run(until: .seconds(120.0))
        #expect(vm.speed == 1)
    }

    @Test func snapshotSizeIsTheFlattenedDisk() {
        // a 190 MB compressed qcow2 holding 700 MB of data, 10 MiB written to the root disk:
        // the snapshot carries 700 MB + 10 MiB, not the image's 190 MB
        let w = TestWorld(.pipe, mbit: 100)
        let vm = w.primary.addVM(name: "vm1", image: GlanceImage(name: "ubuntu", size: 190_000_000, dataSize: 700_000_000))
        for i in 0..<10 { vm.ephemeral.device.submit(BlockWrite(offset: Int64(i) * ByteUnits.MiB, length: ByteUnits.MiB)) { _ in } }
        w.sim.run(until: .seconds(1.0))
        #expect(vm.snapshotSize == 700_000_000 + 10 * ByteUnits.MiB)
        let e = w.service.beginExecution(policy: "p")
        var rec: ProtectionRecord?
        w.service.protect(resource: vm.name, action: .vmSnapshot, execution: e) { rec = $0 }
        w.sim.run(until: .seconds(200.0))
        #expect(rec?.bytes == 700_000_000 + 10 * ByteUnits.MiB)
        // the image copy still sends the 190 MB image
        var copy: ProtectionRecord?
        w.service.protect(resource: vm.name, action: .imageCopy, execution: e) { copy = $0 }
        w.sim.run(until: .seconds(300.0))
        #expect(copy?.bytes == 190_000_000)
    }

    @Test func anAbortedActionsStepsEndAtTheAbort() {
        let w = TestWorld(.pipe, mbit: 100, oneWayMs: 2)
        let v = Self.halfWrittenVolume(w)
        let e = w.service.beginExecution(policy: "p")
        let h = w.service.protect(resource: v.name, action: .volumeSnapshot, execution: e)!
        w.sim.run(until: .seconds(12.0))       // started at 2 s: the backup runs from 7 s
        w.service.abort(h)
        let steps = Self.steps(w)
        #expect(steps.map(\.0) == ["clone", "zero-fill", "clone-poll", "backup"])
        #expect(abs(steps[3].1 - 5) < 1e-6)
        #expect(abs(steps.reduce(0) { $0 + $1.1 } - 10) < 1e-6)
    }
}
