import DRLSimCore
import DRLNetwork

/// The disaster's WAN effect on DRLNetwork: the paper's iptables rule blocks both directions
/// between the primary and the backup (§6.3); failback unblocks them. Packets queued or in
/// flight are lost and flows stall (DRLNetwork's block semantics; either WAN model, `WANPaths`).
public final class WANDisasterTarget: DisasterTargets {
    /// The network.
    public let network: any WANPaths
    /// The primary site's index.
    public let primary: Int
    /// The backup site's index.
    public let backup: Int
    /// A target between `primary` and `backup` (site indices of `network`).
    public init(network: any WANPaths, primary: Int, backup: Int) {
        self.network = network; self.primary = primary; self.backup = backup
    }
    /// Blocks both directions when the disaster blocks the WAN.
    public func apply(_ event: DisasterEvent) {
        guard event.spec.blocksWAN else { return }
        network.block(from: primary, to: backup)
        network.block(from: backup, to: primary)
    }
    /// Unblocks both directions.
    public func restore(at instant: SimInstant) {
        network.unblock(from: primary, to: backup)
        network.unblock(from: backup, to: primary)
    }
}
