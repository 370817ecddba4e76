import Testing
import DRLSimCore
import DRLNetwork
import DRLTestSupport
@testable import DRLCloud

@Suite struct DataPlaneTests {
    /// A small two-VM run with Poisson writes; returns its protection and rpo rows.
    func rows(seed: UInt64) throws -> [[RecordValue]] {
        let ctx = RunContext(seed: seed, replication: 0)
        let net = try Network(config: .twoSites(primary: "umea", backup: "lulea", rate: .mbit(100), delay: .milliseconds(2)),
                              context: ctx)
        let plane = DataPlane(context: ctx, network: WANTransfer(network: net))
        try plane.install(VMDescription(name: "a", volume: VolumeDescription(size: 256 * ByteUnits.MiB, type: .drbd),
                                 writes: WorkloadConfig.poisson(writesPerSecond: 100, size: .exponential(mean: 65536))))
        try plane.install(VMDescription(name: "b", volume: VolumeDescription(size: 128 * ByteUnits.MiB, type: .iscsi),
                                 writes: WorkloadConfig.poisson(writesPerSecond: 50, size: .uniform(low: 4096, high: 1_048_576))))
        plane.startWorkloads()
        for k in 0..<2 {
            ctx.sim.schedule(at: .seconds(Double(k) * 25)) { _ in
                let e = plane.service.beginExecution(policy: "p")
                var n = 0
                for (r, a) in [("a", ProtectionActionName.imageCopy), ("a-vol", .volumeReplication),
                               ("b", .vmSnapshot), ("b-vol", .volumeSnapshot)] {
                    plane.service.protect(resource: r, action: a, execution: e) { _ in
                        n += 1
                        if n == 4 { plane.service.finishExecution(e) }
                    }
                }
            }
        }
        ctx.sim.run(until: .seconds(50.0))
        plane.disaster()
        return ctx.recorder.rows["protection"]! + ctx.recorder.rows["rpo"]!
    }

    @Test func sameSeedSameRows() throws {
        let a = try rows(seed: 21), b = try rows(seed: 21), c = try rows(seed: 22)
        #expect(a == b)
        #expect(a != c)
        #expect(a.count >= 8)
    }

    @Test func installProtectAndDisaster() throws {
        let ctx = RunContext(seed: 4, replication: 0)
        var ncfg = NetworkConfig.twoSites(primary: "umea", backup: "lulea", rate: .mbit(100), delay: .milliseconds(2))
        ncfg.sites.append(NetworkConfig.Site(name: "repository"))
        ncfg.links.append(NetworkConfig.Link(from: 2, to: 0, rate: .mbit(50), delay: .milliseconds(5)))
        ncfg.links.append(NetworkConfig.Link(from: 0, to: 2, rate: .mbit(50), delay: .milliseconds(5)))
        let net = try Network(config: ncfg, context: ctx)
        let plane = DataPlane(context: ctx, network: WANTransfer(network: net))
        var t = VideoTranscoderConfig()
        t.videos = 3
        let vm = try plane.install(VMDescription(name: "transcoder", volume: VolumeDescription(size: 2 * ByteUnits.GiB, type: .drbd),
                                          writes: WorkloadConfig.videoTranscoder(t)))
        let vm2 = try plane.install(VMDescription(name: "db", volume: VolumeDescription(size: 256 * ByteUnits.MiB, type: .iscsi),
                                           writes: WorkloadConfig.constantRate(bytesPerSecond: 1e6)))
        plane.startWorkloads()
        let e = plane.service.beginExecution(policy: "p")
        var done = 0
        for (r, a) in [(vm.name, ProtectionActionName.imageCopy), (vm.volume!.name, .volumeReplication),
                       (vm2.name, .vmSnapshot), (vm2.volume!.name, .volumeSnapshot)] {
            plane.service.protect(resource: r, action: a, execution: e) { _ in
                done += 1
                if done == 4 { plane.service.finishExecution(e) }
            }
        }
        ctx.sim.run(until: .seconds(120.0))
        #expect(plane.vault.container(execution: e)?.state == .ready)
        let rows = plane.disaster()
        #expect(rows.map(\.resource) == ["transcoder", "transcoder-vol", "db", "db-vol"])
        let drbdRow = rows[1]
        #expect(drbdRow.rpo.seconds < 2)
        let snapRow = rows[3]
        #expect(snapRow.recoveryPoint == .zero && snapRow.rpo.seconds == 120)
        // 1 MiB writes at 1 MB/s, except while db's cold snapshot stopped the guest (issue 19):
        // managedSave of 2 GiB at 400 MB/s, qemu-img convert of 190 MB + its writes (at most a
        // few MB: read 500, write 400 MB/s), restore of 2 GiB at 500 MB/s
        let gib = Double(2 * ByteUnits.GiB)
        let stopped = gib / 400e6 + 190e6 / 500e6 + 190e6 / 400e6 + gib / 500e6
        #expect(Approx.equal(Double(snapRow.lostBytes), 120e6 - stopped * 1e6, relative: 0.03))
        #expect(!plane.primary.isUp)
        #expect(plane.service.conservationViolations().isEmpty)
        #expect(net.conservationViolations().isEmpty)
        if case .container(_, let item) = plane.service.failoverSource(for: "db-vol") {
            #expect(item.restoreSize == 256 * ByteUnits.MiB)
        } else { Issue.record("db-vol should restore from a container") }
    }
}
