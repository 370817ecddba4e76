/// A bitmap with one bit per fixed-size block (DRBD's 4 KiB granularity by default).
///
/// Used for DRBD's out-of-sync bitmap while Ahead or disconnected (drbd-and-tc.md,
/// "Pull-ahead": a block rewritten many times is sent once) and for a volume's allocated
/// blocks (what a backup must read as data rather than zeros).
/// - Complexity: set/clear O(blocks touched); `count` O(1).
public struct BlockBitmap: Sendable, Equatable {
    /// Bytes per bit.
    public let blockSize: Int64
    /// Number of blocks covered.
    public let blockCount: Int64
    /// Number of set bits.
    public private(set) var count: Int64 = 0
    private var words: [UInt64]

    /// A cleared bitmap covering `capacity` bytes at `blockSize` granularity.
    public init(capacity: Int64, blockSize: Int64 = ByteUnits.bitmapBlock) {
        precondition(capacity >= 0 && blockSize > 0)
        self.blockSize = blockSize
        self.blockCount = (capacity + blockSize - 1) / blockSize
        self.words = Array(repeating: 0, count: Int((blockCount + 63) / 64))
    }

    /// Bytes covered by set bits.
    public var setBytes: Int64 { count * blockSize }

    /// The blocks touched by the byte range `[offset, offset+length)`, clamped to the bitmap.
    public func blocks(offset: Int64, length: Int64) -> Range<Int64> {
        guard length > 0 else { return 0..<0 }
        let lo = Swift.max(0, offset / blockSize)
        let hi = Swift.min(blockCount, (offset + length + blockSize - 1) / blockSize)
        return lo..<Swift.max(lo, hi)
    }

    /// Whether block `b` is set.
    public func isSet(_ b: Int64) -> Bool {
        words[Int(b >> 6)] & (1 << UInt64(b & 63)) != 0
    }

    /// Sets the bits of every block the byte range touches; returns how many were newly set.
    @discardableResult
    public mutating func set(offset: Int64, length: Int64) -> Int64 {
        var added: Int64 = 0
        for b in blocks(offset: offset, length: length) {
            let w = Int(b >> 6), m: UInt64 = 1 << UInt64(b & 63)
            if words[w] & m == 0 { words[w] |= m; added += 1 }
        }
        count += added
        return added
    }

    /// Sets every bit (initial full sync).
    public mutating func setAll() {
        for b in 0..<blockCount { words[Int(b >> 6)] |= 1 << UInt64(b & 63) }
        count = blockCount
    }

    /// Clears the bits of blocks entirely inside the byte range; returns how many were cleared.
    @discardableResult
    public mutating func clear(offset: Int64, length: Int64) -> Int64 {
        let lo = (offset + blockSize - 1) / blockSize
        let hi = Swift.min(blockCount, (offset + length) / blockSize)
        guard hi > lo else { return 0 }
        return clear(blocks: lo..<hi)
    }

    /// Clears the bits of `range`; returns how many were cleared.
    @discardableResult
    public mutating func clear(blocks range: Range<Int64>) -> Int64 {
        var removed: Int64 = 0
        for b in range {
            let w = Int(b >> 6), m: UInt64 = 1 << UInt64(b & 63)
            if words[w] & m != 0 { words[w] &= ~m; removed += 1 }
        }
        count -= removed
        return removed
    }

    /// The first run of set bits at or after block `from` (wrapping to 0 once), at most
    /// `maxBlocks` long; nil when no bit is set.
    public func nextRun(from: Int64, maxBlocks: Int64) -> Range<Int64>? {
        guard count > 0 else { return nil }
        if let r = scan(from: from, to: blockCount, maxBlocks: maxBlocks) { return r }
        return scan(from: 0, to: Swift.min(from, blockCount), maxBlocks: maxBlocks)
    }

    private func scan(from: Int64, to: Int64, maxBlocks: Int64) -> Range<Int64>? {
        var b = from
        while b < to {
            let w = Int(b >> 6)
            let bits = words[w] >> UInt64(b & 63)
            if bits == 0 { b = Int64(w + 1) << 6; continue }
            b += Int64(bits.trailingZeroBitCount)
            guard b < to else { return nil }
            var e = b
            while e < blockCount, e - b < maxBlocks, isSet(e) { e += 1 }
            return b..<e
        }
        return nil
    }

    /// The number of set bits among `range`.
    public func count(in range: Range<Int64>) -> Int64 {
        var n: Int64 = 0
        var b = Swift.max(0, range.lowerBound)
        let end = Swift.min(blockCount, range.upperBound)
        while b < end {
            if b & 63 == 0, end - b >= 64 { n += Int64(words[Int(b >> 6)].nonzeroBitCount); b += 64; continue }
            if isSet(b) { n += 1 }
            b += 1
        }
        return n
    }

    /// The set blocks in ascending order (tests and small bitmaps).
    public var setBlocks: [Int64] {
        var out: [Int64] = []
        var b: Int64 = 0
        while let r = scan(from: b, to: blockCount, maxBlocks: Int64.max) {
            out.append(contentsOf: r)
            b = r.upperBound
        }
        return out
    }
}
