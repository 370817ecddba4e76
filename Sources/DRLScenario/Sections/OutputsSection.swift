import DRLSimCore
import DRLCloud

/// The `outputs:` section: what the world's models record (interface.md "Output files").
///
/// ```yaml
/// outputs:
///   traffic_bin: 10s          # width of a traffic.csv (and storage.csv) bin (Figs 9-10 use 10 s windows)
///   traffic: forward          # forward = primary -> backup only (the tc qdisc the paper measured); both
///   replication_bin: 10s      # period of replication.csv rows (default: traffic_bin)
///   detail: per-resource      # per-resource (one replication.csv row per DRBD resource); per-policy; total
///   writes_detail: per-vm     # per-vm (one writes.csv row per VM and bin); per-policy; total
///   writes_bin: 1min          # writes.csv bin (a multiple of replication_bin; default: replication_bin)
/// ```
/// The per-policy and total forms (OutputsSection+Groups.swift) sum the per-resource rows as
/// they are recorded (`ReplicationTotals`, `WriteGroups`): the table's columns stay, the
/// `resource` / `vm` cell names the policy (`protection.policies`, else `<tenant>_default`;
/// `unprotected` for a VM in no policy) or `total`.
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
    /// `replication.csv` per workload policy (`detail: per-policy`).
    public var replicationPerPolicy = false
    /// `writes.csv` detail: `per-vm` (default), `per-policy` or `total`.
    public var writesDetail = "per-vm"
    /// `writes.csv` bin (nil: the monitor's, `effectiveReplicationBin`).
    public var writesBin: SimDuration? = nil

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
        ParameterSpec("detail", .choice(["per-resource", "per-policy", "total"]), default: .text("per-resource"),
                      doc: "per-resource = one replication.csv row per volume and instant; per-policy = one row per workload policy and instant, summed over its volumes; total = one row per instant summed over every volume (large estates)"),
        ParameterSpec("writes_detail", .choice(["per-vm", "per-policy", "total"]), default: .text("per-vm"),
                      doc: "per-vm = one writes.csv row per VM and bin; per-policy = one row per workload policy and bin, summed over its VMs; total = one row per bin over every VM"),
        ParameterSpec("writes_bin", .duration, minimum: 0.001,
                      doc: "width of a writes.csv bin, a multiple of replication_bin (default: replication_bin)"),
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
        o.replicationPerPolicy = p.text("detail") == "per-policy"
        o.writesDetail = p.text("writes_detail") ?? "per-vm"
        o.writesBin = p.duration("writes_bin")
        if let w = o.writesBin {
            let r = o.effectiveReplicationBin
            try m.check(w.nanoseconds % r.nanoseconds == 0, "writes_bin",
                        "writes_bin (\(Units.formatDuration(w))) must be a multiple of replication_bin (\(Units.formatDuration(r))), the bin writes are recorded in")
        }
        return o
    }

    /// Installs the `replication.csv` aggregation when `detail: total` or `per-policy`, and the
    /// `writes.csv` one when `writes_detail` or `writes_bin` ask for it; the WAN and workload
    /// sections read the other settings.
    public func install(into run: RunAssembly) throws {
        if replicationTotals { run.recorder.aggregate(ReplicationMonitor.table, with: ReplicationTotals()) }
        if replicationPerPolicy {
            let groups = Self.policyGroups(of: run.spec)
            run.recorder.aggregate(ReplicationMonitor.table, with: ReplicationTotals(group: groups))
        }
        if writesDetail != "per-vm" || writesBin != nil {
            let group: (String) -> String
            switch writesDetail {
            case "per-policy": group = Self.policyGroups(of: run.spec)
            case "total": group = { _ in WriteGroups.totalName }
            default: group = { $0 }
            }
            let sim = run.sim
            run.recorder.aggregate(WriteMonitor.table, with: WriteGroups(bin: writesBin ?? effectiveReplicationBin, group: group,
                                                                         now: { sim.now }))
        }
    }
}
