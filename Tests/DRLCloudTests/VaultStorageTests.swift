import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLCloud
import DRLCloudTestSupport

/// The backup vault's footprint (`SwiftStore` bookkeeping and the `storage` rows of
/// `VaultRecorder`): conservation at every row, binning, and image deduplication by checksum.
@Suite struct VaultStorageTests {
    typealias Row = [String: RecordValue]

    /// The `storage` rows of a recorder as dictionaries.
    static func rows(_ rec: Recorder) -> [Row] {
        let cols = rec.columns[VaultRecorder.table] ?? []
        return (rec.rows[VaultRecorder.table] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
    }

    /// What a row must say, computed independently: the vault recounted from its live objects
    /// after the last change of every bin.
    struct Expected: Equatable {
        var t: SimInstant
        var footprints: [(ContainerKind, VaultFootprint)]
        static func == (a: Expected, b: Expected) -> Bool {
            a.t == b.t && a.footprints.map(\.0) == b.footprints.map(\.0) && a.footprints.map(\.1) == b.footprints.map(\.1)
        }
    }

    @Test func storedBytesEqualTheLiveObjectsAtEveryRowThroughRetention() {
        let w = TestWorld(.pipe, mbit: 200)
        let (vm, _, _) = w.vmWithVolume(size: 120 * ByteUnits.MiB, type: .iscsi,
                                        image: GlanceImage(name: "cirros", size: 60 * ByteUnits.MB))
        let bin = SimDuration.seconds(5 as Int64)
        let recorder = VaultRecorder(vault: w.vault, site: w.backup.name, recorder: w.ctx.recorder, bin: bin)
        // Observed after the recorder: the expected state per bin, and the identity per change.
        var expected: [Expected] = []
        var identityBroken = 0
        var changes = 0
        w.vault.observe { v in
            changes += 1
            if v.storedBytes != v.uploadedBytes - v.deletedBytes { identityBroken += 1 }
            let e = Expected(t: w.sim.now, footprints: ContainerKind.allCases.filter { v.hasEverHeld($0) }
                .map { ($0, v.recomputedFootprint($0)) })
            if let last = expected.last, last.t.nanoseconds / bin.nanoseconds == w.sim.now.nanoseconds / bin.nanoseconds {
                expected[expected.count - 1] = e
            } else {
                expected.append(e)
            }
        }
        let driver = PeriodicDriver(w, resources: [(vm.name, .vmSnapshot), (vm.name, .imageCopy), ("vol1", .volumeSnapshot)],
                                    interval: .seconds(60 as Int64))
        driver.start()
        var deleted: [String] = []
        for k in 1...6 { w.sim.schedule(at: .seconds(Double(90 * k))) { _ in deleted += w.service.cleanup(keep: 2) } }
        w.sim.run(until: .seconds(600.0))
        recorder.flush()

        let rows = Self.rows(w.ctx.recorder)
        #expect(identityBroken == 0)
        #expect(w.service.conservationViolations().isEmpty, "\(w.service.conservationViolations())")
        #expect(deleted.count == 7, "retention deleted \(deleted)")
        #expect(w.vault.deletedBytes > 0)
        // One row per kind per bin with a change, far fewer than the changes (chunks).
        let flat = expected.flatMap { e in e.footprints.map { (e.t, $0.0, $0.1) } }
        #expect(rows.count == flat.count)
        #expect(rows.count < changes)   // 46 rows for 108 changes in this run
        for (row, (t, kind, f)) in zip(rows, flat) {
            #expect(row["t_s"] == .double(t.seconds))
            #expect(row["site"] == .text("lulea"))
            #expect(row["container_kind"] == .text(kind.rawValue))
            #expect(row["containers"] == .int(Int64(f.containers)))
            #expect(row["objects"] == .int(Int64(f.objects)))
            // issue 19: stored_bytes counts the ring's 3 replicas, logical_bytes one copy
            #expect(row["stored_bytes"] == .int(3 * f.storedBytes), "at \(t.seconds) s")
            #expect(row["logical_bytes"] == .int(f.storedBytes), "at \(t.seconds) s")
            #expect(row["recovery_points"] == .int(Int64(f.recoveryPoints)))
        }
        // The rows of the last instant add up to the whole vault.
        let lastT = rows.last!["t_s"]!
        let total = rows.filter { $0["t_s"] == lastT }.reduce(Int64(0)) { if case .int(let b) = $1["logical_bytes"]! { return $0 + b }; return $0 }
        #expect(total == w.vault.storedBytes)
        // Retention keeps 2 ready executions after each cleanup: never more than 2 + the ones
        // that became ready since (one per minute, cleanups every 90 s).
        let points = rows.compactMap { r -> Int64? in if case .int(let n) = r["recovery_points"]! { return n }; return nil }
        #expect(points.count == rows.count && points.max() == 4)
        // Emission instants are in distinct bins, in time order.
        let bins = rows.compactMap { r -> Int64? in if case .double(let s) = r["t_s"]! { return Int64(s * 1e9) / bin.nanoseconds }; return nil }
        #expect(zip(bins, bins.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(Set(bins).count * 2 == rows.count)   // execution and image rows per bin
    }

    /// The image is stored once in the tenant's global container (objects named by checksum)
    /// however many image copies ran. With the default `every-action` the engine re-sends it
    /// (Figs 9-10 show an image copy at every action): the bytes on the wire repeat, the new copy
    /// overwrites the old one, so the stored bytes do not. With `once` nothing is re-sent.
    @Test(arguments: [ImageCopyResend.everyAction, .once]) func imageStoredOnceWhateverTheCopies(_ policy: ImageCopyResend) {
        var pc = ProtectionConfig()
        pc.imageCopyResend = policy
        let w = TestWorld(.pipe, mbit: 100, protection: pc)
        let size: Int64 = 190_000_000
        let (vm, _, _) = w.vmWithVolume(size: ByteUnits.GiB, type: .iscsi, image: GlanceImage(name: "cirros", size: size))
        let recorder = VaultRecorder(vault: w.vault, site: w.backup.name, recorder: w.ctx.recorder, bin: .seconds(1 as Int64))
        let driver = PeriodicDriver(w, resources: [(vm.name, .imageCopy)], interval: .seconds(60 as Int64))
        driver.start()
        w.sim.run(until: .seconds(230.0))
        recorder.flush()
        let copies = w.service.records.filter { $0.action == .imageCopy && $0.status == .completed }
        #expect(copies.count == 4)
        let wire = copies.reduce(Int64(0)) { $0 + $1.bytes }
        #expect(wire == (policy == .everyAction ? 4 * size : size))
        // 190 MB in 50 MiB chunks: 4 objects, one global container, the image once.
        let image = w.vault.footprint(.image)
        #expect(image == VaultFootprint(containers: 1, objects: 4, storedBytes: size, recoveryPoints: 0))
        #expect(image == w.vault.recomputedFootprint(.image))
        #expect(w.vault.uploadedBytes - w.vault.deletedBytes == w.vault.storedBytes)
        #expect(w.vault.deletedBytes == (policy == .everyAction ? 3 * size : 0))
        let rows = Self.rows(w.ctx.recorder).filter { $0["container_kind"] == .text("image") }
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { $0["stored_bytes"] == .int(3 * size) && $0["logical_bytes"] == .int(size)
                                  && $0["containers"] == .int(1) && $0["recovery_points"] == .int(0) })
        // Four recovery points (metadata + template only in the execution containers).
        #expect(w.vault.recoveryPoints == 4)
    }

