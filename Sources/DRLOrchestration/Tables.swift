/// The tables this module emits, with their columns after `run, point, replication`
/// (interface.md). Extra columns are only ever appended after the contract's.
public enum OrchestrationTables {
    /// `protection.csv`: one row per protection action on one resource (contract columns only,
    /// because DRLCloud may emit into the same table). Status values: `completed`, `aborted`
    /// (cut by a disaster), `censored` (still running at the run's end: `duration_s` is a lower
    /// bound, Docs/statistics.md; an action due at or after the run's end has no row),
    /// `overlapped` (it ran while another execution of its policy ran), and the overlap-policy
    /// markers `skipped` (start = end = due instant, execution -1) and `queued` (start = due,
    /// end = the delayed start, execution = the index it then ran as).
    public static let protection = "protection"
    /// Columns of `protection`.
    public static let protectionColumns = ["execution", "resource", "kind", "action", "start_s", "end_s", "duration_s", "bytes", "status"]
    /// `recovery.csv`: one row per disaster and policy (`kind` = failover) and per failback.
    public static let recovery = "recovery"
    /// Columns of `recovery`: the contract's, then `kind` (failover/failback), `policy`,
    /// `status` (recovered/failed/censored), `reason`, `downtime_s` (failback: service interruption).
    /// `censored`: the run ended first (Docs/statistics.md); `rto_s` (failback: `downtime_s` when
    /// the switch had started) is then the elapsed time, a lower bound, and `reason` names the step.
    public static let recoveryColumns = ["disaster_s", "detected_s", "notified_s", "recovery_started_s", "recovered_s",
                                         "responsive_s", "redirected_s", "rto_s", "kind", "policy", "status", "reason", "downtime_s"]
    /// `rpo.csv`: one row per protected resource per disaster (contract columns only; as in
    /// DRLCloud, `recovery_point_s` is -1 and `rpo_s` counts from the start when nothing is recoverable).
    public static let rpo = "rpo"
    /// Columns of `rpo`.
    /// `kind` (vm/volume), `vm` and `vm_rpo_s` (the RPO the VM's recovery depends on: the
    /// largest over its volumes) as in DRLCloud's `RecoveryPointRecord`.
    public static let rpoColumns = ["resource", "action", "disaster_s", "recovery_point_s", "rpo_s", "lost_bytes", "kind", "vm", "vm_rpo_s"]
    /// `recovery_steps.csv`: the timed steps of every recovery (the breakdown of Fig. 11).
    public static let recoverySteps = "recovery_steps"
    /// Columns of `recovery_steps`.
    public static let recoveryStepsColumns = ["disaster_s", "kind", "policy", "step", "start_s", "end_s", "duration_s"]
    /// `recovery_vms.csv` (only with `recovery.concurrency` or a VM `priority`, `RecoveryGroups`):
    /// one row per disaster and VM recovered on its own. `policy` joins `recovery.csv`'s
    /// `policy`, `vm` joins `rpo.csv`'s `vm`. `queued_s`: its priority group started;
    /// `started_s`: it got a concurrency slot (`wait_s` = started - queued); `recovered_s`: its
    /// stack created; `responsive_s`: it answers; `rto_s` = responsive - disaster (`censored`:
    /// the elapsed time at the run's end, a lower bound). `status`: recovered, failed, censored.
    public static let recoveryVMs = "recovery_vms"
    /// Columns of `recovery_vms`.
    public static let recoveryVMsColumns = ["disaster_s", "policy", "vm", "priority", "queued_s", "started_s", "recovered_s",
                                            "responsive_s", "rto_s", "wait_s", "status", "reason"]
    /// `recovery_groups.csv` (with `recovery_vms`): one row per disaster and priority group
    /// (`priority` >= 1) and one for the whole estate (`priority` 0): VMs, how many recovered and
    /// failed, the group's start, its last VM responsive and `rto_s` = that - disaster (the
    /// estate's RTO on the `priority` 0 row). `status`: recovered (all), failed (some failed),
    /// censored (the run ended first; `rto_s` = elapsed time, a lower bound).
    public static let recoveryGroups = "recovery_groups"
    /// Columns of `recovery_groups`.
    public static let recoveryGroupsColumns = ["disaster_s", "priority", "vms", "recovered", "failed", "started_s",
                                               "responsive_s", "rto_s", "status"]
    /// `shaping.csv`: rates set by the bandwidth-shares driver (class = traffic class) and by
    /// `wan.schedule` (class = `root` for the tbf, else the htb class id).
    public static let shaping = "shaping"
    /// Columns of `shaping`.
    public static let shapingColumns = ["t_s", "class", "rate_bps", "ceil_bps"]
}
