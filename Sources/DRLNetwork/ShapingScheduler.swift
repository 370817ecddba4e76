import DRLSimCore

/// Drives a `ShapingSchedule` on one link: at each occurrence it changes the root tbf
/// (`TbfQdisc.change`: `tc qdisc change ... tbf rate R`) or an htb class (`HtbClass.change`:
/// `tc class change ... htb rate R ceil C`, buckets kept) and runs the device queue, then
/// reports the change (`onChange`) so the caller can record it.
///
/// Simplification: the device is kicked at the change instant (Linux runs the queue at the next
/// enqueue or watchdog expiry, which a backlogged sender triggers at once).
public final class ShapingScheduler {
    /// What a change did: the class id (`root` for a root tbf), the new rate and ceil.
    public struct Applied: Sendable, Equatable {
        /// When it happened.
        public var at: SimInstant
        /// `root` for the root tbf, else the htb class id.
        public var classid: String
        /// The new rate.
        public var rate: Rate
        /// The new ceil (the rate for tbf).
        public var ceil: Rate
    }

    /// Errors found when binding a schedule to a link.
    public enum BindError: Error, Equatable, CustomStringConvertible {
        /// The link's root qdisc is neither tbf nor htb.
        case notShaping(kind: String)
        /// A class id the htb does not have.
        case unknownClass(String)
        /// An htb step without a class when the htb has not exactly one root class.
        case ambiguousRoot
        /// A class step on a tbf.
        case classOnTbf(String)

        public var description: String {
            switch self {
            case .notShaping(let k): return "a schedule needs a shaping root qdisc (tbf or htb), not \(k)"
            case .unknownClass(let c): return "no htb class \(c)"
            case .ambiguousRoot: return "the htb has several root classes: name one with class:"
            case .classOnTbf(let c): return "class \(c) given but the root qdisc is tbf (no classes)"
            }
        }
    }

    /// The schedule.
    public let schedule: ShapingSchedule
    /// The shaped link.
    public let link: Link
    /// Called after each change.
    @exclusivity(unchecked) public var onChange: ((Applied) -> Void)?
    /// Changes applied so far.
    @exclusivity(unchecked) public private(set) var applied = 0
    @exclusivity(unchecked) private var next = 0

    /// Binds `schedule` to `link`; throws when a step cannot apply to the link's root qdisc.
    public init(schedule: ShapingSchedule, link: Link) throws(BindError) {
        self.schedule = schedule
        self.link = link
        for s in schedule.steps { _ = try target(s) }
    }

    private enum Target { case tbf(TbfQdisc), htb(HtbClass) }

    private func target(_ s: ShapingSchedule.Step) throws(BindError) -> Target {
        if let t = link.root as? TbfQdisc {
            if let c = s.classid { throw .classOnTbf(c) }
            return .tbf(t)
        }
        guard let h = link.root as? HtbQdisc else { throw .notShaping(kind: link.root.kind) }
        if let c = s.classid {
            guard let cl = h.htbClass(c) else { throw .unknownClass(c) }
            return .htb(cl)
        }
        let roots = h.classes.filter { $0.parent == nil }
        guard roots.count == 1 else { throw .ambiguousRoot }
        return .htb(roots[0])
    }

    /// Schedules the first change (call once, at or before its instant).
    public func start() { scheduleNext() }

    private func scheduleNext() {
        guard let t = schedule.instant(ofOccurrence: next) else { return }
        let sim = link.sim
        sim.schedule(at: max(t, sim.now)) { [self] _ in fire() }
    }

    private func fire() {
        let s = schedule.step(ofOccurrence: next)
        next += 1
        let now = link.sim.now
        let result: Applied
        switch try! target(s) {
        case .tbf(let t):
            t.change(rate: s.rate)
            result = Applied(at: now, classid: "root", rate: t.rate, ceil: t.rate)
        case .htb(let c):
            c.change(rate: s.rate, ceil: s.ceil)
            result = Applied(at: now, classid: c.classid, rate: c.rate, ceil: c.ceil)
        }
        applied += 1
        link.kick()
        onChange?(result)
        scheduleNext()
    }
}
