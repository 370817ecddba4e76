import DRLSimCore
import DRLCloud
import DRLOrchestration

/// A fluid (processor-sharing) model of one WAN direction with HTB-like class shares.
///
/// A stand-in for DRLNetwork's packet-level WAN when only transfer times matter: every active
/// flow is backlogged, so the link is always fully used. Without class shares, flows share the
/// capacity equally (TCP-fair). With shares, each active class first gets its `rate` (scaled
/// down if the active rates exceed the capacity), then the remainder is water-filled among the
/// active classes in proportion to their rates up to their `ceil` (HTB borrowing; tc-htb(8));
/// flows share their class equally. Transfer time is exactly bytes / allocated rate between
/// changes (Kleinrock's processor-sharing queue).
public final class FluidLink {
    /// The rate and ceiling of a traffic class, bits/s.
    public struct Share: Sendable, Hashable {
        /// Guaranteed rate.
        public var rate: Double
        /// Upper bound with borrowing.
        public var ceil: Double
        /// A share.
        public init(rate: Double, ceil: Double) { self.rate = rate; self.ceil = ceil }
    }
    struct Flow {
        var id: Int
        var trafficClass: String
        var remaining: Double
        var sent: Double
        var rate: Double
        var completion: (Bool, Int64) -> Void
    }
    /// Capacity, bits/s.
    public let capacity: Double
    private let sim: Simulator
    private var shares: [String: Share] = [:]
    private(set) var flows: [Flow] = []
    private var nextID = 0
    private var lastUpdate: SimInstant
    private var pending: EventID?
    /// True while the link is blocked (the paper's iptables rule).
    public private(set) var isBlocked = false
    /// Bytes delivered per class (classes in first-use order).
    public private(set) var delivered: [(trafficClass: String, bytes: Double)] = []

    /// A link of `capacity` bits/s.
    public init(sim: Simulator, capacity: Double) {
        precondition(capacity > 0, "capacity must be positive")
        self.sim = sim; self.capacity = capacity; self.lastUpdate = sim.now
    }

    /// Sets (or with nil removes) the share of `trafficClass`.
    public func setShare(_ trafficClass: String, _ share: Share?) {
        advance(); shares[trafficClass] = share; reschedule()
    }
    /// The share of `trafficClass`.
    public func share(_ trafficClass: String) -> Share? { shares[trafficClass] }

    /// Starts sending `bytes` in `trafficClass`; `completion(ok, bytesSent)` runs when done or aborted.
    @discardableResult
    public func send(_ bytes: Int64, trafficClass: String, completion: @escaping (Bool, Int64) -> Void) -> Int {
        let id = nextID; nextID += 1
        if isBlocked { completion(false, 0); return id }
        if bytes <= 0 { completion(true, 0); return id }
        advance()
        flows.append(Flow(id: id, trafficClass: trafficClass, remaining: Double(bytes), sent: 0, rate: 0, completion: completion))
        reschedule()
        return id
    }
    /// Aborts flow `id` (its completion reports failure).
    public func abort(_ id: Int) {
        advance()
        guard let i = flows.firstIndex(where: { $0.id == id }) else { return }
        let f = flows.remove(at: i)
        reschedule()
        f.completion(false, Int64(f.sent.rounded()))
    }
    /// Blocks the link: every flow fails, new ones fail at once.
    public func block() {
        advance()
        isBlocked = true
        let failed = flows
        flows.removeAll()
        reschedule()
        for f in failed { f.completion(false, Int64(f.sent.rounded())) }
    }
    /// Unblocks the link.
    public func unblock() { isBlocked = false }
    /// The number of active flows.
    public var activeFlows: Int { flows.count }
    /// Current rate of every active class, bits/s, in class-name order.
    public var classRates: [(trafficClass: String, rate: Double)] {
        var m: [String: Double] = [:]
        for f in flows { m[f.trafficClass, default: 0] += f.rate }
        return m.keys.sorted().map { ($0, m[$0]!) }
    }
    /// Bytes delivered so far in `trafficClass` (up to the current instant).
    public func deliveredBytes(_ trafficClass: String) -> Double {
        advance()
        return delivered.first { $0.trafficClass == trafficClass }?.bytes ?? 0
    }

