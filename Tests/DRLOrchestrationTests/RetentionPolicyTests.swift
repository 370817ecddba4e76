import Testing
import DRLSimCore
import DRLCloud
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

/// `RetentionPolicy` (count and age, never the newest point) and its use by the engine and the
/// orchestrator over the fluid data paths.
@Suite struct RetentionPolicyTests {
    let created: [SimInstant] = [0, 60, 120, 180, 240].map { SimInstant.seconds(Double($0)) }

    @Test func countKeepsTheNewestN() {
        let r = RetentionPolicy(count: 2)
        #expect(r.expired(created: created, now: .seconds(250.0)) == [0, 1, 2])
        #expect(RetentionPolicy(count: 5).expired(created: created, now: .seconds(250.0)).isEmpty)
        #expect(RetentionPolicy(count: 1).expired(created: created, now: .seconds(250.0)) == [0, 1, 2, 3])
    }

    @Test func ageDeletesPointsStrictlyOlderThanIt() {
        let r = RetentionPolicy(age: .seconds(120 as Int64))
        // At 300 s: ages 300, 240, 180, 120, 60; 120 s is not older than 120 s.
        #expect(r.expired(created: created, now: .seconds(300.0)) == [0, 1, 2])
        #expect(r.expired(created: created, now: .seconds(300.000000001)) == [0, 1, 2, 3])
    }

    @Test func theNewestPointNeverExpires() {
        let r = RetentionPolicy(age: .seconds(10 as Int64))
        #expect(r.expired(created: created, now: .seconds(10_000.0)) == [0, 1, 2, 3])
        #expect(r.expired(created: [.seconds(0.0)], now: .seconds(10_000.0)).isEmpty)
        #expect(RetentionPolicy(count: 1, age: .seconds(1 as Int64)).expired(created: [], now: .seconds(5.0)).isEmpty)
    }

    @Test func countAndAgeCombineAsEitherLimit() {
        let r = RetentionPolicy(count: 4, age: .seconds(200 as Int64))
        // count alone expires index 0; age alone (at 300 s) indices 0 and 1.
        #expect(r.expired(created: created, now: .seconds(300.0)) == [0, 1])
        #expect(r.expired(created: created, now: .seconds(241.0)) == [0])
    }

    /// With retention the orchestrator cleans up whenever an execution becomes ready, so the
    /// count holds at all times, not only after the hourly cleanup.
    @Test func orchestratorAppliesRetentionAtEveryNewPoint() throws {
        let ctx = RunContext(seed: 1, replication: 0)
        let paths = FluidDataPaths(context: ctx, capacity: 500e6)
        let e = DREngine(context: ctx, dataPaths: paths)
        e.setWorkload(.paperTranscoder(volumeBytes: 100_000_000, volumeType: .iscsi))
        var config = OrchestratorConfig()
        config.retention = RetentionPolicy(count: 2)
        let o = try DROrchestrator(context: ctx, engine: e, config: config)
        try o.protectAll(tenant: "demo")
        o.start()
        var maxReady = 0
        var t = 0.0
        while t < 3000 {
            t += 10
            ctx.sim.run(until: .seconds(t))
            maxReady = max(maxReady, e.executions.filter { $0.status == .ready }.count)
        }
        // Executions at 300, 600, ..., 3000 s: 10, the last one just started.
        #expect(e.executions.count == 10)
        #expect(maxReady == 2)
        #expect(e.executions.filter { $0.status == .ready }.map(\.start.seconds) == [2400, 2700])
        #expect(paths.deletedContainers == e.executions.prefix(7).map(\.container))
    }
}
