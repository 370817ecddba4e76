import DRLSimCore

/// `dr_summary.csv`: the RPO, RTO (and its phases), protection times and the application's
/// throttling of a DR result set, per sweep point, under the one definition of a duration
/// (Docs/statistics.md): n finished samples, how many were censored by the run's end, the
/// finished samples' mean, p50, p95, max and Student-t 95 % interval, and two numbers that stay
/// honest under censoring: the lower-bound mean (finished values and censored lower bounds
/// together; the true mean is at least this) and the Kaplan-Meier median (`DurationSummary`).
/// `drlsim check` compares the same numbers (`CurveSpec.defaults`).
///
/// Metrics (`metric`, `group`):
/// - `protection.duration_s` per `action=`: finished = `completed`/`overlapped`, censored =
///   `censored`; `aborted` (by a disaster) and the overlap markers are not samples;
/// - `protection.execution_s` (one per execution: last end - first start over its actions;
///   censored when any of its actions is; no sample when any was aborted by a disaster);
/// - `rpo.rpo_s` per `action=` (every row) and `rpo.vm_rpo_s` per `vm=` (one per disaster and
///   VM; the RPO recovery depends on);
/// - `recovery.rto_s` per `kind=` (finished = `recovered`, censored = `censored`; `failed`
///   rows are not samples) and its phases `recovery.detection_s` (detected - disaster),
///   `recovery.notification_s`, `recovery.until_start_s`, `recovery.recovery_s`,
///   `recovery.responsive_s` over recovered rows;
/// - `writes.throttled_share` per `vm=` (one per run: the run's `throttled_s` / its duration),
///   `writes.completed_bps` (the application's write throughput: completed bytes x 8 / the
///   run's duration) and `writes.latency_p99_s` (the largest bin p99 of the run);
/// - with per-VM recovery (`recovery_groups`, `recovery_vms`; DRSummary+Groups.swift):
///   `recovery.group_rto_s` per `priority=` and `group=estate` (the estate's RTO) and
///   `recovery.vm_rto_s` per `priority=` (every VM's RTO).
public enum DRSummary {
    /// Table name.
    public static let table = "dr_summary"
    /// Columns after `run, point, replication` (`run` and `replication` are `all`).
    public static let columns = ["metric", "group", "n", "censored", "mean", "p50", "p95", "max", "ci95_low", "ci95_high",
                                 "lower_bound_mean", "km_median"]

    /// Samples of one (point, metric, group).
    struct Key: Hashable, Comparable {
        var point: Int
        var order: Int
        var metric: String
        var group: String
        static func < (a: Key, b: Key) -> Bool { (a.point, a.order, a.metric, a.group) < (b.point, b.order, b.metric, b.group) }
    }

    /// The summary table of `set`, or nil when it has none of the DR tables.
    public static func table(of set: ResultSet) -> TextTable? {
        // In-memory rows: visiting them cannot fail.
        try! table(in: set.lookup)
    }