    @Test func deletingAContainerRemovesItsBytesAndItsRecoveryPoint() {
        let w = TestWorld()
        let a = w.vault.createContainer(tenant: "t", policy: "p", execution: 0)
        w.vault.put("x", bytes: 300, in: a)
        w.vault.put("y", bytes: 200, in: a)
        w.vault.markReady(a)
        let b = w.vault.createContainer(tenant: "t", policy: "p", execution: 1)
        w.vault.put("x", bytes: 70, in: b)
        #expect(w.vault.footprint(.execution) == VaultFootprint(containers: 2, objects: 3, storedBytes: 570, recoveryPoints: 1))
        #expect(w.vault.delete(a))
        #expect(!w.vault.delete(a))
        w.vault.put("late", bytes: 9, in: a)   // a deleted container takes nothing
        #expect(w.vault.footprint(.execution) == VaultFootprint(containers: 1, objects: 1, storedBytes: 70, recoveryPoints: 0))
        #expect(w.vault.footprint(.execution) == w.vault.recomputedFootprint(.execution))
        #expect(w.vault.uploadedBytes == 570 && w.vault.deletedBytes == 500 && w.vault.storedBytes == 70)
    }

    @Test func aDataPlaneWithoutProtectionWritesAHeaderOnlyTable() {
        let ctx = RunContext(seed: 1, replication: 0)
        let net = FixedRateNetwork(sim: ctx.sim, bitsPerSecond: 1e8, oneWayDelay: .milliseconds(2), segmentBytes: 65536)
        let plane = DataPlane(context: ctx, network: net)
        _ = try? plane.install(VMDescription(name: "vm1", volume: VolumeDescription(size: ByteUnits.GiB, type: .iscsi)))
        ctx.sim.run(until: .seconds(60.0))
        plane.storage.flush()
        #expect(ctx.recorder.columns["storage"] == ["t_s", "site", "container_kind", "containers", "objects", "stored_bytes", "logical_bytes", "recovery_points"])
        #expect(ctx.recorder.rows["storage"]?.isEmpty == true)
    }
}
