import DRLSimCore
import DRLDetector
import DRLNetwork

/// The `detector:` section: the paper's distributed failure detector (§5) on both sites
/// (DRLDetector `DetectorConfig`, `DetectorDeployment`; keys and defaults in Docs/detector.md).
///
/// ```yaml
/// detector:
///   ping_timeout: 100ms        # paper: 5 retries of 100 ms
///   ping_retries: 5
///   ping_interval: 0s          # back-to-back rounds (final code)
///   voting_timeout: 500ms
///   voting_threshold: 0.5
///   max_voting_attempts: ~     # paper: re-vote up to N times; default none (final code)
///   update_interval: 1s        # or none
///   detectors_per_site: 3
///   orchestrator_host: 0       # host of each site's DR-Orchestrator (notifications)
///   witness: { site: witness, host: 0 }   # a site of sites.witness
///   transport: network         # network: DRLNetwork datagrams over the WAN (class detector); fixed: fixed delays
///   fixed: { wan_delay: 2.5ms, lan_delay: 100us }   # transport fixed (default wan_delay: wan.delay)
///   fast_rounds: true          # bulk simulation of steady rounds (transport fixed only)
///   faults:                    # { at, type, ... } with site names
///     - { at: 10s, type: wan-blocked, between: [umea, lulea] }
/// ```
/// Fault types: `site-down`/`site-up` {site}, `host-down`/`host-up` {site, host},
/// `wan-blocked`/`wan-unblocked` {between: [a, b]}, `wan-direction-blocked`/`wan-direction-unblocked`
/// {from, to}, `path-loss` {from, to, probability}, `partition`/`partition-heal` {site, hosts: [..], remote},
/// `mark-operating` {site}. With a `protection:` section the backup's detector notifies the
/// recovery pipeline (otherwise a fixed 5 x 100 ms stand-in decides).
public struct DetectorSection: ScenarioSection {
    public static let key = "detector"
    public static let summary = "the paper's failure detector: pings, voting, witness, transport, faults"

    /// One fault as written (site names resolved at install).
    public struct Fault: Sendable {
        var at: SimDuration
        var type: String
        var sites: [String]
        var host: Int
        var hosts: [Int]
        var probability: Double
        var location: SourceLocation
        /// Where `host`/`hosts` is written (the fault's mapping when absent).
        var hostLocation: SourceLocation
        var index: Int
    }

    /// The detector settings.
    public var config: DetectorConfig
    /// The witness (site name, host).
    public var witness: (site: String, host: Int)?
    /// Where the witness is written.
    var witnessLocation: SourceLocation?
    /// Host of each site's orchestrator.
    public var orchestratorHost: Int
    /// Transport: true = DRLNetwork datagrams.
    public var overNetwork: Bool
    /// Fixed transport delays (nil wan: the WAN's delay).
    public var fixedWANDelay: SimDuration?
    /// Fixed transport LAN delay.
    public var fixedLANDelay: SimDuration
    /// Faults.
    public var faults: [Fault]
    /// Where the section, `orchestrator_host`, `detectors_per_site` and `fixed.wan_delay` are written (for cross-checks).
    var locations: [String: SourceLocation] = [:]

    static let faultTypes = ["site-down", "site-up", "host-down", "host-up", "wan-blocked", "wan-unblocked",
                             "wan-direction-blocked", "wan-direction-unblocked", "path-loss", "partition",
                             "partition-heal", "mark-operating"]

    /// The keys of one `detector.faults` entry; which ones a fault takes follows its `type`.
    public static let faultSchema: ParameterSchema = [
        ParameterSpec("at", .duration, required: true, doc: "offset of the fault (at most the run's duration)"),
        ParameterSpec("type", .choice(faultTypes), required: true, doc: "what happens"),
        ParameterSpec("site", .text, doc: "site-*, host-*, mark-operating, partition*: the site concerned"),
        ParameterSpec("host", .count, minimum: 0, maximum: 9_999, doc: "host-down, host-up: the host"),
        ParameterSpec("between", .names, doc: "wan-blocked, wan-unblocked: the two sites"),
        ParameterSpec("from", .text, doc: "wan-direction-*, path-loss: sending site"),
        ParameterSpec("to", .text, doc: "wan-direction-*, path-loss: receiving site"),
        ParameterSpec("probability", .probability, doc: "path-loss: loss probability"),
        ParameterSpec("remote", .text, doc: "partition, partition-heal: the site cut off from the hosts"),
        ParameterSpec("hosts", .custom("list of host numbers"), doc: "partition, partition-heal: the hosts of site"),
    ]

