import DRLSimCore

/// The paper's "advanced driver": a feedback controller that sets the HTB rates of the
/// replication, image/snapshot and application classes (paper §3, §7.2; orbit-software.md §2;
/// the ORBIT project planned a model-predictive controller, Dürango et al. [34]).
///
/// Control law (a proportional controller on each class's backlog with feed-forward of its
/// arrival rate, then a first-order smoother), every tick:
/// 1. demand `n_c = a_c + 8 B_c / τ_c` bits/s, with `a_c` the measured arrival rate, `B_c` the
///    backlog in bytes and `τ_c` its horizon (the class's own, e.g. the time left until the
///    next protection is due for snapshots; else `defaultHorizon`, 10 s): the backlog is
///    drained within `τ_c` (gain `1/τ_c`), which bounds the replication lag (the data-loss
///    window) and lets snapshots finish before the next one starts (no overlap);
/// 2. every class gets at least `floor × C`, so none starves;
/// 3. if `Σ n_c <= C`, the spare `C - Σ n_c` is split by `weights`; otherwise the demands are
///    scaled by `C / Σ n_c` (proportional degradation);
/// 4. `r_k = r_{k-1} + α (r* - r_{k-1})` with `α = gain` (0.5), a low-pass against the
///    oscillation a pure feedback on measured backlogs causes; rates are renormalised to sum
///    to `C`. Every class's ceil is `C`, so idle bandwidth is still borrowed (HTB).
/// It never triggers protections itself (the countdown does).
public final class BandwidthSharesDriver: LogicDriver {
    /// `bandwidth-shares`.
    public let name = "bandwidth-shares"
    /// Shaped classes.
    public let classes: [String]
    /// Spare-capacity weights per class (same order as `classes`).
    public let weights: [Double]
    /// Minimum share of the capacity per class (default 0.05).
    public let floor: Double
    /// Smoothing gain α in (0, 1] (default 0.5).
    public let gain: Double
    /// Backlog horizon when a class gives none (default 10 s).
    public let defaultHorizon: SimDuration
    private var last: [Double]?

    /// A controller over `classes` (default replication, snapshot, image, application).
    public init(classes: [String] = ["replication", "snapshot", "image", "application"], weights: [Double]? = nil,
                floor: Double = 0.05, gain: Double = 0.5, defaultHorizon: SimDuration = .seconds(10.0)) {
        precondition(!classes.isEmpty && floor >= 0 && Double(classes.count) * floor <= 1 && gain > 0 && gain <= 1)
        self.classes = classes
        self.weights = weights ?? classes.map { $0 == "application" ? 2 : 1 }
        self.floor = floor; self.gain = gain; self.defaultHorizon = defaultHorizon
    }

    /// The driver's verdict for one policy at this tick.
    public func decide(_ input: LogicInput) -> LogicDecision { .wait }

    /// The target rates before smoothing (steps 1-3 of the law).
    public func targetRates(_ input: ShapingInput) -> [Double] {
        let c = input.capacity
        let states = classes.map { name in input.classes.first { $0.name == name } ?? .init(name: name, backlogBytes: 0, arrivalRate: 0) }
        let need = states.map { s -> Double in
            let tau = max((s.horizon ?? defaultHorizon).seconds, 1e-3)
            return max(floor * c, s.arrivalRate + 8 * s.backlogBytes / tau)
        }
        let total = need.reduce(0, +)
        if total <= c {
            let spare = c - total
            let wsum = weights.reduce(0, +)
            return need.indices.map { need[$0] + spare * weights[$0] / wsum }
        }
        // Scale down, but keep every class at its floor.
        let floorTotal = floor * c * Double(classes.count)
        let above = need.map { $0 - floor * c }
        let aboveTotal = above.reduce(0, +)
        return need.indices.map { floor * c + (c - floorTotal) * above[$0] / max(aboveTotal, 1e-9) }
    }

    /// The class rates for this tick (the control law above).
    public func shape(_ input: ShapingInput) -> [RateSetting] {
        let target = targetRates(input)
        var r = last.map { prev in prev.indices.map { prev[$0] + gain * (target[$0] - prev[$0]) } } ?? target
        let s = r.reduce(0, +)
        r = r.map { $0 * input.capacity / s }
        last = r
        return classes.indices.map { RateSetting(trafficClass: classes[$0], rate: r[$0], ceil: input.capacity) }
    }
}

extension BandwidthSharesDriver {
    /// `bandwidth-shares {classes, weights, floor, smoothing, horizon}`: a shaping driver; the
    /// scenario resolves the shaped classes from `classes` or wan.qdisc's `class:` filters.
    /// Defaults are the driver's (floor 0.05, smoothing 0.5, horizon 10 s, weights application
    /// 2, others 1).
    public static let plugin = LogicDriverPlugin(
        name: "bandwidth-shares", summary: "set the WAN htb class rates from backlogs and arrivals (needs wan.qdisc htb)",
        schema: [
            ParameterSpec("classes", .names, doc: "shaped traffic classes (default: every class named by a class: filter of wan.qdisc)"),
            ParameterSpec("weights", .weights, doc: "spare-capacity weight per class (default application 2, others 1)"),
            ParameterSpec("floor", .number, default: .number(0.05), minimum: 0, maximum: 1, below: true, doc: "minimum share of the link per class, in [0, 1) (default 0.05)"),
            ParameterSpec("smoothing", .number, default: .number(0.5), minimum: 0, excluding: true, maximum: 1, doc: "smoothing gain in (0, 1] (default 0.5)"),
            ParameterSpec("horizon", .duration, default: .duration(.seconds(10 as Int64)), minimum: 0, excluding: true, doc: "backlog horizon (default 10s)"),
        ],
        shapesTraffic: true
    ) { p, ctx in
        let classes = ctx.shapedClasses
        let weights = p.weights("weights") ?? [:]
        return BandwidthSharesDriver(classes: classes, weights: classes.map { weights[$0] ?? ($0 == "application" ? 2 : 1) },
                                     floor: p.number("floor")!, gain: p.number("smoothing")!, defaultHorizon: p.duration("horizon")!)
    }
}
