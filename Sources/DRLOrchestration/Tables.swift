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
    /// `shaping.csv`: rates set by the bandwidth-shares driver (class = traffic class) and by
    /// `wan.schedule` (class = `root` for the tbf, else the htb class id).
    public static let shaping = "shaping"
    /// Columns of `shaping`.
    public static let shapingColumns = ["t_s", "class", "rate_bps", "ceil_bps"]
}
