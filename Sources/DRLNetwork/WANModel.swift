import DRLSimCore

/// What every WAN model of a run offers besides byte streams (`TransferNetwork`): the controls
/// faults and disasters use, datagrams for the failure detector, and the end-of-run tables.
///
/// Two peers implement it (scenario key `wan.model`): the packet model (`WANTransfer` over
/// `Network`, the default) and the flow-level model (`FlowNetwork`). Site indices are those of
/// the `NetworkConfig` both are built from (0 the primary, 1 the backup).
public protocol WANModel: TransferNetwork {
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
    public func isBlocked(from: Int, to: Int) -> Bool { network.link(from: from, to: to).isBlocked }
    /// `Network.sendDatagram`.
    public func sendDatagram(from: Endpoint, to: Endpoint, bytes: Int, trafficClass: TrafficClass,
                             tag: Int64, priority: UInt8, onDelivery: ((Datagram) -> Void)?) {
        network.sendDatagram(from: from, to: to, bytes: bytes, trafficClass: trafficClass, tag: tag,
                             priority: priority, onDelivery: onDelivery)
    }
    /// `Network.finish()`.
    public func finish() { network.finish() }
}
