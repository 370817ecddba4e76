import DRLSimCore

/// What the flow-level model (`FlowNetwork`) knows of one flow on a direction: its class, its
/// leaf in the sharing tree, its window limit and its allocated rate. Subclassed by the byte
/// stream (`FlowChannel`) and the fluid flow (`FluidFlow`).
public class FlowMember {
    /// The flow's id (order of opening in its network).
    public let id: Int
    /// The traffic class.
    public let trafficClass: TrafficClass
    /// The forward direction.
    public let link: FlowLink
    /// The reverse direction (acknowledgements).
    public let reverse: FlowLink
    /// The leaf of `link`'s sharing tree the flow is classified to.
    let leaf: FlowShareNode
    /// The max-min variable.
    let variable = FlowShareVariable(bound: 0)
    /// TCP's window (bytes in flight at most: min(send buffer, receive window)).
    public let window: Int64
    /// The base round trip: both propagation delays, netem delays on the path, one segment's
    /// serialisation (no queueing).
    public let baseRTT: SimDuration
    /// Extra one-way delay of the forward path (netem).
    let extraDelay: SimDuration
    /// The allocated payload rate (bytes/s) since `since`.
    public internal(set) var rate: Double = 0
    /// When the current rate was set (the integration's last point).
    var since: SimInstant
    /// Fractional wire bytes not yet counted in the traffic account.
    var wireCarry: Double = 0
    /// Removed from its direction.
    public internal(set) var isClosed = false
    /// In its direction's allocation (`FlowNetwork.activate`).
    public internal(set) var isActive = false
    /// The network (which owns its flows: `members`).
    unowned(unsafe) let network: FlowNetwork

    init(id: Int, network: FlowNetwork, link: FlowLink, reverse: FlowLink, trafficClass: TrafficClass,
         window: Int64, flowID: Int32, priority: UInt8) {
        self.id = id
        self.network = network
        self.link = link
        self.reverse = reverse
        self.trafficClass = trafficClass
        self.window = window
        let (leaf, extra) = link.root.leaf(trafficClass: trafficClass, flow: flowID, priority: priority)
        let (_, back) = reverse.root.leaf(trafficClass: .ack, flow: flowID, priority: priority)
        self.leaf = leaf
        self.extraDelay = extra
        baseRTT = link.delay + extra + reverse.delay + back + link.segmentTime
        since = network.sim.now
    }

    /// TCP's window limit `W / RTT` (CM02's `TCP_gamma / (2 x latency)`), payload bytes/s.
    public var windowLimit: Double { Double(window) / Swift.max(1e-9, baseRTT.seconds) }

    /// The one-way delay of a byte sent now: propagation, netem, and the standing queue of its
    /// leaf (`FlowNetwork.queueDelay`).
    public var currentOneWayDelay: SimDuration { link.delay + extraDelay + network.queueDelay(of: leaf) }

    /// The most the flow can have in flight now (its window; a stream: also what it holds).
    func inFlightLimit() -> Double { Double(window) }

    /// The bound the flow offers to the allocation now (0 when it has nothing to send).
    func bound() -> Double { 0 }

    /// Integrates the flow from `since` to `now` at `rate` (bytes sent, traffic accounted).
    func advance(to now: SimInstant) { since = now }

    /// Called after every allocation of its direction with the new rate.
    func rateAllocated(_ r: Double, at now: SimInstant) { rate = r }

    /// Called when a direction of the flow's path was blocked or unblocked.
    func pathChanged(at now: SimInstant) {}
}
