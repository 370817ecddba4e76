import DRLSimCore
import DRLOrchestration

/// The `disaster:` section: one disaster at the primary site per run, as the paper's failure
/// script made it (§6.3): the BGP daemon stops, the WAN is blocked, the hosts go off
/// (DRLOrchestration `DisasterSpec`). Partial disasters turn effects off.
///
/// ```yaml
/// disaster: { at: 25min }                       # a fixed instant
/// disaster: { at: uniform, from: 10min, to: 30min }   # Monte Carlo: uniform in [from, to), stream "disaster"
/// disaster:
///   at: 25min
///   stops_bgp: true       # anycast route withdrawn (clients lose the service)
///   blocks_wan: true      # iptables between the sites (uploads and DRBD stop)
///   hosts_off: all        # all | none | a number 0...sites.primary.hosts of primary hosts (the first n; 0 = none)
///   failback_at: ~        # the primary is operating again: failback starts (default never; after the disaster)
/// ```
/// Uniform defaults: `from` = two protection intervals (the first protection has completed;
/// 0 without a `protection:` section), `to` = the scenario's `duration`. With a `protection:`
/// section the DR layer injects the disaster and recovers; without one the disaster only acts
/// on the WAN and the detector (detector studies).
public struct DisasterSection: ScenarioSection {
    public static let key = "disaster"
    public static let summary = "the disaster at the primary: instant (fixed or uniform), effects, failback"

    /// Where `at` is written (for cross-checks).
    var location: SourceLocation
    /// The instant as written: fixed, or uniform with optional bounds.
    public var fixed: SimInstant?
    /// Uniform bounds as written (nil: defaults at install).
    public var from: SimDuration?
    /// Upper bound (nil: the duration).
    public var to: SimDuration?
    /// Effects.
    public var stopsBGP: Bool
    /// WAN blocked.
    public var blocksWAN: Bool
    /// Hosts off.
    public var hostsOff: DisasterSpec.Hosts
    /// Failback instant.
    public var failbackAt: SimInstant?
    /// Where `hosts_off` and `failback_at` are written (for cross-checks).
    var hostsOffLocation: SourceLocation?
    /// Where `failback_at` is written.
    var failbackLocation: SourceLocation?
    /// Where `from` and `to` are written (uniform).
    var fromLocation: SourceLocation? = nil
    var toLocation: SourceLocation? = nil

    /// The section's keys, declared once.
    public static let schema: ParameterSchema = [
        ParameterSpec("at", .custom("duration, or uniform"), required: true,
                      doc: "instant of the disaster, or uniform: drawn per replication in [from, to)"),
        ParameterSpec("from", .duration, doc: "start of the uniform window (default: two protection intervals, else 0)"),
        ParameterSpec("to", .duration, doc: "end of the uniform window (default: the scenario's duration)"),
        ParameterSpec("stops_bgp", .bool, default: .bool(true), doc: "the primary stops announcing its prefixes (BGP)"),
        ParameterSpec("blocks_wan", .bool, default: .bool(true), doc: "the WAN from the primary drops everything"),
        ParameterSpec("hosts_off", .custom("all, none or a count 0..10000"), default: .text("all"), doc: "primary hosts powered off"),
        ParameterSpec("failback_at", .duration, doc: "instant the failback to the primary starts (absent: none)"),
    ]

    public static func decode(_ m: ConfigMapping) throws -> DisasterSection? {
        guard m.isPresent else { return nil }
        let p = try m.values(of: schema)
        let at = try m.require("at")
        var fixed: SimInstant?
        var from: SimDuration?, to: SimDuration?
        if at.node.scalar == "uniform" {
            _ = try at.string()
            from = p.duration("from")
            to = p.duration("to")
            if to == nil, m.context.header.duration == nil {
                throw m.error("to", .missingKey, "a uniform disaster needs 'to' or a scenario 'duration'")
            }
            if let f = from, let t = to { try m.check(f < t, "to", "to must be after from") }
        } else {
            guard at.node.scalar != nil, case .success(let d) = Units.parseDuration(at.node.scalar!) else {
                throw at.error(.invalidValue, "expected a duration (e.g. 25min) or 'uniform'")
            }
            _ = try at.duration()
            fixed = .zero + d
            for k in ["from", "to"] where m.contains(k) {
                throw m.error(k, .invalidValue, "\(k) is only for 'at: uniform'")
            }
        }
        if let d = m.context.header.duration, let f = fixed {
            try m.check(f - .zero < d, "at", "the disaster is at or after the end of the run (duration \(Units.formatDuration(d))): it would have no rows")
        }
        let stopsBGP = p.bool("stops_bgp")!
        let blocksWAN = p.bool("blocks_wan")!
        let hostsOff: DisasterSpec.Hosts
        if let v = m.value("hosts_off") {
            switch v.node.scalar {
            case "all": _ = try v.string(); hostsOff = .all
            case "none": _ = try v.string(); hostsOff = .none
            default:
                let n = try v.int(in: 0...10_000)
                hostsOff = n == 0 ? .none : .some(n)
            }
        } else {
            hostsOff = .all
        }
        let failback = p.duration("failback_at")
        if let fb = failback, let f = fixed {
            try m.check(.zero + fb > f, "failback_at",
                        "failback_at (\(Units.formatDuration(fb))) must be after the disaster (at \(Units.formatDuration(f - .zero)))")
        }
        var section = DisasterSection(location: at.location, fixed: fixed, from: from, to: to, stopsBGP: stopsBGP,
                                      blocksWAN: blocksWAN, hostsOff: hostsOff, failbackAt: failback.map { .zero + $0 },
                                      hostsOffLocation: m.value("hosts_off")?.location, failbackLocation: m.value("failback_at")?.location)
        section.fromLocation = m.value("from")?.location
        section.toLocation = m.value("to")?.location
        return section
    }

