import DRLSimCore

/// Bytes per traffic class per time bin on one link direction: the rows of `traffic.csv`
/// (interface.md: `t_s, class, bytes, cum_bytes, rate_bps`).
///
/// Bytes are counted when the packet starts serialisation on the link (what an interface
/// counter or `tc -s` would show): wire bytes, i.e. payload plus the link's `Framing` headers,
/// retransmissions included; ACKs are not counted.
public final class TrafficAccount {
    /// Bin width.
    public let bin: SimDuration
    /// Label of the direction (`"umea->lulea"`).
    public let direction: String
    /// bytes[bin][class.raw]
    @exclusivity(unchecked) private(set) var bytes: [[Int64]] = []
    @exclusivity(unchecked) private var seen = [Bool](repeating: false, count: TrafficClass.names.count)

    /// An empty account with bins of `bin`.
    public init(bin: SimDuration, direction: String) {
        precondition(bin.nanoseconds > 0, "traffic bin must be positive")
        self.bin = bin
        self.direction = direction
    }

    /// Adds `n` bytes of class `c` at time `t`.
    @inline(__always) public func add(bytes n: Int64, trafficClass c: TrafficClass, at t: SimInstant) {
        if c == .ack { return }
        let b = Int(t.nanoseconds / bin.nanoseconds)
        while bytes.count <= b { bytes.append([Int64](repeating: 0, count: TrafficClass.names.count)) }
        bytes[b][Int(c.raw)] += n
        seen[Int(c.raw)] = true
    }

    /// Total bytes of class `c` so far.
    public func total(_ c: TrafficClass) -> Int64 { bytes.reduce(0) { $0 + $1[Int(c.raw)] } }

    /// Bytes of class `c` in bin `i`.
    public func bytes(bin i: Int, _ c: TrafficClass) -> Int64 { i < bytes.count ? bytes[i][Int(c.raw)] : 0 }

    /// The rows up to `end`, sorted by time then class name: one row per bin and per class that
    /// carried any traffic during the run (zeros included, so `cum_bytes` is continuous).
    /// Columns: t_s, class, bytes, cum_bytes, rate_bps, direction. The last bin's rate uses the
    /// part of it before `end`.
    public func rows(until end: SimInstant) -> [[RecordValue]] {
        let classes = TrafficClass.all.filter { seen[Int($0.raw)] }.sorted { $0.name < $1.name }
        let nBins = Int((end.nanoseconds + bin.nanoseconds - 1) / bin.nanoseconds)
        let n = max(nBins, bytes.count)
        var cum = [Int64](repeating: 0, count: TrafficClass.names.count)
        var out: [[RecordValue]] = []
        for i in 0..<n {
            let start = Int64(i) * bin.nanoseconds
            let remaining = end.nanoseconds - start
            let w = remaining > 0 && remaining < bin.nanoseconds ? remaining : bin.nanoseconds
            for c in classes {
                let b = i < bytes.count ? bytes[i][Int(c.raw)] : 0
                cum[Int(c.raw)] += b
                out.append([.double(Double(start) / 1e9), .text(c.name), .int(b), .int(cum[Int(c.raw)]),
                            .double(Double(b) * 8e9 / Double(w)), .text(direction)])
            }
        }
        return out
    }
}
