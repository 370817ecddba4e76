import Testing
import DRLSimCore
import DRLNetwork
@testable import DRLCloud
import DRLCloudTestSupport

/// The data plane with a rate network (`wan.model: flow`): rate-process workloads on DRBD
/// volumes become `RateWriter`s over `FluidDRBD`s and fill the same tables as the packet model
/// (`writes`, `replication`).
struct FluidDataPlaneTests {
    @Test func rateWritersFillTheWritesAndReplicationTables() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        let pipe = FixedRateNetwork(sim: ctx.sim, bitsPerSecond: 8e6, oneWayDelay: .milliseconds(10))
        let net = MaxMinRateNetwork(bytesPerSecond: 1e6)
        var c = DRBDConfig(); c.sendBuffer = ByteUnits.MiB
        let plane = DataPlane(context: ctx, network: pipe, drbd: c)
        plane.rateNetwork = net
        for (name, rate) in [("a", 2e6), ("b", 3e5)] {
            var s = VMDescription(name: name, volume: VolumeDescription(size: ByteUnits.GiB, type: .drbd),
                           writes: WorkloadConfig.constantRate(bytesPerSecond: rate, writeSize: 65_536, placement: .random))
            s.queueDepth = 1
            try plane.install(s)
        }
        #expect(plane.workloads.allSatisfy { $0 is RateWriter })
        plane.startWorkloads(at: .zero)
        ctx.sim.run(until: .seconds(60))
        plane.service.replicationMonitor.finish()
        plane.flushRateWriters()
        plane.writes.finish()
        let a = try #require(plane.service.fluidDRBDDevice(for: "a-vol"))
        // Max-min: b gets its 0.3 MB/s, a the other 0.7 MB/s once its 1 MiB buffer is full
        // (the queue holds 1 MiB less the 0.7 MB/s x 20 ms in flight).
        let q = Double(ByteUnits.MiB) - 14_000, fill = q / (2e6 - 7e5)
        #expect(abs(Double(a.writtenBytes) - (q + 7e5 * 60)) < 2)
        #expect(abs(a.lag.seconds - q / 7e5) < 1e-6)
        // writes.csv: 10 s bins; a is throttled from `fill` on, b never.
        let cols = ctx.recorder.columns[WriteMonitor.table]!
        let rows = (ctx.recorder.rows[WriteMonitor.table] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        #expect(rows.count == 12)
        let a0 = rows.first { $0["vm"] == .text("a") && $0["t_s"] == .double(0) }!
        #expect(a0["requested_bytes"] == .int(20_000_000))
        #expect(a0["completed_bytes"] == .int(Int64((q + 7e5 * 10).rounded())))
        if case .double(let th) = a0["throttled_s"]! { #expect(abs(th - (10 - fill)) < 1e-6) } else { Issue.record("throttled_s") }
        let a5 = rows.first { $0["vm"] == .text("a") && $0["t_s"] == .double(50) }!
        #expect(a5["completed_bytes"] == .int(7_000_000))
        #expect(a5["throttled_share"] == .double(1))
        #expect(a5["writes"] == .int(107))   // 7e6 / 65536 = 106.8
        let b3 = rows.first { $0["vm"] == .text("b") && $0["t_s"] == .double(30) }!
        #expect(b3["completed_bytes"] == .int(3_000_000))
        #expect(b3["throttled_s"] == .double(0))
        // replication.csv: a's row at 60 s shows the full buffer and its drain time as the lag.
        let rc = ctx.recorder.columns[ReplicationMonitor.table]!
        let rr = (ctx.recorder.rows[ReplicationMonitor.table] ?? []).map { Dictionary(uniqueKeysWithValues: zip(rc, $0)) }
        let last = rr.last { $0["resource"] == .text("a-vol") }!
        #expect(last["backlog_bytes"] == .int(ByteUnits.MiB - 14_000))
        #expect(last["state"] == .text("backlog"))
        // The disaster halts the fluid devices: nothing moves afterwards.
        plane.disaster()
        let w = a.writtenBytes
        ctx.sim.run(until: .seconds(100))
        #expect(a.writtenBytes == w)
        #expect(a.conservationHolds())
    }
}