    /// The section's keys, declared once; defaults are `DetectorConfig()`'s (the released
    /// detector's settings, Docs/detector.md).
    public static let schema: ParameterSchema = {
        let c = DetectorConfig()
        return [
            ParameterSpec("ping_timeout", .duration, default: .duration(c.pingTimeout), doc: "answer timeout of one ping"),
            ParameterSpec("ping_retries", .count, default: .number(Double(c.pingRetries)), minimum: 1, maximum: 1000,
                          doc: "pings without answer before a host counts as failed"),
            ParameterSpec("ping_interval", .duration, default: .duration(c.pingInterval), doc: "pause between ping rounds"),
            ParameterSpec("voting_timeout", .duration, default: .duration(c.votingTimeout), doc: "time to collect votes"),
            ParameterSpec("voting_threshold", .number, default: .number(c.votingThreshold), doc: "share of votes that declares a site failed"),
            ParameterSpec("max_voting_attempts", .count, minimum: 1, maximum: 1000, absent: "none", doc: "voting rounds before giving up (absent: the released code votes once)"),
            ParameterSpec("update_interval", .custom("duration, or none"), default: .duration(.milliseconds(1000)),
                          doc: "period of the detectors' state updates (none: never)"),
            ParameterSpec("detectors_per_site", .count, default: .number(Double(c.detectorsPerSite)), minimum: 1, maximum: 1000,
                          doc: "detectors per site (one per host)"),
            ParameterSpec("ping_bytes", .size, default: .size(Int64(c.pingBytes)), minimum: 1, message: "a detector message needs at least 1 byte",
                          doc: "size of a ping"),
            ParameterSpec("vote_bytes", .size, default: .size(Int64(c.voteBytes)), minimum: 1, message: "a detector message needs at least 1 byte",
                          doc: "size of a vote"),
            ParameterSpec("notify_bytes", .size, default: .size(Int64(c.notifyBytes)), minimum: 1, message: "a detector message needs at least 1 byte",
                          doc: "size of the failure notification"),
            ParameterSpec("notify_retry", .duration, default: .duration(c.notifyRetry), doc: "resend period of an unacknowledged notification"),
            ParameterSpec("fast_rounds", .bool, default: .bool(c.fastRounds), doc: "skip quiet ping rounds in chunks (same results, faster)"),
            ParameterSpec("fast_chunk", .duration, default: .duration(c.fastChunk), doc: "length of a skipped chunk"),
            ParameterSpec("witness", .mapping([
                ParameterSpec("site", .text, required: true, doc: "the witness site (sites.witness.name)"),
                ParameterSpec("host", .count, default: .number(0), minimum: 0, maximum: 9_999, doc: "the witness host"),
            ]), doc: "a witness that votes from a third site (absent: none)"),
            ParameterSpec("orchestrator_host", .count, default: .number(0), minimum: 0, maximum: 9_999, doc: "host of each site's orchestrator"),
            ParameterSpec("transport", .choice(["network", "fixed"]), default: .text("network"),
                          doc: "network: messages cross the wan model; fixed: fixed delays without the wan"),
            ParameterSpec("fixed", .mapping([
                ParameterSpec("wan_delay", .duration, doc: "one-way WAN delay (default: wan.delay)"),
                ParameterSpec("lan_delay", .duration, default: .duration(.microseconds(100)), doc: "one-way LAN delay"),
            ]), doc: "delays of transport fixed"),
            ParameterSpec("faults", .list(faultSchema), doc: "scheduled site, host and WAN faults"),
        ]
    }()

