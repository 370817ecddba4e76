/// The stable numbering of the runs of a scenario.
///
/// Run `r` is sweep point `r / replications`, replication `r % replications`; run indices are
/// therefore stable for a given scenario (sweep and replications), whatever `--jobs` or
/// `--shard` select.
public struct RunIndex: Sendable, Hashable {
    /// Replications per point.
    public var replications: Int
    /// Sweep points.
    public var points: Int

    /// The numbering of `points` x `replications` runs.
    public init(points: Int, replications: Int) {
        self.points = points
        self.replications = replications
    }

    /// Total runs.
    public var count: Int { points * replications }
    /// The point of run `r`.
    public func point(of r: Int) -> Int { r / replications }
    /// The replication of run `r`.
    public func replication(of r: Int) -> Int { r % replications }
    /// The run of (`point`, `replication`).
    public func run(point: Int, replication: Int) -> Int { point * replications + replication }
}
