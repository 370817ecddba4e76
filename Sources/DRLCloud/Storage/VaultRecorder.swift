import DRLSimCore

/// Emits the backup vault's footprint over time as the `storage` table (`storage.csv`): the
/// `storedOverTime` of `SwiftStore` per container kind, with the number of recovery points,
/// so users can size retention (dr-landscape.md item 6).
///
/// One row per container kind that has existed so far (`execution`, then `image`), per bin of
/// `bin` (the scenario's `outputs.traffic_bin`) in which the vault changed, holding the state
/// after the bin's last change; `t_s` is the instant of that change. The rows of one `t_s`
/// therefore add up to the whole vault at that instant, and the state holds until the next
/// `t_s`. Per-change rows would be one row per 50 MiB chunk (tens of thousands per run in the
/// paper scenarios), hence the bins. No event is scheduled: a bin's rows are emitted when the
/// first change of a later bin arrives, and the last bin's by `flush()` at the end of the run.
/// Image rows report 0 recovery points (a recovery point is a ready execution container).
public final class VaultRecorder {
    /// The table name.
    public static let table = "storage"
    /// Columns after `run, point, replication`.
    /// `stored_bytes` counts every replica on the object servers (`SwiftStore.replicas` x one
    /// copy); `logical_bytes` is one copy (what the clients uploaded and did not delete).
    public static let columns = ["t_s", "site", "container_kind", "containers", "objects", "stored_bytes", "logical_bytes",
                                 "recovery_points"]

    /// The vault recorded.
    public let vault: SwiftStore
    /// The site that holds it (the `site` column).
    public let site: String
    /// Bin width (at least 1 ns).
    public let bin: SimDuration
    private let recorder: RecordSink
    private var pending: (at: SimInstant, rows: [(ContainerKind, VaultFootprint)])?

    /// Records `vault` of `site` into `recorder` (declares the table, header-only until a change).
    public init(vault: SwiftStore, site: String, recorder: Recorder, bin: SimDuration = .seconds(10 as Int64)) {
        self.vault = vault
        self.site = site
        self.bin = Swift.max(.nanoseconds(1), bin)
        self.recorder = recorder
        recorder.declare(Self.table, columns: Self.columns)
        vault.observe { [unowned self] v in self.changed(v) }
    }

    private func binIndex(_ t: SimInstant) -> Int64 { t.nanoseconds / bin.nanoseconds }

    private func changed(_ v: SwiftStore) {
        let now = v.sim.now
        if let p = pending, binIndex(p.at) != binIndex(now) { emit(p) }
        let rows = ContainerKind.allCases.filter { v.hasEverHeld($0) }.map { ($0, v.footprint($0)) }
        pending = (now, rows)
    }

    private func emit(_ p: (at: SimInstant, rows: [(ContainerKind, VaultFootprint)])) {
        for (kind, f) in p.rows {
            recorder.emit(Self.table, [.double(p.at.seconds), .text(site), .text(kind.rawValue), .int(Int64(f.containers)),
                                       .int(Int64(f.objects)), .int(f.storedBytes * Int64(vault.replicas)), .int(f.storedBytes),
                                       .int(Int64(f.recoveryPoints))])
        }
        pending = nil
    }

    /// Emits the rows of the last bin (call once the run ended; later calls do nothing until the
    /// vault changes again).
    public func flush() {
        if let p = pending { emit(p) }
    }
}
