import Testing
import DRLSimCore
import DRLCloud
import DRLTestSupport
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

@Suite struct LogicDriverTests {
    /// Bursts of 10 MB/s lasting 60-180 s, every 10-30 min, from the stream `writes.bursty`.
    static func burstyWrites(_ ctx: RunContext, horizon: SimInstant) -> WriteProfile {
        let s = ctx.stream("writes.bursty")
        var segs: [(start: SimInstant, rate: Double)] = []
        var t = SimInstant.seconds(600.0 + 1200 * s.uniform())
        segs.append((.zero, 0))
        while t < horizon {
            segs.append((t, 10e6))
            t = t + .seconds(60 + 120 * s.uniform())
            segs.append((t, 0))
            t = t + .seconds(600 + 1200 * s.uniform())
        }
        return WriteProfile(segments: segs)
    }

    /// The largest RPO of the volume over the run: just before each execution becomes ready the
    /// newest recovery point is the previous one's capture (a sawtooth).
    static func maxRPO(_ w: World, until h: SimInstant) -> Double {
        let ready = w.layer.engine.executions.filter { $0.status == .ready || $0.status == .deleted }.sorted { $0.end! < $1.end! }
        var worst = 0.0
        for (a, b) in zip(ready, ready.dropFirst()) {
            worst = max(worst, (b.end! - a.record(of: "vol-primary-1")!.pointInTime!).seconds)
        }
        if let last = ready.last { worst = max(worst, (h - last.record(of: "vol-primary-1")!.pointInTime!).seconds) }
        return worst
    }

    static func run(driver: (any LogicDriver)?, interval: SimDuration, seed: UInt64, horizon: SimInstant) throws -> World {
        var pc = FluidDataPaths.Config()
        pc.incrementalVolumeSnapshots = true
        let ctx = RunContext(seed: seed, replication: 0)
        let writes = burstyWrites(ctx, horizon: horizon)
        let w = try World(seed: seed, mbit: 50, volumeBytes: 2_000_000_000, type: .iscsi, interval: interval, pathConfig: pc,
                          writes: writes, driver: driver, firstProtectionAfter: .seconds(30.0))
        w.run(until: horizon)
        return w
    }

    @Test func rpoTargetDriverKeepsRPOUnderTargetWhereFixedAtTheSameRateDoesNot() throws {
        let h = SimInstant.seconds(8 * 3600.0)
        let target = SimDuration.seconds(600.0)
        for seed: UInt64 in [1, 2, 3] {
            let rpoDriver = RPOTargetDriver(target: target, assumedRate: 50e6)
            let a = try Self.run(driver: rpoDriver, interval: .minutes(600), seed: seed, horizon: h)
            let n = a.layer.engine.executions.count
            // The fixed driver at the same average frequency (rounded down to whole ticks: slightly more often).
            let ticks = Int64(h.seconds / Double(n) / 30)
            let b = try Self.run(driver: FixedFrequencyDriver(), interval: .seconds(30.0) * ticks, seed: seed, horizon: h)
            let ra = Self.maxRPO(a, until: h), rb = Self.maxRPO(b, until: h)
            #expect(b.layer.engine.executions.count >= n)
            #expect(ra <= target.seconds, "seed \(seed): rpo-target max RPO \(ra) s over \(n) executions")
            #expect(rb > target.seconds, "seed \(seed): fixed every \(30 * ticks) s max RPO \(rb) s")
        }
    }

    @Test func rpoTargetEstimateFitsOverheadAndThroughput() {
        let d = RPOTargetDriver(target: .seconds(600.0))
        var input = LogicInput(now: .seconds(1000.0), tick: .seconds(30.0), policy: "p", lastStart: nil, recoveryPoint: .seconds(700.0),
                               dirtyBytes: 500_000_000, recent: [.init(bytes: 100_000_000, duration: .seconds(21.0)),
                                                                 .init(bytes: 300_000_000, duration: .seconds(53.0))], running: 0)
        // D = 5 s + bytes / 6.25 MB/s.
        #expect(Approx.equal(d.estimatedDuration(input).seconds, 85, relative: 1e-9))
        // age 300 + 85 + 30 = 415 < 540: wait; with 1.5 GB dirty (245 s): 575 >= 540: protect.
        #expect(!d.decide(input).protect)
        input.dirtyBytes = 1_500_000_000
        #expect(d.decide(input).protect)
        input.running = 1
        #expect(!d.decide(input).protect)
        input.running = 0; input.recoveryPoint = nil
        #expect(d.decide(input).protect)
    }

