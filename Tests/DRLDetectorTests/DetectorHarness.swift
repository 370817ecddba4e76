import DRLSimCore
@testable import DRLDetector

/// A run of the paper's two sites (umea = 0 with 6 hosts, lulea = 1 with 3) watching each
/// other over a `FixedDelayTransport` (WAN 2.5 ms, LAN 0.1 ms one way).
struct DetectorHarness {
    let ctx: RunContext
    let transport: FixedDelayTransport
    let deployment: DetectorDeployment

    init(config: DetectorConfig = DetectorConfig(), witness: Bool = false, seed: UInt64 = 1,
         faults: [ScheduledDetectorFault] = [], wanLoss: Double = 0) throws {
        ctx = RunContext(seed: seed, replication: 0)
        transport = FixedDelayTransport(sim: ctx.sim, random: ctx.stream("detector.transport"))
        if wanLoss > 0 { transport.setLoss(from: 0, to: 1, wanLoss); transport.setLoss(from: 1, to: 0, wanLoss) }
        deployment = try DetectorDeployment.install(in: ctx, config: config, topology: .primaryBackup(witness: witness),
                                                    transport: transport, faults: faults)
    }

    func run(until s: Double) { ctx.sim.run(until: .seconds(s)) }

    /// Decisions about `site`.
    func decisions(about site: Int) -> [DetectorDecision] { deployment.decisions.filter { $0.site == site } }

    /// Rows of the detector table with `event`.
    func rows(_ event: DetectorEvent) -> [[RecordValue]] {
        (ctx.recorder.rows[DetectorDeployment.table] ?? []).filter { $0[2] == .text(event.rawValue) }
    }
}