    /// The summary table of the tables `tables` finds (in memory or streamed from files: one
    /// pass per table, holding only the samples), or nil when it finds none of the DR tables.
    public static func table(in tables: TableLookup) throws -> TextTable? {
        let names = ["protection", "rpo", "recovery", "writes"]
        let found = Dictionary(uniqueKeysWithValues: (names + ["runs"]).compactMap { n in tables(n).map { (n, $0) } })
        guard names.contains(where: { found[$0] != nil }) else { return nil }
        var samples: [Key: (finished: [Double], censored: [Double])] = [:]
        var order = 0
        func add(_ point: Int, _ metric: String, _ group: String, _ v: Double?, censored: Bool = false, _ o: Int) {
            guard let v, v.isFinite else { return }
            let k = Key(point: point, order: o, metric: metric, group: group)
            var e = samples[k] ?? ([], [])
            if censored { e.censored.append(v) } else { e.finished.append(v) }
            samples[k] = e
        }
        func num(_ s: String) -> Double? { Double(s) }

        if let t = found["protection"], let c = Columns(t, ["action", "status", "duration_s", "execution", "start_s", "end_s"]) {
            order = 0
            var execs: [[Int]: (start: Double, end: Double, censored: Bool, point: Int)] = [:]
            // An execution the disaster cut (any action `aborted`) is no sample, like its action.
            var aborted: Set<[Int]> = []
            try t.forEachRow { r in
                guard r.cells[c["status"]] == "aborted" else { return }
                if let e = Int(r.cells[c["execution"]]), e >= 0 { aborted.insert([r.run, e]) }
            }
            try t.forEachRow { r in
                let status = r.cells[c["status"]]
                let fin = status == "completed" || status == "overlapped"
                guard fin || status == "censored" else { return }
                add(r.point, "protection.duration_s", "action=\(r.cells[c["action"]])", num(r.cells[c["duration_s"]]), censored: !fin, order)
                guard let e = Int(r.cells[c["execution"]]), e >= 0, let s = num(r.cells[c["start_s"]]), let f = num(r.cells[c["end_s"]]) else { return }
                let key = [r.run, e]
                let old = execs[key] ?? (s, f, false, r.point)
                execs[key] = (Swift.min(old.start, s), Swift.max(old.end, f), old.censored || !fin, r.point)
            }
            for key in execs.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) where !aborted.contains(key) {
                let e = execs[key]!
                add(e.point, "protection.execution_s", "", e.end - e.start, censored: e.censored, order + 1)
            }
        }
        if let t = found["rpo"], let c = Columns(t, ["action", "rpo_s", "disaster_s"]) {
            order = 2
            var vmSeen: Set<[String]> = []
            let vmc = t.columns.firstIndex(of: "vm"), vmr = t.columns.firstIndex(of: "vm_rpo_s")
            try t.forEachRow { r in
                add(r.point, "rpo.rpo_s", "action=\(r.cells[c["action"]])", num(r.cells[c["rpo_s"]]), order)
                if let vmc, let vmr {
                    let key = [String(r.run), r.cells[c["disaster_s"]], r.cells[vmc]]
                    if vmSeen.insert(key).inserted { add(r.point, "rpo.vm_rpo_s", "vm=\(r.cells[vmc])", num(r.cells[vmr]), order + 1) }
                }
            }
        }
        if let t = found["recovery"], let c = Columns(t, ["kind", "status", "rto_s", "disaster_s", "detected_s", "notified_s",
                                                             "recovery_started_s", "recovered_s", "responsive_s"]) {
            order = 4
            let phases = [("recovery.detection_s", "detected_s", "disaster_s"), ("recovery.notification_s", "notified_s", "detected_s"),
                          ("recovery.until_start_s", "recovery_started_s", "notified_s"), ("recovery.recovery_s", "recovered_s", "recovery_started_s"),
                          ("recovery.responsive_s", "responsive_s", "recovered_s")]
            try t.forEachRow { r in
                let status = r.cells[c["status"]], kind = "kind=\(r.cells[c["kind"]])"
                guard status == "recovered" || status == "censored" else { return }
                add(r.point, "recovery.rto_s", kind, num(r.cells[c["rto_s"]]), censored: status == "censored", order)
                guard status == "recovered" else { return }
                for (i, p) in phases.enumerated() {
                    if let a = num(r.cells[c[p.1]]), let b = num(r.cells[c[p.2]]) { add(r.point, p.0, kind, a - b, order + 1 + i) }
                }
            }
        }
        try addRecoveryGroups(tables) { add($0, $1, $2, $3, censored: $4, $5) }
        if let t = found["writes"], let c = Columns(t, ["vm", "requested_bytes", "completed_bytes", "throttled_s", "latency_p99_s"]) {
            order = 10
            var duration: [Int: Double] = [:]
            if let runs = found["runs"], let d = runs.columns.firstIndex(of: "duration_s") {
                try runs.forEachRow { r in duration[r.run] = Double(r.cells[d]) }
            }
            var perRun: [[String]: (point: Int, done: Double, th: Double, p99: Double)] = [:]
            try t.forEachRow { r in
                let key = [String(r.run), r.cells[c["vm"]]]
                var e = perRun[key] ?? (r.point, 0, 0, -Double.infinity)
                e.done += num(r.cells[c["completed_bytes"]]) ?? 0
                e.th += num(r.cells[c["throttled_s"]]) ?? 0
                if let p = num(r.cells[c["latency_p99_s"]]), p.isFinite { e.p99 = Swift.max(e.p99, p) }
                perRun[key] = e
            }
            for key in perRun.keys.sorted(by: { (Int($0[0]) ?? 0, $0[1]) < (Int($1[0]) ?? 0, $1[1]) }) {
                let e = perRun[key]!
                if let d = duration[Int(key[0]) ?? -1], d > 0 {
                    add(e.point, "writes.throttled_share", "vm=\(key[1])", e.th / d, order)
                    add(e.point, "writes.completed_bps", "vm=\(key[1])", e.done * 8 / d, order + 1)
                }
                add(e.point, "writes.latency_p99_s", "vm=\(key[1])", e.p99, order + 2)
            }
        }
        var out = TextTable(name: table, columns: columns, rows: [])
        for k in samples.keys.sorted() {
            let s = samples[k]!
            let d = DurationSummary(finished: s.finished, censored: s.censored)
            out.rows.append(.init(run: -1, point: k.point, replication: -1, cells: [
                k.metric, k.group, String(d.n), String(d.censored), CSV.number(d.mean), CSV.number(d.p50), CSV.number(d.p95),
                CSV.number(d.max), CSV.number(d.ciLow), CSV.number(d.ciHigh), CSV.number(d.lowerBoundMean), CSV.number(d.kmMedian)]))
        }
        return out
    }

    /// Column indices of a table by name; nil when one is missing.
    struct Columns {
        let index: [String: Int]
        init?(_ t: some RowSource, _ names: [String]) {
            var m: [String: Int] = [:]
            for n in names {
                guard let i = t.columns.firstIndex(of: n) else { return nil }
                m[n] = i
            }
            index = m
        }
        subscript(_ n: String) -> Int { index[n]! }
    }
}
