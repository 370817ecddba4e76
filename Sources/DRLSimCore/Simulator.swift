/// The discrete-event kernel of one run: a virtual clock and the future event list.
///
/// One `Simulator` per run, single-threaded and passed explicitly (no globals). Semantics
/// follow swift-nio's `EmbeddedEventLoop`: `now` is set to an event's time before its handler
/// runs, time never runs backwards, and same-instant events run in the order
/// `(priority, insertion sequence)`.
public final class Simulator {
    /// The current virtual time.
    @inlinable public var now: SimInstant { clock }
    /// Events executed so far (cancelled events are not counted).
    @inlinable public var eventsExecuted: Int { executed }

    @exclusivity(unchecked) @usableFromInline var clock: SimInstant = .zero
    @exclusivity(unchecked) @usableFromInline var executed: Int = 0

    @exclusivity(unchecked) @usableFromInline var queue = EventQueue()
    @exclusivity(unchecked) @usableFromInline var nextSequence: UInt64 = 0
    @exclusivity(unchecked) @usableFromInline var handlers: [EventHandler] = []
    @exclusivity(unchecked) @usableFromInline var closures: [((Simulator) -> Void)?] = []
    @exclusivity(unchecked) @usableFromInline var freeClosureSlots: [Int] = []
    @exclusivity(unchecked) @usableFromInline var cancelled: Set<UInt64> = []
    @exclusivity(unchecked) @usableFromInline var stopRequested = false

    /// A simulator at time zero with an empty queue.
    public init() {}

    /// Registers `handler` so that events can target it; the simulator keeps it alive.
    public func register(_ handler: EventHandler) -> HandlerID {
        handlers.append(handler)
        return HandlerID(raw: Int32(handlers.count - 1))
    }

    /// The number of pending events (including cancelled events not yet discarded).
    public var pendingEvents: Int { queue.count }

    /// Schedules a value-type event for `handler` at `time`.
    /// - Precondition: `time >= now` (time never runs backwards).
    @inlinable @discardableResult
    public func schedule(at time: SimInstant, priority: Int32 = 0, handler: HandlerID,
                         code: Int32 = 0, argument: Int64 = 0) -> EventID {
        precondition(time >= now, "cannot schedule in the past (\(time) < \(now))")
        let seq = nextSequence
        nextSequence &+= 1
        queue.push(Event(time: time, priority: priority, target: handler.raw, sequence: seq,
                         code: code, argument: argument))
        return EventID(raw: seq)
    }

    /// Schedules a value-type event for `handler` after `delay`.
    @inlinable @discardableResult
    public func schedule(after delay: SimDuration, priority: Int32 = 0, handler: HandlerID,
                         code: Int32 = 0, argument: Int64 = 0) -> EventID {
        schedule(at: now + delay, priority: priority, handler: handler, code: code, argument: argument)
    }

    /// Schedules `action` at `time` (convenient, allocates one closure; use handlers on hot paths).
    @discardableResult
    public func schedule(at time: SimInstant, priority: Int32 = 0, _ action: @escaping (Simulator) -> Void) -> EventID {
        let slot: Int
        if let s = freeClosureSlots.popLast() { slot = s; closures[s] = action } else { slot = closures.count; closures.append(action) }
        return schedule(at: time, priority: priority, handler: HandlerID(raw: -1), code: 0, argument: Int64(slot))
    }

    /// Schedules `action` after `delay`.
    @discardableResult
    public func schedule(after delay: SimDuration, priority: Int32 = 0, _ action: @escaping (Simulator) -> Void) -> EventID {
        schedule(at: now + delay, priority: priority, action)
    }

    /// Cancels a pending event; cancelling an event that already ran or was cancelled is a no-op.
    public func cancel(_ id: EventID) {
        if id.raw < nextSequence { cancelled.insert(id.raw) }
    }

    /// Asks `run` to return after the current event.
    public func stop() { stopRequested = true }

    /// Whether the last `run`/`run(until:)` ended because `stop()` was called.
    public var stoppedEarly: Bool { stopRequested }

    /// Executes the next event, if any. Returns false when the queue is empty.
    @inlinable @discardableResult
    public func step() -> Bool {
        while let e = queue.popMin() {
            if !cancelled.isEmpty, cancelled.remove(e.sequence) != nil {
                if e.target < 0 { releaseClosure(Int(e.argument)) }
                continue
            }
            dispatch(e)
            return true
        }
        return false
    }

    @inlinable func dispatch(_ e: Event) {
        clock = e.time
        executed &+= 1
        if e.target >= 0 {
            handlers[Int(e.target)].handle(e, in: self)
        } else {
            let slot = Int(e.argument)
            let action = closures[slot]!
            releaseClosure(slot)
            action(self)
        }
    }

    @usableFromInline func releaseClosure(_ slot: Int) {
        closures[slot] = nil
        freeClosureSlots.append(slot)
    }

    /// Ends the run: drops every pending event, closure and registered handler.
    ///
    /// Models commonly hold the simulator (or the `RunContext`) while the simulator holds them as
    /// handlers; tearing down breaks that cycle so a finished run's world is freed. The clock and
    /// `eventsExecuted` keep their final values for reporting.
    public func tearDown() {
        queue.removeAll()
        handlers.removeAll()
        closures.removeAll()
        freeClosureSlots.removeAll()
        cancelled.removeAll()
    }

    /// Runs until the queue is empty or `stop()` is called.
    public func run() {
        stopRequested = false
        while !stopRequested, step() {}
    }

    /// Runs every event with `time <= limit`, then sets the clock to exactly `limit`.
    ///
    /// Events after `limit` stay pending, so a later `run(until:)` continues seamlessly.
    public func run(until limit: SimInstant) {
        precondition(limit >= now, "cannot run backwards")
        stopRequested = false
        // The limit is checked before every pop, cancelled events included: stepping over a
        // cancelled event must not run a live event after `limit` (and then set the clock back).
        while !stopRequested, let next = queue.min, next.time <= limit {
            _ = queue.popMin()
            if !cancelled.isEmpty, cancelled.remove(next.sequence) != nil {
                if next.target < 0 { releaseClosure(Int(next.argument)) }
                continue
            }
            dispatch(next)
        }
        if !stopRequested { clock = limit }
    }
}
