/// The kind of traffic a packet belongs to: the `class` column of `traffic.csv` and what tc
/// filters match on (the model's stand-in for an skb mark / DSCP set by the sender).
///
/// A small value (an index into a fixed name table), cheap to carry in every packet.
public struct TrafficClass: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Index into `TrafficClass.names`.
    public let raw: UInt8

    /// Wraps an index; prefer the named constants or `init?(name:)`.
    public init(raw: UInt8) {
        precondition(Int(raw) < TrafficClass.names.count, "unknown traffic class \(raw)")
        self.raw = raw
    }

    /// DRBD volume replication (and resync) traffic.
    public static let replication = TrafficClass(raw: 0)
    /// Volume snapshot uploads to the backup site's object store.
    public static let snapshot = TrafficClass(raw: 1)
    /// VM image copies / uploads.
    public static let image = TrafficClass(raw: 2)
    /// DR metadata (Heat templates, database rows, control messages).
    public static let metadata = TrafficClass(raw: 3)
    /// The protected application's own traffic.
    public static let application = TrafficClass(raw: 4)
    /// The failure detector's pings and votes.
    public static let detector = TrafficClass(raw: 5)
    /// TCP acknowledgements (not counted in `traffic.csv`).
    public static let ack = TrafficClass(raw: 6)

    /// The names used in `traffic.csv` and in `wan.qdisc` filters, indexed by `raw`.
    public static let names = ["replication", "snapshot", "image", "metadata", "application", "detector", "ack"]

    /// Every class, in `raw` order.
    public static let all: [TrafficClass] = (0..<names.count).map { TrafficClass(raw: UInt8($0)) }

    /// The class named `name` (as in traffic.csv), or nil.
    public init?(name: String) {
        guard let i = TrafficClass.names.firstIndex(of: name) else { return nil }
        raw = UInt8(i)
    }

    /// The class's name in traffic.csv.
    public var name: String { TrafficClass.names[Int(raw)] }
    /// A readable form.
    public var description: String { name }
    /// Orders by value.
    public static func < (a: TrafficClass, b: TrafficClass) -> Bool { a.name < b.name }
}
