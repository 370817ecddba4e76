/// Which recovery units (VMs) start when: groups in ascending priority, the next group once
/// every unit of the current one has ended, at most `concurrency` units running at once within
/// a group, each group's units in their given order (`RecoveryGroups`; SRM priority groups).
/// Pure: unit ids in, unit ids to start out (no simulator).
public struct RecoveryGroupScheduler: Sendable {
    /// What `finished` tells the driver.
    public struct Step: Sendable, Hashable {
        /// Units to start now, in order.
        public var start: [Int]
        /// The priority group that ended with this unit, if one did.
        public var groupEnded: Int?
    }
    /// Units running at once within a group (nil: unbounded).
    public let concurrency: Int?
    /// The groups' priorities in ascending order.
    public let groups: [Int]
    private var queue: [Int: [Int]] = [:]
    private var running: Set<Int> = []
    private var left = 0
    private var group = -1

    /// A scheduler of `units` (id, priority) in the given order; `concurrency` >= 1 or nil.
    public init(units: [(id: Int, priority: Int)], concurrency: Int?) {
        precondition(concurrency.map { $0 >= 1 } ?? true, "concurrency must be at least 1")
        self.concurrency = concurrency
        for u in units { queue[u.priority, default: []].append(u.id) }
        groups = queue.keys.sorted()
    }

    /// The priority group running now (nil before `start` and after the last group).
    public var current: Int? { group >= 0 && group < groups.count ? groups[group] : nil }
    /// Units running now.
    public var runningCount: Int { running.count }

    /// Starts the first group: the units to start now.
    public mutating func start() -> [Int] { group = -1; return nextGroup() }

    /// Unit `id` ended (recovered or failed): the units to start now and the group that ended.
    public mutating func finished(_ id: Int) -> Step {
        guard running.remove(id) != nil else { return Step(start: [], groupEnded: nil) }
        left -= 1
        if left == 0 {
            let ended = current
            return Step(start: nextGroup(), groupEnded: ended)
        }
        return Step(start: fill(), groupEnded: nil)
    }

    private mutating func nextGroup() -> [Int] {
        group += 1
        guard let g = current else { return [] }
        left = queue[g]?.count ?? 0
        return fill()
    }

    private mutating func fill() -> [Int] {
        guard let g = current else { return [] }
        var out: [Int] = []
        while var q = queue[g], !q.isEmpty, running.count < (concurrency ?? Int.max) {
            let u = q.removeFirst()
            queue[g] = q
            running.insert(u)
            out.append(u)
        }
        return out
    }
}