    public static func decode(_ m: ConfigMapping) throws -> DetectorSection? {
        guard m.isPresent else { return nil }
        let p = try m.values(of: schema)
        var c = DetectorConfig()
        c.pingTimeout = p.duration("ping_timeout")!
        c.pingRetries = p.count("ping_retries")!
        c.pingInterval = p.duration("ping_interval")!
        c.votingTimeout = p.duration("voting_timeout")!
        c.votingThreshold = p.number("voting_threshold")!
        c.maxVotingAttempts = p.count("max_voting_attempts")
        if let v = m.value("update_interval") {
            if v.node.scalar == "none" { _ = try v.string(); c.updateInterval = nil } else {
                let d = try v.duration()
                if d < .milliseconds(1) { throw v.error(.invalidValue, "update_interval must be at least 1ms (or none)") }
                c.updateInterval = d
            }
        }
        c.detectorsPerSite = p.count("detectors_per_site")!
        c.pingBytes = Int(p.size("ping_bytes")!)
        c.voteBytes = Int(p.size("vote_bytes")!)
        c.notifyBytes = Int(p.size("notify_bytes")!)
        c.notifyRetry = p.duration("notify_retry")!
        c.fastRounds = p.bool("fast_rounds")!
        c.fastChunk = p.duration("fast_chunk")!
        if let r = c.invalidReason {
            let key = ["ping_timeout", "ping_retries", "ping_interval", "voting_timeout", "voting_threshold",
                       "max_voting_attempts", "update_interval", "detectors_per_site", "fast_chunk"].first { r.hasPrefix($0) }
            throw m.error(key, .invalidValue, r)
        }
        let witness = try m.optionalMapping("witness") { w in
            let q = try w.values(of: schema.nested("witness")!)
            return (site: q.text("site")!, host: q.count("host")!)
        }
        let orchestratorHost = p.count("orchestrator_host")!
        let overNetwork = p.text("transport") == "network"
        var locations: [String: SourceLocation] = [:]
        var wanDelay: SimDuration?, lanDelay: SimDuration = .zero
        try m.mapping("fixed") { f in
            let q = try f.values(of: schema.nested("fixed")!)
            wanDelay = q.duration("wan_delay")
            lanDelay = q.duration("lan_delay")!
            locations["fixed.wan_delay"] = f.value("wan_delay")?.location
        }
        let faults = try m.list("faults", default: []).enumerated().map { (i, v) in try v.mapping { f in try fault(f, index: i) } }
        locations["detector"] = m.location
        for k in ["orchestrator_host", "detectors_per_site", "transport"] { locations[k] = m.value(k)?.location }
        return DetectorSection(config: c, witness: witness, witnessLocation: m.value("witness")?.location,
                               orchestratorHost: orchestratorHost, overNetwork: overNetwork, fixedWANDelay: wanDelay,
                               fixedLANDelay: lanDelay, faults: faults, locations: locations)
    }

    func location(_ key: String, in spec: ScenarioSpec) -> SourceLocation {
        locations[key] ?? spec.location(ofKey: Self.key)
    }

    static func fault(_ f: ConfigMapping, index: Int) throws -> Fault {
        f.declare(faultSchema)
        let at = try f.duration("at")
        if let d = f.context.header.duration {
            try f.check(at <= d, "at", "the fault is after the end of the run (duration \(Units.formatDuration(d)))")
        }
        let type = try f.choice("type", among: faultTypes)
        var x = Fault(at: at, type: type, sites: [], host: 0, hosts: [], probability: 0, location: f.location,
                      hostLocation: f.value("host")?.location ?? f.value("hosts")?.location ?? f.location, index: index)
        switch type {
        case "site-down", "site-up", "mark-operating": x.sites = [try f.string("site")]
        case "host-down", "host-up": x.sites = [try f.string("site")]; x.host = try f.int("host", in: 0...9_999)
        case "wan-blocked", "wan-unblocked":
            let l = try f.list("between")
            guard l.count == 2 else { throw f.error("between", .invalidValue, "between lists two site names") }
            x.sites = try l.map { try $0.string() }
            try f.check(x.sites[0] != x.sites[1], "between", "between names two different sites (a site has no WAN path to itself)")
        case "wan-direction-blocked", "wan-direction-unblocked":
            x.sites = [try f.string("from"), try f.string("to")]
            try f.check(x.sites[0] != x.sites[1], "to", "from and to must be different sites (a site has no WAN path to itself)")
        case "path-loss":
            x.sites = [try f.string("from"), try f.string("to")]
            try f.check(x.sites[0] != x.sites[1], "to", "from and to must be different sites (a site has no WAN path to itself)")
            x.probability = try f.double("probability")
            try f.check(x.probability >= 0 && x.probability <= 1, "probability", "a probability must be in [0, 1]")
        default: // partition, partition-heal
            x.sites = [try f.string("site"), try f.string("remote")]
            try f.check(x.sites[0] != x.sites[1], "remote", "remote must be another site than site")
            x.hosts = try f.list("hosts").map { try $0.int(in: 0...9_999) }
        }
        return x
    }

