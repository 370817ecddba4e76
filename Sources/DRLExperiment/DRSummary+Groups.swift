extension DRSummary {
    /// Per-VM recovery's summaries (only when the run has `recovery_groups`/`recovery_vms`):
    /// `recovery.group_rto_s` per `priority=<g>` and `group=estate` (the `priority` 0 row: the
    /// estate's RTO, its last VM responsive), and `recovery.vm_rto_s` per `priority=<g>` over
    /// every VM. Finished = `recovered`, censored = `censored` (a lower bound); `failed` is no
    /// sample (a group with a failed VM is `failed`).
    static func addRecoveryGroups(_ tables: TableLookup,
                                  _ add: (Int, String, String, Double?, Bool, Int) -> Void) throws {
        if let t = tables("recovery_groups"), let c = Columns(t, ["priority", "status", "rto_s"]) {
            try t.forEachRow { r in
                let status = r.cells[c["status"]], p = r.cells[c["priority"]]
                guard status == "recovered" || status == "censored" else { return }
                add(r.point, "recovery.group_rto_s", p == "0" ? "group=estate" : "priority=\(p)", Double(r.cells[c["rto_s"]]),
                    status == "censored", 13)
            }
        }
        if let t = tables("recovery_vms"), let c = Columns(t, ["priority", "status", "rto_s"]) {
            try t.forEachRow { r in
                let status = r.cells[c["status"]]
                guard status == "recovered" || status == "censored" else { return }
                add(r.point, "recovery.vm_rto_s", "priority=\(r.cells[c["priority"]])", Double(r.cells[c["rto_s"]]), status == "censored", 14)
            }
        }
    }
}
