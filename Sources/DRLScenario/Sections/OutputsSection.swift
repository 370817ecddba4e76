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

    /// The section's keys, declared once: decoding, range checks, `describe` and the reference
    /// follow from here.
    public static let schema: ParameterSchema = [
        ParameterSpec("traffic_bin", .duration, default: .duration(.seconds(10 as Int64)), minimum: 0.001,
                      doc: "width of a traffic.csv and storage.csv bin (Figs 9-10 use 10 s windows)"),
        ParameterSpec("traffic", .choice(["forward", "both"]), default: .text("forward"),
                      doc: "forward = primary -> backup only (the tc qdisc the paper measured); both directions"),
        ParameterSpec("replication_bin", .duration, minimum: 0.001, doc: "period of replication.csv rows (default: traffic_bin)"),
        ParameterSpec("detail", .choice(["per-resource", "total"]), default: .text("per-resource"),
                      doc: "per-resource = one replication.csv row per volume and instant; total = one row per instant summed over every volume (large estates)"),
    ]

    public static func decode(_ m: ConfigMapping) throws -> OutputsSection? {
        guard m.isPresent else { return nil }
        let p = try m.values(of: schema)
        var o = OutputsSection()
        o.trafficBin = p.duration("traffic_bin")!
        o.bothDirections = p.text("traffic") == "both"
        if p.duration("replication_bin") == nil {   // a default that follows another key
            m.context.record(m.path.appending("replication_bin"), Units.formatDuration(o.trafficBin), isDefault: true)
        }
        o.replicationBin = p.duration("replication_bin") ?? o.trafficBin
        o.replicationTotals = p.text("detail") == "total"
        return o
    }

    /// Installs the `replication.csv` aggregation when `detail: total`; the WAN and workload
    /// sections read the other settings.
    public func install(into run: RunAssembly) throws {
        if replicationTotals { run.recorder.aggregate(ReplicationMonitor.table, with: ReplicationTotals()) }
    }
}
