import DRLSimCore

/// The WAN paths between sites as faults, disasters and the failure detector use them: blocking
/// a direction and sending datagrams. Implemented by both WAN models' networks (`Network`, the
/// packet model, and `FlowNetwork`, the flow-level model). Site indices are those of the
/// `NetworkConfig` both are built from (0 the primary, 1 the backup).
public protocol WANPaths: AnyObject {
    /// The run's simulator.
    var sim: Simulator { get }
    /// The index of the site named `name`.
    func site(named name: String) -> Int?
    /// Blocks the direction `from -> to` now (the paper's iptables DROP rule).
    func block(from: Int, to: Int)
    /// Unblocks the direction `from -> to` now.
    func unblock(from: Int, to: Int)
    /// Whether the direction `from -> to` is blocked.
    func isBlocked(from: Int, to: Int) -> Bool
    /// Sends a datagram; `onDelivery` runs when it arrives (never if it is lost).
    func sendDatagram(from: Endpoint, to: Endpoint, bytes: Int, trafficClass: TrafficClass,
                      tag: Int64, priority: UInt8, onDelivery: ((Datagram) -> Void)?)
    /// Emits the end-of-run tables (`traffic`); further calls do nothing.
    func finish()
}

extension Network: WANPaths {
    /// Whether the link `from -> to` is blocked.
    public func isBlocked(from: Int, to: Int) -> Bool { link(from: from, to: to).isBlocked }
}

/// A whole WAN model of a run (scenario key `wan.model`): byte streams (`TransferNetwork`) and
/// the paths (`WANPaths`). The peers: the packet model (`WANTransfer` over `Network`, the
/// default) and the flow-level model (`FlowNetwork`).
public protocol WANModel: TransferNetwork, WANPaths {}

extension WANTransfer: WANModel {
    /// The network's simulator.
    public var sim: Simulator { network.sim }
    /// `Network.site(named:)`.
    public func site(named name: String) -> Int? { network.site(named: name) }
    /// `Network.block(from:to:)`.
    public func block(from: Int, to: Int) { network.block(from: from, to: to) }
    /// `Network.unblock(from:to:)`.
    public func unblock(from: Int, to: Int) { network.unblock(from: from, to: to) }
    /// Whether the link `from -> to` is blocked.
    public func isBlocked(from: Int, to: Int) -> Bool { network.isBlocked(from: from, to: to) }
    /// `Network.sendDatagram`.
    public func sendDatagram(from: Endpoint, to: Endpoint, bytes: Int, trafficClass: TrafficClass,
                             tag: Int64, priority: UInt8, onDelivery: ((Datagram) -> Void)?) {
        network.sendDatagram(from: from, to: to, bytes: bytes, trafficClass: trafficClass, tag: tag,
                             priority: priority, onDelivery: onDelivery)
    }
    /// `Network.finish()`.
    public func finish() { network.finish() }
}
