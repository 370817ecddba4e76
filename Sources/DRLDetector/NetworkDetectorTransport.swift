import DRLSimCore
import DRLNetwork

/// Detector messages as DRLNetwork datagrams in the `detector` traffic class: over the WAN they
/// wait in the same qdisc as replication, snapshot and application traffic (and so suffer its
/// queueing delay, drops and blocking), inside a site they cross its LAN (issue 5, item 6).
///
/// The network decides delay and loss; nothing is drawn here. Path faults: blocking a WAN
/// direction maps to `Network.block`/`unblock` (queued and in-flight packets are lost); random
/// loss is a netem qdisc in the network's configuration, and host-level cuts are not available.
public final class NetworkDetectorTransport: DetectorTransport, DetectorPathFaults {
    /// Receiver of delivered messages (the deployment, retained by the simulator).
    @exclusivity(unchecked) public unowned(unsafe) var sink: DetectorMessageSink?
    /// The run's network.
    public let network: any WANPaths
    /// Messages sent.
    @exclusivity(unchecked) public private(set) var sent = 0
    /// Messages delivered.
    @exclusivity(unchecked) public private(set) var delivered = 0

    /// A transport over `network`.
    public init(network: any WANPaths) { self.network = network }

    /// Sends `message` as a datagram of `bytes` bytes in the `detector` class.
    public func send(_ message: DetectorMessage, bytes: Int) {
        sent += 1
        network.sendDatagram(from: Endpoint(site: message.from.site, host: message.from.host),
                             to: Endpoint(site: message.to.site, host: message.to.host),
                             bytes: bytes, trafficClass: .detector, tag: message.conversation, priority: 0) { [unowned self] _ in
            self.delivered += 1
            self.sink?.receive(message, in: self.network.sim)
        }
    }

    /// Blocks or unblocks the WAN direction `a -> b` in the network.
    public func setBlocked(from a: Int, to b: Int, _ blocked: Bool) {
        if blocked { network.block(from: a, to: b) } else { network.unblock(from: a, to: b) }
    }
    /// Not available (use a netem qdisc); `canApply` refuses it.
    public func setLoss(from a: Int, to b: Int, _ p: Double) {
        preconditionFailure("NetworkDetectorTransport: random loss is a netem qdisc of the network configuration")
    }
    /// Not available; `canApply` refuses it.
    public func setCut(site: Int, host: Int, from remote: Int, _ cut: Bool) {
        preconditionFailure("NetworkDetectorTransport: host-level cuts are not modelled by DRLNetwork")
    }
    /// WAN blocks only.
    public func canApply(_ fault: DetectorFault) -> Bool {
        switch fault {
        case .wanBlocked, .wanDirectionBlocked: return true
        default: return false
        }
    }
}
