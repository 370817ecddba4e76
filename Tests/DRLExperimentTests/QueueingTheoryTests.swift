import Testing
import DRLSimCore
import DRLScenario
@testable import DRLExperiment

/// The validation queue against queueing theory, through the whole pipeline (scenario file ->
/// runs -> summary CSV): M/M/1 and M/D/1 at rho = 0.9 must contain the analytic Wq in the 99 %
/// Student-t interval of the replication means.
///
/// Lengths: 20 replications of 20,000 measured customers after 2,000 warm-up customers. For
/// M/M/1 at rho = 0.9 the asymptotic variance of the mean wait is about 3.6e4 / n, so a
/// replication's mean has sd ~1.3-1.5 s (measured) and the 99 % interval is about +-0.9 s wide;
/// the warm-up is ~10 relaxation times, so the empty-start bias is negligible. Per-replication
/// means of M/M/1 are right-skewed, which makes t-intervals slightly undercover: with 10
/// replications, 19 of 20 seeds covered 9.0; 20 replications are used here. The seed is fixed
/// (the scenario default, 1), so the outcome is deterministic.
struct QueueingTheoryTests {
    static func summary(service: String, seed: Int) throws -> (ci: Interval, rows: Int) {
        let yaml = """
        schema: 1
        name: q
        seed: \(seed)
        replications: 20
        queue:
          arrival: {type: exponential, mean: 1.111111111s}
          service: \(service)
          customers: 20000
          warmup: 2000
        """
        let s = try Scenario.parse(yaml: yaml, file: "q.yaml")
        let results = try ExperimentRunner(scenario: s, jobs: 2).execute()
        let set = try ResultSet.build(scenario: s, results: results)
        let t = try #require(set.table("queue_summary"))
        #expect(t.rows.count == 1)
        let c = Dictionary(uniqueKeysWithValues: zip(t.columns, t.rows[0].cells))
        let mean = try #require(Double(c["mean"]!)), low = try #require(Double(c["ci99_low"]!)), high = try #require(Double(c["ci99_high"]!))
        return (Interval(mean: mean, lower: low, upper: high, count: Int(c["replications"]!)!), set.table("queue")?.rows.count ?? 0)
    }

    struct Interval {
        var mean, lower, upper: Double
        var count: Int
        var halfWidth: Double { (upper - lower) / 2 }
        func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
    }

    @Test func mm1WaitingTimeIsNine() throws {
        let (ci, rows) = try Self.summary(service: "{type: exponential, mean: 1s}", seed: 1)
        #expect(rows == 20)
        #expect(ci.count == 20)
        #expect(ci.contains(9.0), "Wq = 9.0 outside \(ci.lower)...\(ci.upper)")
        #expect(ci.halfWidth < 1.5, "interval too wide to test anything: +-\(ci.halfWidth)")
    }

    @Test func md1WaitingTimeIsFourAndAHalf() throws {
        let (ci, _) = try Self.summary(service: "1s", seed: 1)
        #expect(ci.contains(4.5), "Wq = 4.5 outside \(ci.lower)...\(ci.upper)")
        #expect(ci.halfWidth < 0.6, "interval too wide to test anything: +-\(ci.halfWidth)")
    }

    @Test func pollaczekKhinchineValues() {
        let mm1 = SingleServerQueue.Configuration(arrival: .exponential(mean: 1 / 0.9), service: .exponential(mean: 1), customers: 1)
        let md1 = SingleServerQueue.Configuration(arrival: .exponential(mean: 1 / 0.9), service: .constant(1), customers: 1)
        #expect(abs(mm1.theoreticalWaitingTime! - 9.0) < 1e-9)
        #expect(abs(md1.theoreticalWaitingTime! - 4.5) < 1e-9)
        let unstable = SingleServerQueue.Configuration(arrival: .exponential(mean: 1), service: .constant(1), customers: 1)
        #expect(unstable.theoreticalWaitingTime == nil)
    }

    /// Conservation: every arriving customer is served; utilisation = busy / elapsed.
    @Test func smallQueueConservesCustomers() throws {
        let yaml = """
        schema: 1
        queue: {arrival: 2s, service: 1s, customers: 5, warmup: 1}
        """
        let s = try Scenario.parse(yaml: yaml, file: "d.yaml")
        let r = try ExperimentRunner(scenario: s).execute(run: 0)
        // Deterministic D/D/1: arrivals at 2, 4, ..., 12 s, each served 1 s, no wait.
        #expect(r.events == 12)
        #expect(r.durationSeconds == 13)
        let row = try #require(r.tables.first { $0.name == "queue" }?.rows.first)
        #expect(row[0] == .int(5))
        #expect(row[1] == .double(0))
        #expect(row[4] == .double(6.0 / 13.0))
    }

    @Test func linkFormOfTheServiceTime() throws {
        let yaml = """
        schema: 1
        queue: {arrival: 2ms, job_size: 1250b, server_rate: 10mbit, customers: 3}
        """
        let s = try Scenario.parse(yaml: yaml, file: "l.yaml")
        #expect(s.points[0].section(QueueSection.self)?.configuration.service == .constant(0.001))
        let r = try ExperimentRunner(scenario: s).execute(run: 0)
        #expect(r.durationSeconds == 0.007)
    }
}
