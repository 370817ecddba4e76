import Testing
@testable import DRLOrchestration

/// `RecoveryGroupScheduler`: groups in ascending priority, the next one only once every unit
/// of the current one ended, at most `concurrency` at once, units in their given order.
struct RecoveryGroupSchedulerTests {
    @Test func groupsInOrderAndTheBoundHolds() {
        // units 0...5 with priorities 2, 1, 1, 2, 1, 3
        var s = RecoveryGroupScheduler(units: [(0, 2), (1, 1), (2, 1), (3, 2), (4, 1), (5, 3)], concurrency: 2)
        #expect(s.groups == [1, 2, 3])
        #expect(s.start() == [1, 2])
        #expect(s.current == 1)
        #expect(s.finished(2) == .init(start: [4], groupEnded: nil))
        #expect(s.finished(1) == .init(start: [], groupEnded: nil))    // 4 still runs: group 2 waits
        #expect(s.runningCount == 1)
        #expect(s.finished(4) == .init(start: [0, 3], groupEnded: 1))
        #expect(s.finished(99) == .init(start: [], groupEnded: nil))   // not running: ignored
        #expect(s.finished(3) == .init(start: [], groupEnded: nil))
        #expect(s.finished(0) == .init(start: [5], groupEnded: 2))
        #expect(s.finished(5) == .init(start: [], groupEnded: 3))
        #expect(s.current == nil)
    }

    @Test func unboundedStartsAWholeGroup() {
        var s = RecoveryGroupScheduler(units: [(0, 1), (1, 1), (2, 1), (3, 5)], concurrency: nil)
        #expect(s.start() == [0, 1, 2])
        _ = s.finished(0); _ = s.finished(1)
        #expect(s.finished(2) == .init(start: [3], groupEnded: 1))
    }

    @Test func noUnitsNoGroups() {
        var s = RecoveryGroupScheduler(units: [], concurrency: 3)
        #expect(s.start().isEmpty && s.current == nil)
    }
}