    /// The topology over `sites`.
    func topology(_ sites: SitesSection) throws -> DetectorTopology {
        var ss = [DetectorSite(name: sites.primary.name, hosts: sites.primary.hosts, orchestratorHost: orchestratorHost),
                  DetectorSite(name: sites.backup.name, hosts: sites.backup.hosts, orchestratorHost: orchestratorHost)]
        var w: DetectorWitness?
        if let witness {
            guard let ws = sites.witness, ws.name == witness.site else {
                throw ScenarioError(.invalidValue, at: witnessLocation ?? SourceLocation(file: "", line: 0), keyPath: "detector.witness.site",
                                    "'\(witness.site)' is not sites.witness (declare it: sites: { witness: { name: \(witness.site) } })")
            }
            ss.append(DetectorSite(name: ws.name, hosts: ws.hosts))
            w = DetectorWitness(site: 2, host: witness.host)
        }
        return DetectorTopology(sites: ss, routes: [DetectorRoute(watcher: 1, watched: 0), DetectorRoute(watcher: 0, watched: 1)],
                                witness: w)
    }

    /// The faults with site indices.
    func scheduled(_ sites: SitesSection) throws -> [ScheduledDetectorFault] {
        let names = sites.names
        let hostCounts = [sites.primary.hosts, sites.backup.hosts] + (sites.witness.map { [$0.hosts] } ?? [])
        return try faults.map { f in
            let ix = try f.sites.map { n -> Int in
                guard let i = names.firstIndex(of: n) else {
                    throw ScenarioError(.invalidValue, at: f.location, keyPath: "detector.faults[\(f.index)]",
                                        "unknown site '\(n)' (sites: \(names.joined(separator: ", ")))")
                }
                return i
            }
            let hostKey = f.type.hasPrefix("host-") ? "host" : "hosts"
            for h in (f.type.hasPrefix("host-") ? [f.host] : f.hosts) where h >= hostCounts[ix[0]] {
                throw ScenarioError(.invalidValue, at: f.hostLocation, keyPath: "detector.faults[\(f.index)].\(hostKey)",
                                    "host \(h) is out of range: site '\(f.sites[0])' has \(hostCounts[ix[0]]) hosts (0...\(hostCounts[ix[0]] - 1))")
            }
            let fault: DetectorFault
            switch f.type {
            case "site-down": fault = .siteDown(site: ix[0])
            case "site-up": fault = .siteUp(site: ix[0])
            case "mark-operating": fault = .markOperating(site: ix[0])
            case "host-down": fault = .hostDown(site: ix[0], host: f.host)
            case "host-up": fault = .hostUp(site: ix[0], host: f.host)
            case "wan-blocked": fault = .wanBlocked(ix[0], ix[1], blocked: true)
            case "wan-unblocked": fault = .wanBlocked(ix[0], ix[1], blocked: false)
            case "wan-direction-blocked": fault = .wanDirectionBlocked(from: ix[0], to: ix[1], blocked: true)
            case "wan-direction-unblocked": fault = .wanDirectionBlocked(from: ix[0], to: ix[1], blocked: false)
            case "path-loss": fault = .pathLoss(from: ix[0], to: ix[1], probability: f.probability)
            case "partition": fault = .partition(site: ix[0], hosts: f.hosts, remote: ix[1], cut: true)
            default: fault = .partition(site: ix[0], hosts: f.hosts, remote: ix[1], cut: false)
            }
            return ScheduledDetectorFault(at: .zero + f.at, fault)
        }
    }

