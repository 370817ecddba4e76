import DRLSimCore

/// Where a transport hands the messages it delivers.
public protocol DetectorMessageSink: AnyObject {
    /// Receives `message` at `sim.now` (the receiver's host state is checked by the sink).
    func receive(_ message: DetectorMessage, in sim: Simulator)
}

/// The network as the detector sees it: send a message of some size from one host to another;
/// it is delivered later (after queueing and delay) or silently lost.
///
/// Implementations: `FixedDelayTransport` (fixed LAN/WAN delays, per-path loss and blocking, for
/// unit tests and fast long runs) and `NetworkDetectorTransport` (DRLNetwork datagrams in the
/// `detector` traffic class, queued behind replication traffic).
public protocol DetectorTransport: AnyObject {
    /// The receiver of every delivered message (set by the deployment when it is installed).
    var sink: DetectorMessageSink? { get set }
    /// Sends `message` of `bytes` bytes from `message.from` to `message.to`.
    func send(_ message: DetectorMessage, bytes: Int)
}

/// What a predictable transport promises about one directed path right now.
public struct DetectorPathState: Sendable, Hashable {
    /// One-way delay.
    public var delay: SimDuration
    /// Probability that a message is lost at random (independently of all others).
    public var loss: Double
    /// True when nothing gets through (a block on the path).
    public var blocked: Bool
    /// A path state.
    public init(delay: SimDuration, loss: Double, blocked: Bool) { self.delay = delay; self.loss = loss; self.blocked = blocked }
}

/// A transport whose paths have fixed delays and independent losses, so that a run of ping
/// rounds can be simulated in bulk (`DetectorConfig.fastRounds`).
///
/// Contract: between two calls of `pathsWillChange` (which the transport makes before any
/// change of delay, loss or blocking) every path keeps the state `path(from:to:)` reports.
public protocol PredictableDetectorTransport: DetectorTransport {
    /// The current state of the directed path `from -> to`.
    func path(from: DetectorEndpoint, to: DetectorEndpoint) -> DetectorPathState
    /// Puts `message` in flight as if it had been sent at `sentAt` without random loss; it
    /// arrives at `arrival` unless the path is blocked by then (or was blocked meanwhile).
    func inject(_ message: DetectorMessage, sentAt: SimInstant, arrival: SimInstant)
    /// Called before every change of a path's state (the deployment flushes bulk rounds).
    var pathsWillChange: (() -> Void)? { get set }
}
