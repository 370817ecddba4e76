import Testing
import DRLSimCore
@testable import DRLDetector

/// Ownership: the simulator keeps the deployment alive; nothing keeps the simulator alive.
@Suite struct LifetimeTests {
    @Test func discardedDeploymentStillRunsAndTheRunIsFreedAfterwards() throws {
        weak var weakSim: Simulator?
        weak var weakDeployment: DetectorDeployment?
        do {
            let ctx = RunContext(seed: 1, replication: 0)
            weakSim = ctx.sim
            weakDeployment = try DetectorDeployment.install(in: ctx, topology: .primaryBackup(),
                                                            faults: [.init(at: .seconds(1), .siteDown(site: 0))])
            ctx.sim.run(until: .seconds(2))
            #expect((ctx.recorder.rows["detector"] ?? []).filter { $0[2] == .text("detection_delay") }.count == 3)
            #expect(weakDeployment != nil)
        }
        #expect(weakSim == nil)
        #expect(weakDeployment == nil)
    }
}
