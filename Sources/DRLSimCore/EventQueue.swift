/// The future event list: a binary min-heap of `Event` values keyed by `(time, priority, sequence)`.
///
/// The sequence number makes the order total and stable: the standard library's and
/// swift-collections' heaps are not stable among equal keys, which would break FIFO ties.
/// - Complexity: `push` and `popMin` are O(log n); `min` is O(1).
public struct EventQueue: Sendable {
    @usableFromInline var heap: [Event] = []

    /// An empty queue.
    public init() { heap.reserveCapacity(1024) }

    /// The number of pending events (cancelled ones included until they surface).
    @inlinable public var count: Int { heap.count }
    /// True when no event is pending.
    @inlinable public var isEmpty: Bool { heap.isEmpty }
    /// The next event in the total order, if any.
    @inlinable public var min: Event? { heap.first }

    /// Inserts `e`.
    @inlinable public mutating func push(_ e: Event) {
        heap.append(e)
        var i = heap.count - 1
        heap.withUnsafeMutableBufferPointer { h in
            let x = h[i]
            while i > 0 {
                let p = (i - 1) >> 1
                if x.precedes(h[p]) { h[i] = h[p]; i = p } else { break }
            }
            h[i] = x
        }
    }

    /// Removes and returns the next event in the total order.
    @inlinable public mutating func popMin() -> Event? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        let n = heap.count
        if n > 0 {
            heap.withUnsafeMutableBufferPointer { h in
                var i = 0
                while true {
                    let l = 2 * i + 1
                    if l >= n { break }
                    var c = l
                    let r = l + 1
                    if r < n && h[r].precedes(h[l]) { c = r }
                    if h[c].precedes(last) { h[i] = h[c]; i = c } else { break }
                }
                h[i] = last
            }
        }
        return first
    }

    /// Removes every pending event.
    public mutating func removeAll() { heap.removeAll(keepingCapacity: true) }
}
