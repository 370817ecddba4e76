/// A growable FIFO ring buffer of values (no per-element allocation, amortised O(1) at both ends).
///
/// DRLNetwork's queues (qdisc bands, the wire of a link, a flow's segment table) are FIFOs of
/// small value types; this keeps them contiguous and allocation-free in steady state.
public struct Ring<Element> {
    @usableFromInline var storage: [Element?]
    @usableFromInline var head = 0
    /// The number of stored elements.
    public private(set) var count = 0

    /// An empty ring with room for `capacity` elements before it grows.
    public init(capacity: Int = 16) {
        storage = Array(repeating: nil, count: Swift.max(4, capacity))
    }

    /// True when the ring holds no element.
    @inlinable public var isEmpty: Bool { count == 0 }

    /// The oldest element, if any.
    @inlinable public var first: Element? { count == 0 ? nil : storage[head] }

    /// The newest element, if any.
    public var last: Element? { count == 0 ? nil : storage[(head + count - 1) % storage.count] }

    /// Appends `x` at the back.
    public mutating func append(_ x: Element) {
        if count == storage.count { grow() }
        var i = head + count
        if i >= storage.count { i -= storage.count }
        storage[i] = x
        count += 1
    }

    /// Inserts `x` at the front.
    public mutating func prepend(_ x: Element) {
        if count == storage.count { grow() }
        head = head == 0 ? storage.count - 1 : head - 1
        storage[head] = x
        count += 1
    }

    /// Removes and returns the oldest element.
    @discardableResult
    public mutating func popFirst() -> Element? {
        guard count > 0 else { return nil }
        let x = storage[head]
        storage[head] = nil
        head += 1
        if head == storage.count { head = 0 }
        count -= 1
        return x
    }

    /// Removes and returns the newest element.
    @discardableResult
    public mutating func popLast() -> Element? {
        guard count > 0 else { return nil }
        var i = head + count - 1
        if i >= storage.count { i -= storage.count }
        let x = storage[i]
        storage[i] = nil
        count -= 1
        return x
    }

    /// The element at logical position `i` (0 = oldest).
    public subscript(i: Int) -> Element {
        get {
            precondition(i >= 0 && i < count, "ring index out of range")
            var j = head + i
            if j >= storage.count { j -= storage.count }
            return storage[j]!
        }
        set {
            precondition(i >= 0 && i < count, "ring index out of range")
            var j = head + i
            if j >= storage.count { j -= storage.count }
            storage[j] = newValue
        }
    }

    /// Inserts `x` at logical position `i`, shifting later elements back (O(count - i)).
    public mutating func insert(_ x: Element, at i: Int) {
        precondition(i >= 0 && i <= count)
        append(x)
        var k = count - 1
        while k > i { self[k] = self[k - 1]; k -= 1 }
        self[i] = x
    }

    /// Removes every element.
    public mutating func removeAll() {
        while count > 0 { popFirst() }
        head = 0
    }

    private mutating func grow() {
        var n: [Element?] = Array(repeating: nil, count: storage.count * 2)
        for i in 0..<count { n[i] = storage[(head + i) % storage.count] }
        storage = n
        head = 0
    }
}

extension Ring: Sendable where Element: Sendable {}