    /// The spec for a run of `spec` (uniform defaults resolved).
    public func disasterSpec(in spec: ScenarioSpec) -> DisasterSpec {
        var d = DisasterSpec()
        if let fixed { d.timing = .at(fixed) } else {
            let interval = spec.section(ProtectionSection.self)?.orchestrator.protectionInterval
            let lo = from ?? (interval.map { $0 * (2 as Int64) } ?? .zero)
            let hi = to ?? spec.header.duration ?? lo + .seconds(1 as Int64)
            d.timing = .uniform(from: .zero + min(lo, hi), to: .zero + hi)
        }
        d.stopsBGP = stopsBGP; d.blocksWAN = blocksWAN; d.hostsOff = hostsOff
        return d
    }

    /// A uniform window must not be empty once defaults apply; a failback comes after every
    /// possible disaster instant; `hosts_off` counts existing primary hosts. Every instant lies
    /// inside the run (Docs/statistics.md, no silent loss of samples): a fixed disaster before
    /// `duration`, a uniform window ending at or before it, a failback before it.
    public func validate(in spec: ScenarioSpec) throws {
        if fixed == nil, case .uniform(let a, let b) = disasterSpec(in: spec).timing {
            if a >= b {
                throw ScenarioError(.invalidValue, at: location, keyPath: "disaster.from",
                                    "the uniform window is empty (from \(Units.formatDuration(a - .zero)) to \(Units.formatDuration(b - .zero)))")
            }
            if let fb = failbackAt, fb < b {
                throw ScenarioError(.invalidValue, at: failbackLocation ?? location, keyPath: "disaster.failback_at",
                                    "failback_at (\(Units.formatDuration(fb - .zero))) must be after every disaster instant of the uniform window (to \(Units.formatDuration(b - .zero)))")
            }
        }
        if let d = spec.header.duration {
            let end = SimInstant.zero + d
            let dur = Units.formatDuration(d)
            if let f = fixed, f >= end {
                throw ScenarioError(.invalidValue, at: location, keyPath: "disaster.at",
                                    "the disaster (\(Units.formatDuration(f - .zero))) is at or after the end of the run (duration \(dur)): it would have no rows")
            }
            if fixed == nil, case .uniform(let a, let b) = disasterSpec(in: spec).timing, b > end || a >= end {
                let key = a >= end ? "from" : "to"
                throw ScenarioError(.invalidValue, at: (a >= end ? fromLocation : toLocation) ?? location, keyPath: "disaster.\(key)",
                                    "the uniform window [\(Units.formatDuration(a - .zero)), \(Units.formatDuration(b - .zero))) reaches past the end of the run (duration \(dur)): disasters there would have no rows")
            }
            if let fb = failbackAt, fb >= end {
                throw ScenarioError(.invalidValue, at: failbackLocation ?? location, keyPath: "disaster.failback_at",
                                    "failback_at (\(Units.formatDuration(fb - .zero))) is at or after the end of the run (duration \(dur)): the failback would never start")
            }
        }
        let hosts = spec.sites.primary.hosts
        if case .some(let n) = hostsOff, n > hosts {
            throw ScenarioError(.invalidValue, at: hostsOffLocation ?? location, keyPath: "disaster.hosts_off",
                                "\(n) hosts off, but the primary site '\(spec.sites.primary.name)' has \(hosts) hosts (use all, none or 0...\(hosts))")
        }
    }

    /// With a DR layer: stops the workloads at the disaster (the layer injects it). Without
    /// one: injects it into the WAN and the detector.
    public func install(into run: RunAssembly) throws {
        try WorldAssembly.installDisaster(self, into: run)
    }
}
