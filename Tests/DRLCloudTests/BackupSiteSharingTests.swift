import Testing
import DRLSimCore
@testable import DRLCloud

/// The backup site's shared restore throughput (processor sharing) and Nova's build slots,
/// against answers derived by hand from the PS rule (n jobs each served at 1/n) and
/// nova.conf's `max_concurrent_builds`.
@Suite struct BackupSiteSharingTests {
    /// A 190 MB image at Glance's 40 MB/s alone: 4.75 s.
    static let alone = SimDuration.transmission(bytes: 190_000_000, bitsPerSecond: 40e6 * 8)

    /// `ms` milliseconds.
    static func d(_ ms: Int64) -> SimDuration { SimDuration.milliseconds(ms) }

    /// Runs restores of `works` arriving at `arrivals` and returns their completion instants (ms).
    static func run(_ works: [SimDuration], at arrivals: [SimDuration]) -> [Int64] {
        let sim = Simulator()
        let shared = SharedRestores(sim: sim)
        var ends = [Int64](repeating: -1, count: works.count)
        for i in works.indices {
            let t: SimInstant = SimInstant.zero + arrivals[i]
            sim.schedule(at: t) { (s: Simulator) in shared.restore(work: works[i]) { ends[i] = s.now.nanoseconds / 1_000_000 } }
        }
        sim.run()
        let exact = ends.allSatisfy { $0 >= 0 }
        #expect(exact)
        return ends
    }

    @Test func oneRestoreTakesItsTimeAlone() {
        let w: SimDuration = Self.alone
        #expect(w == Self.d(4750))
        let ends: [Int64] = Self.run([w], at: [Self.d(3000)])
        #expect(ends == [7750])
    }

    @Test func twoEqualRestoresStartedTogetherEachTakeTwiceAlone() {
        let w: SimDuration = Self.alone
        let ends: [Int64] = Self.run([w, w], at: [Self.d(0), Self.d(0)])
        #expect(ends == [9500, 9500])
    }

    /// A (work W = 4.75 s) alone until W/2, then B (work W) joins: A's last W/2 at half rate
    /// takes W, so A ends at 1.5 W = 7.125 s; B got W/2 of service by then and finishes its other
    /// W/2 alone at 2 W = 9.5 s.
    @Test func aRestoreJoiningHalfwayFinishesAtThePSAnswer() {
        let w: SimDuration = Self.alone
        let ends: [Int64] = Self.run([w, w], at: [Self.d(0), Self.d(2375)])
        #expect(ends == [7125, 9500])
    }

    /// Three unequal jobs together (3, 1, 2 s alone): the 1 s job ends at 3 s (1/3 rate), the
    /// 2 s job has 1 s left and ends 2 s later (1/2 rate) at 5 s, the 3 s job's last 1 s alone at
    /// 6 s: the server is busy exactly the sum of the works (work conserved).
    @Test func unequalJobsEndInPSOrderAndConserveWork() {
        let ends: [Int64] = Self.run([Self.d(3000), Self.d(1000), Self.d(2000)], at: [Self.d(0), Self.d(0), Self.d(0)])
        #expect(ends == [6000, 3000, 5000])
    }

    @Test func pureServerAdvancesOnlyAtEvents() {
        var ps = RestoreThroughput()
        let z = SimInstant.zero
        var done: [Int] = ps.arrive(0, work: Self.d(2000), at: z)
        #expect(done.isEmpty)
        #expect(ps.nextCompletion == z + Self.d(2000))
        done = ps.arrive(1, work: Self.d(2000), at: z + Self.d(1000))
        #expect(done.isEmpty)
        #expect(ps.nextCompletion == z + Self.d(3000))
        done = ps.advance(to: z + Self.d(3000))
        #expect(done == [0])
        #expect(ps.nextCompletion == z + Self.d(4000))
        done = ps.arrive(2, work: .zero, at: z + Self.d(3000))
        #expect(done == [2])
    }

    /// 25 boots of 6 s on one host with max_concurrent_builds 10: waves of 10, 10, 5 end at
    /// 6, 12 and 18 s (3 boot waves).
    @Test func twentyFiveBootsOnOneHostTakeThreeWaves() {
        let sim = Simulator()
        var slots = BuildSlots(hosts: 1, limit: 10)
        var waiting: [Int: (Int) -> Void] = [:]
        var ends: [Int64] = []
        func boot(_ id: Int) {
            let begin: (Int) -> Void = { host in
                sim.schedule(after: Self.d(6000)) { (s: Simulator) in
                    ends.append(s.now.nanoseconds / 1_000_000)
                    if let n = slots.release(host: host) { waiting.removeValue(forKey: n.id)!(n.host) }
                }
            }
            if let h = slots.request(id) { begin(h) } else { waiting[id] = begin }
        }
        for i in 0..<25 { boot(i) }
        #expect(slots.queued == 15)
        sim.run()
        var waves: [Int64: Int] = [:]
        for e in ends { waves[e, default: 0] += 1 }
        #expect(waves == [6000: 10, 12000: 10, 18000: 5])
    }

    /// Placement spreads: 4 builds on 2 hosts of limit 2 go 0, 1, 0, 1; a fifth waits and takes
    /// the first slot freed.
    @Test func buildsSpreadOverHostsThenQueue() {
        var slots = BuildSlots(hosts: 2, limit: 2)
        let hosts: [Int?] = (0..<4).map { slots.request($0) }
        #expect(hosts == [0, 1, 0, 1])
        let fifth: Int? = slots.request(4)
        #expect(fifth == nil)
        let next = slots.release(host: 1)
        #expect(next?.id == 4)
        #expect(next?.host == 1)
        let none = slots.release(host: 0)
        #expect(none == nil)
    }
}
