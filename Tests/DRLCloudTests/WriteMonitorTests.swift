import Testing
import DRLSimCore
import DRLTestSupport
@testable import DRLCloud

/// `writes.csv` (WriteMonitor) with hand-derived answers: a 10 MB/s writer of 1 MiB writes on
/// a plain volume issues at k x 0.1048576 s; a pause of the VM from 5 s to 7 s holds the
/// write due at 48 x 0.1048576 = 5.0331648 s until 7 s, so bin [0, 10) has throttled_s =
/// 1.9668352 s exactly, every other bin 0; each write's latency is the disk's 1 MiB time.
@Suite struct WriteMonitorTests {
    typealias Row = [String: RecordValue]

    func run(pause: Bool, drbd: DRBDConfig? = nil, mbit: Double = 500, rate: Double = 10e6,
             seconds: Double = 30, shadow: Bool = true) -> ([Row], Double, TestWorld) {
        let w = TestWorld(mbit: mbit)
        let (vm, v, _) = w.vmWithVolume(size: ByteUnits.GiB, type: drbd == nil ? .iscsi : .drbd, drbd: drbd)
        let monitor = WriteMonitor(context: w.ctx, bin: .seconds(10 as Int64))
        let wl = try! WorkloadConfig.constantRate(bytesPerSecond: rate, writeSize: ByteUnits.MiB)
            .makeWorkload(WorkloadEnvironment(context: w.ctx, vm: vm, device: v.device, site: w.primary.name))
        (wl as! WorkloadRunner).writeSink = shadow ? monitor.sink(for: "vm1", device: v.device) : monitor.sink(for: "vm1")
        wl.start(at: nil)
        if pause {
            w.sim.schedule(at: .seconds(5.0)) { _ in vm.setSpeed(0) }
            w.sim.schedule(at: .seconds(7.0)) { _ in vm.setSpeed(1) }
        }
        w.sim.run(until: .seconds(seconds))
        monitor.finish()
        let cols = w.ctx.recorder.columns[WriteMonitor.table]!
        let rows = (w.ctx.recorder.rows[WriteMonitor.table] ?? []).map { Dictionary(uniqueKeysWithValues: zip(cols, $0)) }
        return (rows, Double(wl.completedBytes), w)
    }

    func d(_ v: RecordValue?) -> Double {
        switch v { case .double(let x)?: return x; case .int(let i)?: return Double(i); default: return .nan }
    }

    /// A writer asking for twice its disk's rate waits for its own previous write half the
    /// time: that is its disk, not protection (the shadow disk gives the same waits: 0 s);
    /// without the shadow every wait would count (share 1/2).
    @Test func waitingForTheOwnDiskIsNotThrottling() {
        let disk = TestWorld().primary.config.volumeDisk.writeBytesPerSecond
        let (rows, completed, _) = run(pause: false, rate: 2 * disk, seconds: 20)
        #expect(rows.allSatisfy { d($0["throttled_s"]) == 0 }, "\(rows)")
        #expect(abs(completed / 20 - disk) / disk < 0.01)
        let (raw, _, _) = run(pause: false, rate: 2 * disk, seconds: 20, shadow: false)
        #expect(raw.dropFirst().allSatisfy { abs(d($0["throttled_share"]) - 0.5) < 0.01 }, "\(raw)")
    }

    @Test func aPauseIsThrottledTimeExactly() {
        let (rows, completed, w) = run(pause: true)
        #expect(rows.count == 3)
        #expect(abs(d(rows[0]["throttled_s"]) - 1.9668352) < 1e-9, "\(rows[0])")
        #expect(abs(d(rows[0]["throttled_share"]) - 0.19668352) < 1e-9)
        #expect(d(rows[1]["throttled_s"]) == 0 && d(rows[2]["throttled_s"]) == 0)
        // Latency: one 1 MiB write on the volume disk, nothing queued.
        let disk = SimDuration.transmission(bytes: ByteUnits.MiB, bitsPerSecond: w.primary.config.volumeDisk.writeBytesPerSecond * 8).seconds
        for r in rows {
            #expect(abs(d(r["latency_mean_s"]) - disk) < 1e-9)
            #expect(abs(d(r["latency_p99_s"]) - disk) < 1e-9)
        }
        // Conservation: completed bytes in the rows are the runner's; requested minus completed
        // is at most the one write planned (or in flight) at the end.
        #expect(rows.map { d($0["completed_bytes"]) }.reduce(0, +) == completed)
        let requested = rows.map { d($0["requested_bytes"]) }.reduce(0, +)
        #expect(requested - completed >= 0 && requested - completed <= Double(ByteUnits.MiB))
        // The pause costs the application 2 s of writing minus the part of a gap it was not due.
        let (free, freeCompleted, _) = run(pause: false)
        #expect(free.allSatisfy { d($0["throttled_s"]) == 0 })
        #expect(freeCompleted - completed == 19 * Double(ByteUnits.MiB), "\(freeCompleted - completed)")
    }
}
