import DRLSimCore

/// The sender's view of one flow in a flow-level WAN model (`wan.model: flow`): the sender says
/// how fast it could send, the model allocates a payload rate and reports every change.
///
/// This is the fluid counterpart of `TransferChannel` (SimGrid's flow-level approach: a flow is a
/// rate, recomputed only when a flow starts, ends or changes its demand). A fluid sender (a fluid
/// DRBD queue, a rate-process writer) integrates its own backlog from `rate` between callbacks.
public protocol RateFlow: AnyObject {
    /// Sets the offered payload rate in bytes per second; `.infinity` means backlogged (send as
    /// fast as the allocation allows). Triggers a reallocation at the current simulated instant.
    func setDemand(_ bytesPerSecond: Double)
    /// The payload rate allocated now, in bytes per second (never above the demand).
    var rate: Double { get }
    /// The one-way delay of a byte sent now: propagation plus the model's queueing estimate.
    var oneWayDelay: SimDuration { get }
    /// Called with the new rate after every reallocation that changed it, at that instant.
    var onRateChange: ((Double) -> Void)? { get set }
    /// Removes the flow from the allocation; no more callbacks.
    func close()
}

/// A WAN model that carries fluid flows between named sites (implemented by the flow-level model).
public protocol RateNetwork: AnyObject {
    /// Opens a fluid flow from `source` to `destination` in traffic class `trafficClass`, whose rate
    /// is at most `maxWindow` bytes per round trip (the TCP window / send-buffer limit).
    func openRateFlow(from source: String, to destination: String, trafficClass: String,
                      maxWindow: Int64) -> RateFlow
}
