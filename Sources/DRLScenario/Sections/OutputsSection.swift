import DRLSimCore
import DRLCloud

/// The `outputs:` section: what the world's models record (interface.md "Output files").
///
/// ```yaml
/// outputs:
///   traffic_bin: 10s          # width of a traffic.csv (and storage.csv) bin (Figs 9-10 use 10 s windows)
///   traffic: forward          # forward = primary -> backup only (the tc qdisc the paper measured); both
///   replication_bin: 10s      # period of replication.csv rows (default: traffic_bin)
///   detail: per-resource      # per-resource (one replication.csv row per DRBD resource); total
/// ```
public struct OutputsSection: ScenarioSection {
    public static let key = "outputs"
    public static let summary = "recording options: traffic bin width and directions, replication detail"

    /// Width of a `traffic.csv` bin (default 10 s, interface.md); also the bin of `storage.csv`
    /// (DRLCloud's `VaultRecorder`).
    public var trafficBin: SimDuration = .seconds(10 as Int64)
    /// Account both WAN directions (default false: primary -> backup only, the paper's Fig. 9 traffic).
    public var bothDirections = false
    /// Period of the `replication.csv` samples (nil: `trafficBin`).
    public var replicationBin: SimDuration? = nil

    /// `replication.csv` detail: one row per resource (default), or the estate's total per
    /// instant (`ReplicationTotals`).
    public var replicationTotals = false

    /// The period of `replication.csv` rows: `replicationBin`, else `trafficBin`.
    public var effectiveReplicationBin: SimDuration { replicationBin ?? trafficBin }

    /// The defaults.
    public static let standard = OutputsSection()

    public static func decode(_ m: ConfigMapping) throws -> OutputsSection? {
        guard m.isPresent else { return nil }
        var o = OutputsSection()
        o.trafficBin = try m.duration("traffic_bin", default: o.trafficBin)
        try m.check(o.trafficBin >= .milliseconds(1), "traffic_bin", "traffic_bin must be at least 1ms")
        o.bothDirections = try m.choice("traffic", among: ["forward", "both"], default: "forward") == "both"
        let rb = try m.duration("replication_bin", default: o.trafficBin)
        try m.check(rb >= .milliseconds(1), "replication_bin", "replication_bin must be at least 1ms")
        o.replicationBin = rb
        o.replicationTotals = try m.choice("detail", among: ["per-resource", "total"], default: "per-resource") == "total"
        return o
    }

    /// Installs the `replication.csv` aggregation when `detail: total`; the WAN and workload
    /// sections read the other settings.
    public func install(into run: RunAssembly) throws {
        if replicationTotals { run.recorder.aggregate(ReplicationMonitor.table, with: ReplicationTotals()) }
    }
}
