/// A deterministic slice `K/N` of a scenario's runs: the runs whose index `r` has `r % N == K`.
///
/// Round-robin rather than contiguous slices: sweep points usually differ in cost (larger
/// volumes, lower bandwidths take longer), and neighbouring indices are neighbouring points, so
/// striding spreads expensive points evenly over the shards; and every shard gets at most one
/// run more than any other.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// This shard's number, 0-based.
    public var index: Int
    /// The number of shards.
    public var count: Int

    /// Shard `index` of `count`.
    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `K/N` with `0 <= K < N`; returns the reason otherwise.
    public static func parse(_ text: String) -> Result<Shard, ShardError> {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
            return .failure(ShardError(message: "--shard \(text): expected K/N with whole numbers, e.g. 0/4"))
        }
        guard n >= 1 else { return .failure(ShardError(message: "--shard \(text): N must be at least 1")) }
        guard k >= 0, k < n else { return .failure(ShardError(message: "--shard \(text): K must be between 0 and \(n - 1)")) }
        return .success(Shard(index: k, count: n))
    }

    /// True when run `r` belongs to this shard.
    public func contains(_ r: Int) -> Bool { r % count == index }

    /// The runs of `0..<total` in this shard, ascending.
    public func runs(of total: Int) -> [Int] { Array(stride(from: index, to: total, by: count)) }

    /// `K/N`.
    public var description: String { "\(index)/\(count)" }
}

/// A malformed `--shard` argument.
public struct ShardError: Error, Sendable, CustomStringConvertible {
    /// One line.
    public var message: String
    /// The message.
    public var description: String { message }
}
