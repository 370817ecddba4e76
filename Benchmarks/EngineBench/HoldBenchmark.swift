import DRLSimCore
import Foundation

/// The classic hold model (shared/peers/hold_pq.cc): K pending events; each popped event
/// reschedules itself at now + Exp(1), drawn from splitmix64 seed 42 inside the timed region.
final class HoldBenchmark: EventHandler {
    @exclusivity(unchecked) var rng = SplitMix64(seed: 42)
    @exclusivity(unchecked) var acc = 0.0
    @exclusivity(unchecked) var me = HandlerID(raw: 0)

    func handle(_ event: Event, in sim: Simulator) {
        acc += sim.now.seconds
        sim.schedule(after: SimDuration.seconds(rng.expo(1.0)), handler: me)
    }

    /// Runs `total` events with `pending` events in the queue; returns (events, wall seconds).
    func run(pending k: Int, total: Int) -> (events: Int, wall: Double) {
        let sim = Simulator()
        me = sim.register(self)
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<k { sim.schedule(after: SimDuration.seconds(rng.expo(1.0)), handler: me) }
        while sim.eventsExecuted < total { sim.step() }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        return (sim.eventsExecuted, wall)
    }
}
