import DRLSimCore
import DequeModule
import Foundation

/// The M/M/1 engine benchmark on the exact sample path of shared/peers/ (lambda 0.9, mu 1).
///
/// Inputs come from splitmix64 (interarrival seed 1, service seed 2), generated before timing
/// and converted to integer nanoseconds. Every peer prints mean Wq = 9.030098 for 1,000,000
/// customers; so must this model (the Lindley recursion's value is printed next to it).
final class MM1Benchmark: EventHandler {
    static let arrival: Int32 = 0
    static let departure: Int32 = 1
    let interarrival: [Int64]
    let service: [Int64]
    @exclusivity(unchecked) var nextArrival = 0
    @exclusivity(unchecked) var busy = false
    @exclusivity(unchecked) var waiting = Deque<(arrived: Int64, id: Int)>()
    @exclusivity(unchecked) var sumWaitNs: Int64 = 0
    @exclusivity(unchecked) var served = 0
    @exclusivity(unchecked) var me = HandlerID(raw: 0)

    init(customers n: Int) {
        var ga = SplitMix64(seed: 1), gs = SplitMix64(seed: 2)
        interarrival = (0..<n).map { _ in SimDuration.seconds(ga.expo(0.9)).nanoseconds }
        service = (0..<n).map { _ in SimDuration.seconds(gs.expo(1.0)).nanoseconds }
    }

    func handle(_ event: Event, in sim: Simulator) {
        let now = sim.now.nanoseconds
        if event.code == Self.arrival {
            let id = nextArrival - 1
            if nextArrival < interarrival.count {
                sim.schedule(after: SimDuration(nanoseconds: interarrival[nextArrival]), handler: me, code: Self.arrival)
                nextArrival += 1
            }
            if !busy {
                busy = true
                served += 1
                sim.schedule(after: SimDuration(nanoseconds: service[id]), handler: me, code: Self.departure)
            } else {
                waiting.append((now, id))
            }
        } else if let c = waiting.popFirst() {
            sumWaitNs += now - c.arrived
            served += 1
            sim.schedule(after: SimDuration(nanoseconds: service[c.id]), handler: me, code: Self.departure)
        } else {
            busy = false
        }
    }

    /// Runs the model once; returns (events, wall seconds, mean Wq).
    func run() -> (events: Int, wall: Double, meanWq: Double) {
        let sim = Simulator()
        me = sim.register(self)
        let t0 = DispatchTime.now().uptimeNanoseconds
        sim.schedule(at: SimInstant(nanoseconds: interarrival[0]), handler: me, code: Self.arrival)
        nextArrival = 1
        sim.run()
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return (sim.eventsExecuted, wall, Double(sumWaitNs) / 1e9 / Double(interarrival.count))
    }

    /// The Lindley recursion W_{i+1} = max(0, W_i + S_i - A_{i+1}) on the same inputs, in seconds.
    func lindleyMean() -> Double {
        var w: Int64 = 0, sum: Int64 = 0
        for i in 1..<interarrival.count {
            w = max(0, w + service[i - 1] - interarrival[i])
            sum += w
        }
        return Double(sum) / 1e9 / Double(interarrival.count)
    }
}