    /// Site names and the topology must resolve against `sites:`.
    public func validate(in spec: ScenarioSpec) throws {
        let sites = spec.sites
        for s in [sites.primary, sites.backup] {
            if orchestratorHost >= s.hosts {
                throw ScenarioError(.invalidValue, at: location("orchestrator_host", in: spec), keyPath: "detector.orchestrator_host",
                                    "host \(orchestratorHost) is out of range: site '\(s.name)' has \(s.hosts) hosts (0...\(s.hosts - 1))")
            }
            if config.detectorsPerSite > s.hosts {
                throw ScenarioError(.invalidValue, at: location("detectors_per_site", in: spec), keyPath: "detector.detectors_per_site",
                                    "\(config.detectorsPerSite) detectors per site, but site '\(s.name)' has only \(s.hosts) hosts (one detector per host)")
            }
        }
        if let witness, let ws = sites.witness, ws.name == witness.site, witness.host >= ws.hosts {
            throw ScenarioError(.invalidValue, at: witnessLocation ?? location("detector", in: spec), keyPath: "detector.witness.host",
                                "host \(witness.host) is out of range: site '\(ws.name)' has \(ws.hosts) hosts (0...\(ws.hosts - 1))")
        }
        let t = try topology(sites)
        if let r = t.invalidReason(config: config) {
            throw ScenarioError(.invalidValue, at: spec.location(ofKey: Self.key), keyPath: Self.key, r)
        }
        _ = try scheduled(spec.sites)
        if overNetwork, spec.section(WANSection.self) == nil {
            throw ScenarioError(.invalidValue, at: spec.location(ofKey: Self.key), keyPath: "detector.transport",
                                "transport network needs a wan: section (or use transport: fixed)")
        }
        // NetworkDetectorTransport applies WAN blocks only (DetectorDeployment.check refuses the rest).
        if overNetwork, let f = faults.first(where: { ["path-loss", "partition", "partition-heal"].contains($0.type) }) {
            throw ScenarioError(.invalidValue, at: f.location, keyPath: "detector.faults[\(f.index)].type",
                                "a \(f.type) fault needs transport: fixed (transport network applies site, host and wan-blocked faults only; use a netem qdisc for loss)")
        }
        // A zero round trip with back-to-back rounds would run unboundedly many ping rounds in
        // one instant (Detector+FastRounds divides by the round's length).
        if !overNetwork, fixedWANDelay(spec) == .zero, config.pingInterval == .zero {
            let written = locations["fixed.wan_delay"] != nil
            throw ScenarioError(.invalidValue, at: written ? location("fixed.wan_delay", in: spec) : location("transport", in: spec),
                                keyPath: "detector.fixed.wan_delay",
                                "transport fixed with a zero WAN delay\(written ? "" : " (from wan.delay)") and ping_interval 0s: every ping round would take no time; give a positive wan_delay or ping_interval")
        }
    }

    /// The fixed transport's WAN delay: `fixed.wan_delay`, else the WAN's delay, else 2.5 ms.
    func fixedWANDelay(_ spec: ScenarioSpec) -> SimDuration {
        fixedWANDelay ?? spec.section(WANSection.self)?.delay ?? .microseconds(2500)
    }

    /// Deploys the detector processes (now) over the WAN or the fixed-delay transport; the
    /// `detector` table's end-of-run rows are written at the end.
    public func install(into run: RunAssembly) throws {
        let sites = run.spec.sites
        let transport: DetectorTransport
        if overNetwork {
            let paths: any WANPaths = try run.component(FlowNetwork.self) ?? run.require(DRLNetwork.Network.self, by: "detector.transport")
            transport = NetworkDetectorTransport(network: paths)
        } else {
            let wan = fixedWANDelay(run.spec)
            transport = FixedDelayTransport(sim: run.sim, random: run.stream("detector.transport"), lanDelay: fixedLANDelay, wanDelay: wan)
        }
        let d: DetectorDeployment
        let topo = try topology(sites), faults = try scheduled(sites)
        do throws(DetectorError) {
            d = try DetectorDeployment.install(in: run.context, config: config, topology: topo,
                                               transport: transport, faults: faults)
        } catch {
            let text: String
            switch error {
            case .invalidConfig(let s), .invalidTopology(let s), .unsupportedFault(let s): text = s
            }
            throw ScenarioError(.assembly, at: run.spec.location(ofKey: Self.key), keyPath: Self.key, text)
        }
        run.provide(d)
        run.atEnd { _ in d.finish() }
    }
}
