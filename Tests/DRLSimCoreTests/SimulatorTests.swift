import Testing
@testable import DRLSimCore

/// Records every event it receives, with the clock at delivery.
final class Probe: EventHandler {
    var seen: [(code: Int32, arg: Int64, at: SimInstant)] = []
    func handle(_ event: Event, in sim: Simulator) {
        #expect(sim.now == event.time)
        seen.append((event.code, event.argument, sim.now))
    }
}

@Suite("Simulator")
struct SimulatorTests {
    @Test("time never runs backwards over random schedules")
    func monotoneTime() {
        let sim = Simulator()
        let probe = Probe()
        let h = sim.register(probe)
        let s = RandomStream(name: "t", rawSeed: 42)
        for i in 0..<5000 {
            sim.schedule(at: SimInstant(nanoseconds: Int64(s.uniformInt(1_000_000))), handler: h, argument: Int64(i))
        }
        sim.run()
        #expect(probe.seen.count == 5000)
        for (a, b) in zip(probe.seen, probe.seen.dropFirst()) { #expect(a.at <= b.at) }
        #expect(sim.eventsExecuted == 5000)
    }

    @Test("same-instant events run in insertion order; priority breaks ties first")
    func fifoTies() {
        let sim = Simulator()
        let probe = Probe()
        let h = sim.register(probe)
        let t = SimInstant.seconds(1)
        for i in 0..<100 { sim.schedule(at: t, handler: h, argument: Int64(i)) }
        sim.schedule(at: t, priority: -1, handler: h, code: 9, argument: -1)
        sim.run()
        #expect(probe.seen.first?.code == 9)
        #expect(probe.seen.dropFirst().map(\.arg) == (0..<100).map(Int64.init))
    }

    @Test("closure and value events interleave in one total order")
    func mixedOrder() {
        let sim = Simulator()
        var order: [Int] = []
        let probe = Probe()
        let h = sim.register(probe)
        sim.schedule(at: .seconds(2)) { _ in order.append(2) }
        sim.schedule(at: .seconds(1), handler: h)
        sim.schedule(at: .seconds(1)) { _ in order.append(1) }
        sim.run()
        #expect(order == [1, 2])
        #expect(probe.seen.count == 1)
        #expect(sim.now == .seconds(2))
    }

    @Test("a cancelled event never runs; cancelling twice or after running is harmless")
    func cancellation() {
        let sim = Simulator()
        var ran: [Int] = []
        let a = sim.schedule(at: .seconds(1)) { _ in ran.append(1) }
        sim.schedule(at: .seconds(2)) { _ in ran.append(2) }
        let c = sim.schedule(at: .seconds(3)) { _ in ran.append(3) }
        sim.cancel(a)
        sim.cancel(a)
        sim.run(until: .seconds(2.5))
        sim.cancel(c)
        sim.run()
        #expect(ran == [2])
        #expect(sim.eventsExecuted == 1)
        sim.cancel(c)
    }

    @Test("run(until:) runs events at the limit, stops exactly there, and continues later")
    func runUntil() {
        let sim = Simulator()
        var ran: [Double] = []
        for t in [0.5, 1.0, 1.0000001, 2.0] { sim.schedule(at: .seconds(t)) { s in ran.append(s.now.seconds) } }
        sim.run(until: .seconds(1))
        #expect(ran == [0.5, 1.0])
        #expect(sim.now == .seconds(1))
        #expect(sim.pendingEvents == 2)
        sim.run(until: .seconds(10))
        #expect(ran.count == 4)
        #expect(sim.now == .seconds(10))
    }

    @Test("run(until:) stepping over a cancelled event inside the limit does not run a later event")
    func runUntilSkipsCancelledInsideLimit() {
        let sim = Simulator()
        var ran: [Double] = []
        let c = sim.schedule(at: .seconds(1)) { s in ran.append(s.now.seconds) }
        sim.schedule(at: .seconds(3)) { s in ran.append(s.now.seconds) }
        sim.cancel(c)
        sim.run(until: .seconds(2))
        // The event at 3 s is after the limit: it stays pending, and the clock stands at 2 s.
        #expect(ran.isEmpty)
        #expect(sim.now == .seconds(2))
        #expect(sim.pendingEvents == 1)
        sim.run(until: .seconds(3))
        #expect(ran == [3.0])
        #expect(sim.eventsExecuted == 1)
    }

    @Test("an empty queue ends the run; step reports it")
    func emptyQueue() {
        let sim = Simulator()
        sim.run()
        #expect(sim.step() == false)
        #expect(sim.now == .zero)
        sim.schedule(after: .milliseconds(5)) { s in s.schedule(after: .milliseconds(5)) { _ in } }
        sim.run()
        #expect(sim.now == SimInstant(nanoseconds: 10_000_000))
        #expect(sim.eventsExecuted == 2)
    }

    @Test("stop() ends run after the current event")
    func stopEarly() {
        let sim = Simulator()
        var n = 0
        for i in 1...10 { sim.schedule(at: .seconds(Double(i))) { s in n += 1; if n == 3 { s.stop() } } }
        sim.run()
        #expect(n == 3)
        #expect(sim.now == .seconds(3))
    }

    @Test("the event queue pops in (time, priority, sequence) order")
    func queueOrder() {
        var q = EventQueue()
        let s = RandomStream(name: "q", rawSeed: 7)
        for i in 0..<2000 {
            q.push(Event(time: SimInstant(nanoseconds: Int64(s.uniformInt(50))), priority: Int32(s.uniformInt(3)),
                         target: 0, sequence: UInt64(i), code: 0, argument: 0))
        }
        var prev: Event? = nil
        while let e = q.popMin() {
            if let p = prev { #expect(p.precedes(e)) }
            prev = e
        }
    }
}

@Suite("Time")
struct TimeTests {
    @Test("durations are exact integers; conversions round to the nanosecond")
    func arithmetic() {
        #expect(SimDuration.seconds(1.5).nanoseconds == 1_500_000_000)
        #expect(SimDuration.milliseconds(100) * 5 == .milliseconds(500))
        #expect(SimInstant.seconds(2) - SimInstant.seconds(0.5) == .milliseconds(1500))
        // 64 KiB at 500 Mbit/s: 65536 * 8 / 5e8 = 1.048576 ms exactly.
        #expect(SimDuration.transmission(bytes: 65536, bitsPerSecond: 5e8).nanoseconds == 1_048_576)
        // 1500 B at 1 Gbit/s = 12 us.
        #expect(SimDuration.transmission(bytes: 1500, bitsPerSecond: 1e9) == .microseconds(12))
        #expect(SimInstant.distantFuture + SimDuration.seconds(Int64(1)) == SimInstant.distantFuture)
    }
}
