import Testing
@testable import DRLSimCore

@Suite("Random streams and distributions")
struct RandomTests {
    @Test("the same (seed, replication, name) gives the same numbers; any change gives others")
    func streamDerivation() {
        let a = RandomStream(seed: 7, replication: 0, name: "workload.vm1")
        let b = RandomStream(seed: 7, replication: 0, name: "workload.vm1")
        let xs = (0..<10).map { _ in a.uniform() }
        #expect(xs == (0..<10).map { _ in b.uniform() })
        for other in [RandomStream(seed: 8, replication: 0, name: "workload.vm1"),
                      RandomStream(seed: 7, replication: 1, name: "workload.vm1"),
                      RandomStream(seed: 7, replication: 0, name: "workload.vm2")] {
            #expect((0..<10).map { _ in other.uniform() } != xs)
        }
    }

    @Test("a context hands out one stream per name, independent of creation order")
    func contextStreams() {
        let c1 = RunContext(seed: 3, replication: 2)
        let c2 = RunContext(seed: 3, replication: 2)
        _ = c2.stream("other").uniform()
        #expect(c1.stream("x") === c1.stream("x"))
        #expect(c1.stream("x").uniform() == c2.stream("x").uniform())
    }

    static let cases: [Distribution] = [
        .exponential(mean: 2), .uniform(low: 1, high: 3), .normal(mean: 5, sd: 2),
        .lognormal(mu: 0.5, sigma: 0.4), .pareto(shape: 4, scale: 1), .weibull(scale: 2, shape: 1.5),
        .gamma(shape: 3, scale: 0.5), .empirical(values: [1, 2, 10], weights: [0.5, 0.3, 0.2]),
    ]

    @Test("sample means of GSL samplers match the analytic means (99.9 % CI)", arguments: cases)
    func sampleMeans(_ d: Distribution) throws {
        let s = try Sampler(d, stream: RandomStream(seed: 11, replication: 0, name: "\(d)"))
        var st = RunningStatistics()
        let n = 200_000
        for _ in 0..<n { st.add(s.next()) }
        let halfWidth = 3.3 * (d.variance / Double(n)).squareRoot()
        #expect(abs(st.mean - d.mean) <= halfWidth, "\(d): \(st.mean) vs \(d.mean)")
    }

    @Test("invalid parameters are rejected with a typed error")
    func invalid() {
        #expect(throws: GSLError.self) { try Sampler(.exponential(mean: -1), stream: RandomStream(name: "x", rawSeed: 1)) }
        #expect(throws: GSLError.self) { try Sampler(.empirical(values: [1], weights: [0]), stream: RandomStream(name: "x", rawSeed: 1)) }
    }
}

@Suite("Statistics")
struct StatisticsTests {
    @Test("mean, variance, quantiles and the Student-t interval")
    func basics() {
        let x: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        #expect(Statistics.mean(x) == 5)
        #expect(abs(Statistics.variance(x) - 32.0 / 7.0) < 1e-12)
        #expect(Statistics.quantile(x, 0.5) == 4.5)
        #expect(Statistics.quantile(x, 0) == 2 && Statistics.quantile(x, 1) == 9)
        // t_{0.975, 7} = 2.364624 (standard tables).
        #expect(abs(Statistics.studentT(level: 0.95, degreesOfFreedom: 7) - 2.364624) < 1e-5)
        let ci = Statistics.confidenceInterval(x, level: 0.95)
        #expect(abs(ci.halfWidth - 2.364624 * (32.0 / 7.0 / 8.0).squareRoot()) < 1e-5)
        #expect(ci.contains(5) && !ci.contains(8))
        var r = RunningStatistics()
        x.forEach { r.add($0) }
        #expect(abs(r.variance - Statistics.variance(x)) < 1e-12 && r.min == 2 && r.max == 9)
    }
}