    private func addDelivered(_ c: String, _ b: Double) {
        if let i = delivered.firstIndex(where: { $0.trafficClass == c }) { delivered[i].bytes += b } else { delivered.append((c, b)) }
    }

    func advance() {
        let now = sim.now
        let dt = (now - lastUpdate).seconds
        lastUpdate = now
        guard dt > 0 else { return }
        for i in flows.indices {
            let b = min(flows[i].remaining, flows[i].rate * dt / 8)
            flows[i].remaining -= b; flows[i].sent += b
            addDelivered(flows[i].trafficClass, b)
        }
    }

    private func allocate() {
        guard !flows.isEmpty else { return }
        if shares.isEmpty {
            let r = capacity / Double(flows.count)
            for i in flows.indices { flows[i].rate = r }
            return
        }
        var classes: [String] = []
        for f in flows where !classes.contains(f.trafficClass) { classes.append(f.trafficClass) }
        classes.sort()
        let spec = classes.map { shares[$0] ?? Share(rate: 0, ceil: capacity) }
        var alloc = spec.map(\.rate)
        let total = alloc.reduce(0, +)
        if total > capacity { alloc = alloc.map { $0 * capacity / total } }
        var left = capacity - alloc.reduce(0, +)
        var open = Set(classes.indices.filter { alloc[$0] < min(spec[$0].ceil, capacity) })
        while left > 1e-6, !open.isEmpty {
            let idx = open.sorted()
            let weights = idx.map { max(spec[$0].rate, 1e-3 * capacity) }
            let wsum = weights.reduce(0, +)
            var used = 0.0
            var closed: [Int] = []
            for (k, c) in idx.enumerated() {
                let want = left * weights[k] / wsum
                let room = min(spec[c].ceil, capacity) - alloc[c]
                let give = min(want, room)
                alloc[c] += give; used += give
                if give >= room - 1e-9 { closed.append(c) }
            }
            left -= used
            for c in closed { open.remove(c) }
            if used < 1e-9 { break }
        }
        for (k, c) in classes.enumerated() {
            let n = flows.filter { $0.trafficClass == c }.count
            for i in flows.indices where flows[i].trafficClass == c { flows[i].rate = alloc[k] / Double(n) }
        }
    }

    private func reschedule() {
        if let p = pending { sim.cancel(p); pending = nil }
        allocate()
        var soonest: SimDuration?
        for f in flows where f.rate > 0 {
            let d = SimDuration.transmission(bytes: Int64(f.remaining.rounded(.up)), bitsPerSecond: f.rate)
            if soonest == nil || d < soonest! { soonest = d }
        }
        guard let d = soonest else { return }
        pending = sim.schedule(after: max(d, .nanoseconds(1))) { [weak self] _ in self?.fire() }
    }

    private func fire() {
        pending = nil
        advance()
        var done: [Flow] = []
        flows.removeAll { f in
            if f.remaining < 1.0 { done.append(f); return true }
            return false
        }
        for f in done where f.remaining > 0 { addDelivered(f.trafficClass, f.remaining) }
        reschedule()
        for f in done { f.completion(true, Int64((f.sent + f.remaining).rounded())) }
    }
}

extension FluidLink: TrafficShaping {
    /// The link capacity.
    public var shapedCapacity: Double { capacity }
    /// Backlog = bytes left in the class's flows; the fluid model has no arrival process (0).
    public func measure(classes: [String], now: SimInstant) -> [ShapingInput.ClassState] {
        advance()
        return classes.map { c in
            ShapingInput.ClassState(name: c, backlogBytes: flows.filter { $0.trafficClass == c }.reduce(0) { $0 + $1.remaining },
                                    arrivalRate: 0)
        }
    }
    /// Sets the class's share.
    public func setRate(_ setting: RateSetting) {
        setShare(setting.trafficClass, Share(rate: setting.rate, ceil: setting.ceil))
    }
}
