import DRLSimCore
import DRLNetwork

/// A stand-in `RateNetwork` for the fluid tests: one bottleneck of fixed capacity shared by
/// max-min fairness (progressive filling: flows demanding less than an equal share get their
/// demand, the rest split the remainder equally), a fixed one-way delay, no window limit.
/// Every reallocation calls `onRateChange` of each flow whose rate changed, synchronously; a
/// demand set from such a callback queues the next reallocation (as `FlowNetwork` does).
public final class MaxMinRateNetwork: RateNetwork {
    public final class Flow: RateFlow {
        let net: MaxMinRateNetwork   // strong: the tests keep only the flows
        public var demand: Double = 0
        public var rate: Double = 0
        var open = true
        public var onRateChange: ((Double) -> Void)?
        public var oneWayDelay: SimDuration { net.delay }
        init(net: MaxMinRateNetwork) { self.net = net }
        public func setDemand(_ bytesPerSecond: Double) { demand = bytesPerSecond; net.reallocate() }
        public func close() { open = false; net.flows.removeAll { $0 === self }; net.reallocate() }
    }
    /// Capacity in bytes per second.
    public var capacity: Double { didSet { reallocate() } }
    let delay: SimDuration
    public private(set) var flows: [Flow] = []
    public private(set) var reallocations = 0

    public init(bytesPerSecond: Double, oneWayDelay: SimDuration = .milliseconds(10)) {
        capacity = bytesPerSecond; delay = oneWayDelay
    }

    public func openRateFlow(from source: String, to destination: String, trafficClass: String, maxWindow: Int64) -> RateFlow {
        let f = Flow(net: self)
        flows.append(f)
        return f
    }

    var allocating = false
    var again = false

    func reallocate() {
        if allocating { again = true; return }
        allocating = true
        repeat { again = false; allocate() } while again
        allocating = false
    }

    func allocate() {
        reallocations += 1
        var left = capacity
        var unsat = flows.filter { $0.demand > 0 }
        var alloc: [ObjectIdentifier: Double] = [:]
        while !unsat.isEmpty {
            let share = left / Double(unsat.count)
            let small = unsat.filter { $0.demand <= share }
            if small.isEmpty { for f in unsat { alloc[ObjectIdentifier(f)] = share }; break }
            for f in small { alloc[ObjectIdentifier(f)] = f.demand; left -= f.demand }
            unsat.removeAll { $0.demand <= share }
        }
        for f in flows {
            let r = alloc[ObjectIdentifier(f)] ?? 0
            if r != f.rate { f.rate = r; f.onRateChange?(r) }
        }
    }
}
