import DRLSimCore

/// The `TransferNetwork` seam over DRLNetwork: every channel is a reliable `Flow` between two
/// sites of the run's `Network`, in the DRLNetwork traffic class named like the channel's
/// (`replication`, `snapshot`, `image`, `metadata`, `application`).
///
/// Site names are resolved with `Network.site(named:)`. A source that is not a site of the
/// network (e.g. a video repository the scenario did not declare) is taken to be on the
/// destination's LAN, so the transfer still happens, without crossing the WAN.
public final class WANTransfer: TransferNetwork {
    /// The run's network.
    public let network: Network
    /// Options of every flow opened (congestion control, receive window, ...).
    public var flowOptions: FlowOptions

    /// A seam over `network`.
    public init(network: Network, flowOptions: FlowOptions = FlowOptions()) {
        self.network = network
        self.flowOptions = flowOptions
    }

    public func openChannel(from source: String, to destination: String, trafficClass: String,
                            sendBuffer: Int64) -> TransferChannel {
        channel(from: source, to: destination, trafficClass: trafficClass, sendBuffer: sendBuffer, options: flowOptions)
    }

    /// A channel whose flow autotunes its send buffer up to `maxSendBuffer` (tcp_wmem[2]),
    /// `SendBufferAutotune`; a network transport override `send_buffer` fixes it instead.
    public func openAutotunedChannel(from source: String, to destination: String, trafficClass: String,
                                     maxSendBuffer: Int64) -> TransferChannel {
        var o = flowOptions
        o.sendBufferAutotune = SendBufferAutotune(maxBytes: maxSendBuffer)
        return channel(from: source, to: destination, trafficClass: trafficClass, sendBuffer: maxSendBuffer, options: o)
    }

    /// A channel over a flow from `source` (or the destination's LAN) to `destination`.
    private func channel(from source: String, to destination: String, trafficClass: String,
                         sendBuffer: Int64, options: FlowOptions) -> TransferChannel {
        guard let b = network.site(named: destination) else {
            preconditionFailure("WANTransfer: \(destination) is not a site of the network")
        }
        let a = network.site(named: source) ?? b
        let cls = TrafficClass(name: trafficClass) ?? .application
        return WANChannel(flow: network.openFlow(from: a, to: b, trafficClass: cls, sendBuffer: sendBuffer, options: options))
    }

    /// Both WAN directions between the two sites are unblocked (a source that is not a site of
    /// the network is on the destination's LAN: always reachable).
    public func isReachable(from source: String, to destination: String) -> Bool {
        guard let a = network.site(named: source), let b = network.site(named: destination), a != b else { return true }
        return !network.link(from: a, to: b).isBlocked && !network.link(from: b, to: a).isBlocked
    }
}

/// A `TransferChannel` backed by a DRLNetwork `Flow` (cumulative counters, callbacks forwarded).
public final class WANChannel: TransferChannel {
    /// The underlying flow.
    public let flow: Flow
    @exclusivity(unchecked) public var onSpace: (() -> Void)? {
        didSet { flow.onSpaceAvailable = onSpace.map { f in { _ in f() } } }
    }
    @exclusivity(unchecked) public var onDelivered: ((Int64) -> Void)? {
        didSet { flow.onDelivered = onDelivered.map { f in { fl, _ in f(fl.deliveredBytes) } } }
    }
    @exclusivity(unchecked) public var onAcknowledged: ((Int64) -> Void)? {
        didSet { flow.onAcknowledged = onAcknowledged.map { f in { fl, _ in f(fl.ackedBytes) } } }
    }

    init(flow: Flow) { self.flow = flow }

    public func offer(_ bytes: Int64) -> Int64 { bytes > 0 ? flow.offer(bytes) : 0 }
    public var acceptedBytes: Int64 { flow.offeredBytes }
    public var deliveredBytes: Int64 { flow.deliveredBytes }
    public var acknowledgedBytes: Int64 { flow.ackedBytes }
    public var sendBufferBytes: Int64 { flow.sendBufferSize }
    public func abort() {
        flow.onSpaceAvailable = nil
        flow.onDelivered = nil
        flow.onAcknowledged = nil
        flow.abort()
    }
}
