import DRLSimCore
import DRLDetector
import Foundation

/// The detector's benchmark (issue 5): 24 simulated hours of the paper's two sites with 3
/// detectors each watching the other over fixed delays (WAN 2.5 ms, LAN 0.1 ms) with 1 %
/// random loss on every WAN message, defaults otherwise (back-to-back rounds, 100 ms x 5).
struct DetectorBenchmark {
    var hours: Double = 24
    var retries = 5
    var fast = true

    func run() -> (events: Int, wall: Double, rounds: Int, internalFP: Int, falseFailovers: Int) {
        let ctx = RunContext(seed: 11, replication: 0)
        let tr = FixedDelayTransport(sim: ctx.sim, random: ctx.stream("detector.transport"))
        tr.setLoss(from: 0, to: 1, 0.01)
        tr.setLoss(from: 1, to: 0, 0.01)
        var c = DetectorConfig()
        c.pingRetries = retries
        c.fastRounds = fast
        let t0 = DispatchTime.now().uptimeNanoseconds
        let d = try! DetectorDeployment.install(in: ctx, config: c, topology: .primaryBackup(), transport: tr)
        ctx.sim.run(until: .seconds(hours * 3600))
        d.finish()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        let t = d.totals()
        return (ctx.sim.eventsExecuted, wall, t.rounds, t.internalFalsePositives, t.falseFailovers)
    }
}
