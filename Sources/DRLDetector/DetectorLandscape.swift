import DRLSimCore

/// The detector's world: which sites and hosts are really up, and the database
/// (orbit-dc-protector's MongoDB; in-memory here) that says which sites are operating.
///
/// The detectors never read the ground truth directly: their Updater reads the database
/// (registered detectors, routes, operating sites) every `update_interval`
/// (orbit-software.md section 1). A detector is registered while its host is up; when a whole
/// site is down its detectors stay registered (nobody is left to remove them).
public final class DetectorLandscape {
    /// Per site: true unless the site is down (a disaster).
    @exclusivity(unchecked) public internal(set) var siteUp: [Bool]
    /// Per site and host: true unless the host crashed.
    @exclusivity(unchecked) public internal(set) var hostUp: [[Bool]]
    /// Database flag per site: false once a detector declared it failed, until an operator marks it operating.
    @exclusivity(unchecked) public internal(set) var operating: [Bool]
    /// Per site: the instant it last went down, while it is down.
    @exclusivity(unchecked) public internal(set) var disasterAt: [SimInstant?]

    init(topology: DetectorTopology) {
        siteUp = Array(repeating: true, count: topology.sites.count)
        hostUp = topology.sites.map { Array(repeating: true, count: $0.hosts) }
        operating = Array(repeating: true, count: topology.sites.count)
        disasterAt = Array(repeating: nil, count: topology.sites.count)
    }

    /// True when the host at `e` is running.
    public func isUp(_ e: DetectorEndpoint) -> Bool { siteUp[e.site] && hostUp[e.site][e.host] }
}

/// A FAILED decision of one detector (issue 5, item 5).
public struct DetectorDecision: Sendable, Hashable {
    /// Sequence number of the decision in the run.
    public var id: Int
    /// The deciding detector's label (`<site>.<n>`).
    public var detector: String
    /// The deciding detector's site (the orchestrator notified is this site's).
    public var watcherSite: Int
    /// The site declared failed.
    public var site: Int
    /// When the decision was taken.
    public var at: SimInstant
    /// When the site went down, or nil when it is up (a false failover).
    public var disasterAt: SimInstant?
    /// Undecided votings before the decision.
    public var undecidedVotings: Int
    /// True when the site was up: the detector mistook a network fault for a disaster.
    public var falseFailover: Bool { disasterAt == nil }
    /// Disaster -> decision, for a real failure.
    public var detectionDelay: SimDuration? { disasterAt.map { at - $0 } }
}

/// The DR-Orchestrator received a decision (the hook the orchestration layer uses).
public struct DetectorNotification: Sendable, Hashable {
    /// The decision notified.
    public var decision: DetectorDecision
    /// When the orchestrator received it.
    public var at: SimInstant
    /// True for the first notification about this site since it was last operating (later
    /// ones come from the other detectors of the watcher site).
    public var first: Bool
}
