import DRLSimCore

/// A fluid flow of the flow-level model: the `RateFlow` of `FlowNetwork` (for fluid senders:
/// the fluid DRBD queue, rate-process writers).
///
/// Its bound in the allocation is `min(demand, W / RTT)`; every reallocation that changes its
/// rate calls `onRateChange` at that instant. The model integrates the bytes it carries (for the
/// traffic account and `sentBytes`); the sender integrates its own backlog.
public final class FluidFlow: FlowMember, RateFlow {
    /// The offered payload rate (bytes/s; `.infinity`: backlogged).
    public private(set) var demand: Double = 0
    public var onRateChange: ((Double) -> Void)?
    /// Payload bytes carried so far (fluid).
    public private(set) var sentBytes: Double = 0

    public func setDemand(_ bytesPerSecond: Double) {
        precondition(bytesPerSecond >= 0, "FluidFlow.setDemand: a demand cannot be negative")
        guard !isClosed, bytesPerSecond != demand else { return }
        demand = bytesPerSecond
        if demand > 0 { network.activate(self) }
        if isActive { network.reallocate(link) }
    }

    public var oneWayDelay: SimDuration { currentOneWayDelay }

    public func close() {
        guard !isClosed else { return }
        onRateChange = nil
        network.remove(self)
    }

    override func bound() -> Double { Swift.min(demand, windowLimit) }

    override func advance(to now: SimInstant) {
        if rate > 0, now > since {
            let d = rate * (now - since).seconds
            sentBytes += d
            link.account(payload: d, trafficClass: trafficClass, from: since, to: now, carry: &wireCarry)
        }
        since = now
    }

    override func rateAllocated(_ r: Double, at now: SimInstant) {
        let changed = r != rate
        rate = r
        if changed { onRateChange?(r) }
    }
}
