import Foundation
import DRLSimCore
import DRLNetwork
import DRLCloud

/// The estate's replication at rate level without the DR layer: N VMs writing the diurnal
/// profile (2 Mbit/s mean, peak 3x) into fluid DRBD volumes over the flow-level WAN
/// (`FlowNetwork`, a 2 Gbit/s two-site WAN), for H hours; the `writes` and `replication`
/// tables at 5 min bins. Measures the fluid model's own cost (Benchmarks/estate.sh runs the
/// whole scenario).
struct FluidEstateBenchmark {
    var vms: Int
    var hours: Double

    struct Result { var events: Int; var wall: Double; var throttledShare: Double; var rows: Int; var reallocations: Int }

    func run() throws -> Result {
        let ctx = RunContext(seed: 16, replication: 0)
        let primary = SiteConfig.primaryDefault, backup = SiteConfig.backupDefault
        let cfg = NetworkConfig.twoSites(primary: primary.name, backup: backup.name, rate: .mbit(2000), delay: .microseconds(2500))
        let net = try FlowNetwork(config: cfg, context: ctx)
        let plane = DataPlane(context: ctx, primary: primary, backup: backup, network: net, replicationBin: .minutes(5))
        plane.rateNetwork = net
        let p = DiurnalProfile(mean: 250_000, peakRatio: 3, period: .seconds(86_400 as Int64), phase: .seconds(50_400 as Int64),
                               step: .minutes(5))
        for i in 0..<vms {
            var spec = VMDescription(name: String(format: "vm%04d", i), volume: VolumeDescription(size: 5 * ByteUnits.GiB, type: .drbd),
                              writes: WorkloadConfig.diurnal(p))
            spec.ephemeralSize = ByteUnits.GiB   // as estate.yaml: the root disk's allocation bitmap is 1 bit per 4 KiB
            try plane.install(spec)
        }
        plane.startWorkloads(at: .zero)
        let t0 = Date()
        ctx.sim.run(until: .seconds(hours * 3600))
        plane.service.replicationMonitor.finish()
        plane.flushRateWriters()
        plane.writes.finish()
        let wall = Date().timeIntervalSince(t0)
        let thr = plane.workloads.compactMap { ($0 as? RateWriter)?.device.throttledSeconds }.reduce(0, +)
        let rows = ctx.recorder.rows.values.reduce(0) { $0 + $1.count }
        return Result(events: ctx.sim.eventsExecuted, wall: wall, throttledShare: thr / Double(vms) / (hours * 3600),
                      rows: rows, reallocations: Int(net.reallocations))
    }
}