    @Test func dirtyThresholdTriggersOnChangedBytes() throws {
        let d = DirtyThresholdDriver(threshold: 1_000_000_000)
        var input = LogicInput(now: .zero, tick: .seconds(30.0), policy: "p", lastStart: nil, recoveryPoint: nil,
                               dirtyBytes: 999_999_999, recent: [], running: 0)
        #expect(!d.decide(input).protect)
        input.dirtyBytes = 1_000_000_000
        #expect(d.decide(input).protect)
        // In a world: 5 MB/s fills 1 GB every 200 s; protections follow the writes, not the 30 min countdown.
        let reg = LogicDriverChoice(type: "dirty-threshold")
        let driver = try LogicDriverRegistry.standard.make(reg)
        #expect(driver.name == "dirty-threshold")
        let w = try World(volumeBytes: 1_000_000_000, type: .iscsi, interval: .minutes(30), writes: .constant(5e6), driver: driver)
        w.run(until: .seconds(1200.0))
        let starts = w.layer.engine.executions.map { $0.start.seconds }
        #expect(starts.count >= 4)
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 <= 240 })
    }

    @Test func registryKnowsTheFourDrivers() {
        #expect(LogicDriverRegistry.standard.names == ["fixed", "dirty-threshold", "rpo-target", "bandwidth-shares"])
        let c = LogicDriverChoice(type: "mpc")
        #expect(throws: LogicDriverError.self) { try LogicDriverRegistry.standard.make(c) }
    }

    @Test func bandwidthSharesControlLaw() {
        let d = BandwidthSharesDriver(classes: ["replication", "snapshot", "application"], weights: [1, 1, 2], floor: 0.05, gain: 0.5)
        let c = 100e6
        // Under load: replication 20 mbit arrivals + 25 MB backlog over 10 s = 40 mbit; snapshot
        // 0; app 30 mbit. Spare 100 - 40 - 5 - 30 = 25 split 1:1:2.
        let light = ShapingInput(now: .zero, capacity: c, classes: [
            .init(name: "replication", backlogBytes: 25e6, arrivalRate: 20e6),
            .init(name: "snapshot", backlogBytes: 0, arrivalRate: 0),
            .init(name: "application", backlogBytes: 0, arrivalRate: 30e6)])
        let t = d.targetRates(light)
        #expect(Approx.equal(t[0], 40e6 + 6.25e6, relative: 1e-9))
        #expect(Approx.equal(t[1], 5e6 + 6.25e6, relative: 1e-9))
        #expect(Approx.equal(t[2], 30e6 + 12.5e6, relative: 1e-9))
        let first = d.shape(light)
        #expect(Approx.equal(first.reduce(0) { $0 + $1.rate }, c, relative: 1e-9))
        #expect(first.allSatisfy { $0.ceil == c })
        // Overload: a big snapshot backlog due in 60 s; demands scale down, floors hold.
        let heavy = ShapingInput(now: .seconds(30.0), capacity: c, classes: [
            .init(name: "replication", backlogBytes: 25e6, arrivalRate: 20e6),
            .init(name: "snapshot", backlogBytes: 3e9, arrivalRate: 0, horizon: .seconds(60.0)),
            .init(name: "application", backlogBytes: 0, arrivalRate: 30e6)])
        let th = d.targetRates(heavy)
        #expect(Approx.equal(th.reduce(0, +), c, relative: 1e-9))
        #expect(th.allSatisfy { $0 >= 0.05 * c - 1e-6 })
        #expect(th[1] > th[0] && th[1] > th[2])
        // The smoother moves halfway from the previous rates towards the new target.
        let second = d.shape(heavy)
        for i in 0..<3 {
            let expected = first[i].rate + 0.5 * (th[i] - first[i].rate)
            #expect(Approx.equal(second[i].rate, expected, relative: 1e-9))
        }
    }
}

@Suite struct ShapingLoopTests {
    @Test func orchestratorAppliesTheControllersRatesEveryTick() throws {
        let driver = BandwidthSharesDriver(classes: ["snapshot", "image", "application"])
        let w = try World(mbit: 50, volumeBytes: 1_000_000_000, type: .iscsi, vmAction: "vm-snapshot", driver: driver)
        w.layer.orchestrator.shaper = w.paths.link
        w.run(until: .seconds(360.0))
        let rows = w.rows(OrchestrationTables.shaping)
        #expect(rows.count == 12 * 3)
        // At 360 s the volume snapshot's backlog (~850 MB) dominates: the snapshot class gets the most.
        let last = rows.suffix(3)
        let snap = try #require(last.first { $0["class"]?.text == "snapshot" }?["rate_bps"]?.double)
        #expect(last.allSatisfy { $0["class"]?.text == "snapshot" || $0["rate_bps"]!.double! < snap })
        #expect(abs(last.reduce(0) { $0 + $1["rate_bps"]!.double! } - 50e6) < 1)
        #expect(w.paths.link.share("snapshot")?.rate == snap)
    }
}

import DRLNetwork

