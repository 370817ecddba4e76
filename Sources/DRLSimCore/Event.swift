/// A scheduled event: a small value type, so the hot path allocates nothing.
///
/// Events are ordered totally by `(time, priority, sequence)`: earlier time first, then lower
/// priority value, then insertion order. Same-instant, same-priority events therefore run FIFO
/// (ns-3's `(timestamp, uid)` key; SimPy's `(time, priority, id)`).
public struct Event: Sendable {
    /// When the event fires.
    public var time: SimInstant
    /// Tie-breaker among same-instant events: lower runs first.
    public var priority: Int32
    /// Index of the handler in the simulator's registry; `-1` marks a closure event.
    public var target: Int32
    /// Insertion sequence number, unique per simulator; also the event's identity.
    public var sequence: UInt64
    /// Handler-defined event kind.
    public var code: Int32
    /// Handler-defined argument (an index, an id, a byte count).
    public var argument: Int64

    /// An event; `Simulator.schedule` assigns the sequence number.
    @inlinable public init(time: SimInstant, priority: Int32, target: Int32, sequence: UInt64, code: Int32, argument: Int64) {
        self.time = time; self.priority = priority; self.target = target
        self.sequence = sequence; self.code = code; self.argument = argument
    }

    /// The identity used for cancellation.
    @inlinable public var id: EventID { EventID(raw: sequence) }

    /// True when `self` must run before `other` in the total order.
    @inlinable public func precedes(_ other: Event) -> Bool {
        if time.nanoseconds != other.time.nanoseconds { return time.nanoseconds < other.time.nanoseconds }
        if priority != other.priority { return priority < other.priority }
        return sequence < other.sequence
    }
}

/// The identity of a scheduled event, for cancellation.
public struct EventID: Hashable, Sendable {
    /// The event's insertion sequence number.
    public let raw: UInt64
    /// Wraps a sequence number.
    @inlinable public init(raw: UInt64) { self.raw = raw }
}

/// The identity of a registered `EventHandler` within one simulator.
public struct HandlerID: Hashable, Sendable {
    /// Index into the simulator's handler table.
    public let raw: Int32
    /// Wraps a handler index.
    @inlinable public init(raw: Int32) { self.raw = raw }
}
