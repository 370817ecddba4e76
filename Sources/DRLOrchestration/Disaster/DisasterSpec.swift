import DRLSimCore

/// A disaster at the primary site, as the paper's failure script made it (§6.3): the BGP
/// daemon stops (clients lose the service), the WAN is blocked (uploads and DRBD stop), the
/// hosts go off. Each effect can be turned off for partial disasters.
public struct DisasterSpec: Sendable, Hashable {
    /// When it happens.
    public enum Timing: Sendable, Hashable {
        /// At a given instant.
        case at(SimInstant)
        /// Uniformly at random in [from, to) (Monte Carlo), from the stream `disaster`.
        case uniform(from: SimInstant, to: SimInstant)
    }
    /// Which primary hosts go off.
    public enum Hosts: Sendable, Hashable {
        /// Every host (the site is down).
        case all
        /// None (only the network is affected).
        case none
        /// The first `n` hosts.
        case some(Int)
    }
    /// When.
    public var timing: Timing = .at(.seconds(1500.0))
    /// The primary's BGP daemon stops, so anycast withdraws its route (§6.3 first bullet).
    public var stopsBGP = true
    /// The WAN between the sites is blocked (§6.3 second bullet: iptables).
    public var blocksWAN = true
    /// Primary hosts switched off.
    public var hostsOff: Hosts = .all
    /// The paper's disaster at 25 min.
    public init() {}
    /// A disaster at `instant` with the given effects.
    public init(at instant: SimInstant, stopsBGP: Bool = true, blocksWAN: Bool = true, hostsOff: Hosts = .all) {
        timing = .at(instant); self.stopsBGP = stopsBGP; self.blocksWAN = blocksWAN; self.hostsOff = hostsOff
    }
    /// True when the primary can no longer protect (WAN cut or every host off).
    public var stopsProtection: Bool { blocksWAN || hostsOff == .all }
}

/// The disaster as it happened.
public struct DisasterEvent: Sendable, Hashable {
    /// The instant.
    public var at: SimInstant
    /// Its effects.
    public var spec: DisasterSpec
}

/// What a disaster acts on (the WAN model, the sites, the routers) behind one seam.
public protocol DisasterTargets: AnyObject {
    /// Applies the effects of `event` at `event.at`.
    func apply(_ event: DisasterEvent)
    /// The primary is marked operating again at `instant` (hosts on, WAN unblocked) for failback.
    func restore(at instant: SimInstant)
}

extension DisasterTargets {
    /// Nothing to restore by default.
    public func restore(at instant: SimInstant) {}
}
