import DRLSimCore

/// A fault or operator action the detector's world can suffer, as scenario data (issue 5, item 7).
public enum DetectorFault: Sendable, Hashable {
    /// The whole site goes down: every host off (a disaster). Its detectors stay registered in
    /// the database: nobody is left to remove them.
    case siteDown(site: Int)
    /// The site's hosts come back (processes restart).
    case siteUp(site: Int)
    /// One host crashes; its detector stops. The site's control plane drops it from the
    /// database, which the other detectors see at their next update.
    case hostDown(site: Int, host: Int)
    /// A crashed host restarts.
    case hostUp(site: Int, host: Int)
    /// Blocks (or unblocks) the WAN between two sites in both directions, sites still up (the
    /// paper's iptables rule).
    case wanBlocked(Int, Int, blocked: Bool)
    /// Blocks (or unblocks) one direction of the WAN.
    case wanDirectionBlocked(from: Int, to: Int, blocked: Bool)
    /// Sets the random loss probability of the directed path between two sites (equal = LAN).
    case pathLoss(from: Int, to: Int, probability: Double)
    /// Cuts (or restores) some hosts of `site` from every host of `remote`, both ways: a
    /// partition that cuts only some pingers off.
    case partition(site: Int, hosts: [Int], remote: Int, cut: Bool)
    /// An operator marks the site operating again in the database: watchers resume at their next update.
    case markOperating(site: Int)
}

/// A fault at an instant.
public struct ScheduledDetectorFault: Sendable, Hashable {
    /// When the fault happens.
    public var at: SimInstant
    /// What happens.
    public var fault: DetectorFault
    /// `fault` at `at`.
    public init(at: SimInstant, _ fault: DetectorFault) { self.at = at; self.fault = fault }
}

/// The path faults a transport can apply (the deployment forwards path faults to it).
public protocol DetectorPathFaults: AnyObject {
    /// Blocks or unblocks the direction `a -> b` between two sites.
    func setBlocked(from a: Int, to b: Int, _ blocked: Bool)
    /// Sets the random loss of the directed path between sites `a` and `b`.
    func setLoss(from a: Int, to b: Int, _ p: Double)
    /// Cuts or restores host `host` of `site` from the hosts of `remote`, both ways.
    func setCut(site: Int, host: Int, from remote: Int, _ cut: Bool)
    /// True when the transport can apply the path fault `fault`.
    func canApply(_ fault: DetectorFault) -> Bool
}

extension FixedDelayTransport: DetectorPathFaults {
    /// Every path fault.
    public func canApply(_ fault: DetectorFault) -> Bool { true }
}

/// Errors of the detector layer.
public enum DetectorError: Error, Sendable, Hashable {
    /// The configuration is invalid.
    case invalidConfig(String)
    /// The topology is invalid.
    case invalidTopology(String)
    /// A path fault was given but the transport cannot apply it.
    case unsupportedFault(String)
}
