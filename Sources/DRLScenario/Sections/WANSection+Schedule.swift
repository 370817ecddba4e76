import DRLSimCore
import DRLNetwork
import DRLOrchestration

/// `wan.schedule` / `wan.schedule_repeat`: throttling windows on the primary -> backup shaper
/// (dr-landscape.md item 5; operators run `tc qdisc change`/`tc class change` from cron, Zerto
/// and SRM call them throttling windows).
///
/// ```yaml
/// wan:
///   qdisc: { type: tbf, rate: 500mbit, burst: 256kb, latency: 50ms }
///   schedule:                     # one change per entry, offsets non-decreasing
///     - { at: 8h,  rate: 100mbit } # business hours
///     - { at: 18h, rate: 500mbit } # night
///   schedule_repeat: 24h          # optional: repeat the steps every period (offsets below it)
/// ```
/// Each entry: `at` (offset, with unit), `rate` (positive, with unit), optional `class` (an htb
/// class id; without it the root shaper: the root tbf, or the htb's only root class) and
/// `ceil` (htb only, >= rate; default = rate as in tc). A change at `at` is
/// `tc qdisc change ... tbf rate R` (`TbfQdisc.change`: burst kept in bytes, buckets refilled as
/// in sch_tbf.c `tbf_change`) or `tc class change ... htb rate R ceil C` (`HtbClass.change`:
/// buckets kept, tokens clamped, as in htb_change_class). Each change is a row of `shaping`
/// (`t_s, class, rate_bps, ceil_bps`; `class` is `root` for the tbf, else the htb class id).
extension WANSection {
    /// The keys of one `wan.schedule` entry (checked against the forward qdisc's type).
    public static let scheduleSchema: ParameterSchema = [
        ParameterSpec("at", .duration, required: true, doc: "offset of the change (non-decreasing, below schedule_repeat)"),
        ParameterSpec("rate", .rate, required: true, doc: "new rate of the shaper"),
        ParameterSpec("class", .text, doc: "htb class id to change (absent: the root tbf, or the htb's only root class)"),
        ParameterSpec("ceil", .rate, doc: "htb only, at least rate (default: rate, as in tc)"),
    ]

    /// Decodes `schedule` and `schedule_repeat` and checks them against the forward `qdisc`.
    static func decodeSchedule(_ m: ConfigMapping, qdisc: QdiscConfig?, segment: Int, period: SimDuration?) throws -> ShapingSchedule? {
        guard let listValue = m.value("schedule") else {
            if period != nil { throw m.error("schedule_repeat", .invalidValue, "schedule_repeat needs wan.schedule") }
            return nil
        }
        let items = try listValue.list()
        guard let q = qdisc, q.type == "tbf" || q.type == "htb" else {
            throw m.error("schedule", .invalidValue,
                          "a schedule needs wan.qdisc of type tbf or htb (a shaper), not \(qdisc?.type ?? "the default pfifo")")
        }
        guard !items.isEmpty else { throw m.error("schedule", .invalidValue, "a schedule needs at least one entry") }
        var steps: [ShapingSchedule.Step] = []
        for v in items {
            let step: ShapingSchedule.Step = try v.mapping { e in
                e.declare(scheduleSchema)
                let at = try e.duration("at")
                if let prev = steps.last {
                    try e.check(at >= prev.at, "at", "offsets must be non-decreasing (\(Units.formatDuration(at)) after \(Units.formatDuration(prev.at)))")
                }
                if let period {
                    try e.check(at < period, "at", "offset \(Units.formatDuration(at)) is not below schedule_repeat \(Units.formatDuration(period))")
                }
                let rate = try e.rate("rate")
                try e.check(rate < 1e15, "rate", "rate out of range")
                let classid = try e.value("class")?.string()
                let ceil = try e.value("ceil")?.rate()
                if q.type == "tbf" {
                    try e.check(classid == nil, "class", "wan.qdisc is a tbf, which has no classes")
                    try e.check(ceil == nil, "ceil", "ceil applies to htb classes; wan.qdisc is a tbf")
                    // The bucket must still pass a segment at the new rate (q->max_size, truncated).
                    if case .size(let burst)? = q.params["burst"] {
                        let t = TbfQdisc(rate: Rate(bitsPerSecond: Int64(rate.rounded())), burst: burst, limit: burst)
                        try e.check(t.maxSize >= Int64(segment), "rate",
                                    "at this rate the tbf burst (\(burst) B) passes at most \(t.maxSize) B, less than a \(segment) B segment")
                    }
                    if case .rate(let peak)? = q.params["peakrate"] {
                        try e.check(rate < peak, "rate", "rate must stay below the tbf peakrate \(Units.formatRate(peak))")
                    }
                } else {
                    if let c = classid {
                        try e.check(q.classes.contains { $0.classid == c }, "class",
                                    "no htb class \(c) in wan.qdisc (classes: \(q.classes.map(\.classid).joined(separator: ", ")))")
                    } else {
                        let handle = q.handle.map { $0.hasSuffix(":") ? $0 : $0 + ":" }
                        let roots = q.classes.filter { $0.parent == nil || $0.parent == handle || $0.parent == (handle ?? "") + "0" }
                        try e.check(roots.count == 1, "class", "wan.qdisc has \(roots.count) root classes: name the htb class to change with class:")
                    }
                    if let ceil { try e.check(ceil >= rate, "ceil", "ceil must be at least rate") }
                }
                return ShapingSchedule.Step(at: at, rate: Rate(bitsPerSecond: Int64(rate.rounded())),
                                            ceil: ceil.map { Rate(bitsPerSecond: Int64($0.rounded())) }, classid: classid)
            }
            steps.append(step)
        }
        return ShapingSchedule(steps: steps, period: period)
    }

    /// Drives the schedule on the primary -> backup link and records each change in `shaping`.
    func installSchedule(_ schedule: ShapingSchedule, network: Network, run: RunAssembly) throws {
        let scheduler: ShapingScheduler
        do throws(ShapingScheduler.BindError) { scheduler = try ShapingScheduler(schedule: schedule, link: network.link(from: 0, to: 1)) } catch {
            throw ScenarioError(.assembly, at: run.spec.location(ofKey: Self.key), keyPath: "wan.schedule", error.description)
        }
        let recorder = run.recorder
        recorder.declare(OrchestrationTables.shaping, columns: OrchestrationTables.shapingColumns)
        scheduler.onChange = { a in
            recorder.emit(OrchestrationTables.shaping, [.double(a.at.seconds), .text(a.classid),
                                                        .double(Double(a.rate.bitsPerSecond)), .double(Double(a.ceil.bitsPerSecond))])
        }
        scheduler.start()
        run.provide(scheduler)
    }
}