@Suite struct HTBShaperTests {
    /// A 100 Mbit/s link whose HTB gives replication (1:10) and application (1:20) 50 Mbit/s
    /// each, ceil 100.
    static func twoClassLink() throws -> (RunContext, Network) {
        let htb = QdiscConfig(type: "htb", handle: "1:", params: ["default": "1:20"], classes: [
            QdiscClassConfig(classid: "1:1", params: ["rate": "100mbit"]),
            QdiscClassConfig(classid: "1:10", parent: "1:1", params: ["rate": "50mbit", "ceil": "100mbit"]),
            QdiscClassConfig(classid: "1:20", parent: "1:1", params: ["rate": "50mbit", "ceil": "100mbit"])],
            filters: [QdiscFilterConfig(trafficClass: "replication", flowid: "1:10"),
                      QdiscFilterConfig(trafficClass: "application", flowid: "1:20")])
        let ctx = RunContext(seed: 1, replication: 0)
        return (ctx, try Network(config: .twoSites(rate: .mbit(100), delay: .milliseconds(2), qdisc: htb), context: ctx))
    }

    @Test func controllerRatesReachTheHTBClasses() throws {
        let (ctx, net) = try Self.twoClassLink()
        let shaper = HTBShaper(link: net.link(from: 0, to: 1))
        #expect(shaper.shapedCapacity == 100e6)
        let driver = BandwidthSharesDriver(classes: ["replication", "application"], weights: [1, 1], floor: 0.05, gain: 1)
        // A backlogged replication flow; the application idle.
        let flow = net.openFlow(from: 0, to: 1, trafficClass: .replication, sendBuffer: 4 << 20)
        flow.onSpaceAvailable = { f in _ = f.offer(8 << 20) }
        _ = flow.offer(8 << 20)
        ctx.sim.run(until: .seconds(1.0))
        _ = shaper.measure(classes: ["replication", "application"], now: ctx.sim.now)
        ctx.sim.run(until: .seconds(2.0))
        let m = shaper.measure(classes: ["replication", "application"], now: ctx.sim.now)
        // The replication class sends at (nearly) the line rate by borrowing.
        #expect(m[0].arrivalRate > 80e6 && m[1].arrivalRate == 0, "\(m)")
        for r in driver.shape(ShapingInput(now: ctx.sim.now, capacity: shaper.shapedCapacity, classes: m)) { shaper.setRate(r) }
        let hq = try #require(net.link(from: 0, to: 1).root as? HtbQdisc)
        let rep = try #require(hq.leaf(for: .replication)), app = try #require(hq.leaf(for: .application))
        #expect(rep.rate.bitsPerSecond > app.rate.bitsPerSecond)
        #expect(abs(Double(rep.rate.bitsPerSecond + app.rate.bitsPerSecond) - 100e6) < 10)
        #expect(app.rate.bitsPerSecond >= 5_000_000 && rep.ceil.bitsPerSecond == 100_000_000)
    }

    /// Data still held by a class's senders (DRBD's backlog) counts as its backlog when it
    /// exceeds the leaf queue (it contains the leaf queue, so the two are not added), and the
    /// driver then gives that class more of the link.
    @Test func senderBacklogRaisesTheClassDemand() throws {
        let (ctx, net) = try Self.twoClassLink()
        let shaper = HTBShaper(link: net.link(from: 0, to: 1))
        let classes = ["replication", "application"]
        let idle = shaper.measure(classes: classes, now: ctx.sim.now)
        #expect(idle.map(\.backlogBytes) == [0, 0])
        shaper.senderBacklog = { $0 == "replication" ? 60_000_000 : 0 }
        let held = shaper.measure(classes: classes, now: ctx.sim.now)
        #expect(held.map(\.backlogBytes) == [60_000_000, 0])
        // demand = arrival + 8 B / horizon (10 s): 48 Mbit/s for replication, the 5 Mbit/s floor
        // for the app; the 47 Mbit/s spare split by equal weights: 71.5 vs 28.5 (smoothing 1)
        let driver = BandwidthSharesDriver(classes: classes, weights: [1, 1], floor: 0.05, gain: 1)
        let withHeld = driver.shape(ShapingInput(now: ctx.sim.now, capacity: 100e6, classes: held))
        let without = BandwidthSharesDriver(classes: classes, weights: [1, 1], floor: 0.05, gain: 1)
            .shape(ShapingInput(now: ctx.sim.now, capacity: 100e6, classes: idle))
        let rep = try #require(withHeld.first { $0.trafficClass == "replication" }?.rate)
        let rep0 = try #require(without.first { $0.trafficClass == "replication" }?.rate)
        #expect(rep0 == 50e6)
        #expect(abs(rep - 71.5e6) < 1, "\(withHeld) vs \(without)")
    }
}
