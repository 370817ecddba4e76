/// A model object that receives value-type events from the simulator.
///
/// Register once with `Simulator.register(_:)` and schedule events that carry the returned
/// `HandlerID`, a `code` and an `argument`. This is the allocation-free path that hot models
/// (queues, links, transports) use; a closure per event costs 3-4x (see shared/peers/README.md).
public protocol EventHandler: AnyObject {
    /// Handles `event` at `sim.now == event.time`.
    func handle(_ event: Event, in sim: Simulator)
}
