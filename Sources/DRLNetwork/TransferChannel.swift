import DRLSimCore

/// The narrow seam between DRLCloud and the WAN: one reliable, ordered byte stream from a
/// sender to a receiver with a bounded send buffer.
///
/// Semantics follow a TCP socket as DRBD and the Swift client see it (drbd-and-tc.md, "TCP over
/// the WAN"): `offer` copies at most the free send-buffer space and returns the bytes accepted
/// (backpressure); the buffer holds bytes until they are acknowledged; `onSpace` fires when
/// acknowledgements free space. Counters are cumulative since the channel opened, so
/// `accepted - delivered` is what sits in the send buffer, the qdisc and on the wire.
public protocol TransferChannel: AnyObject {
    /// Copies up to `bytes` into the send buffer; returns the number accepted (0 when full or closed).
    func offer(_ bytes: Int64) -> Int64
    /// Bytes accepted into the send buffer so far.
    var acceptedBytes: Int64 { get }
    /// Bytes that arrived at the receiver so far (in order).
    var deliveredBytes: Int64 { get }
    /// Bytes acknowledged to the sender so far.
    var acknowledgedBytes: Int64 { get }
    /// The send-buffer size in bytes.
    var sendBufferBytes: Int64 { get }
    /// Called when send-buffer space was freed.
    var onSpace: (() -> Void)? { get set }
    /// Called with the new cumulative delivered count when bytes arrive at the receiver.
    var onDelivered: ((Int64) -> Void)? { get set }
    /// Called with the new cumulative acknowledged count.
    var onAcknowledged: ((Int64) -> Void)? { get set }
    /// Tears the stream down: nothing more is sent, delivered or acknowledged.
    func abort()
}

extension TransferChannel {
    /// Free send-buffer space.
    public var freeSendBuffer: Int64 { Swift.max(0, sendBufferBytes - (acceptedBytes - acknowledgedBytes)) }
    /// Bytes accepted but not yet delivered (send buffer, qdisc and wire).
    public var undeliveredBytes: Int64 { acceptedBytes - deliveredBytes }
    /// Bytes accepted but not yet acknowledged (what the send buffer holds).
    public var unacknowledgedBytes: Int64 { acceptedBytes - acknowledgedBytes }
}

/// The traffic classes DRLCloud opens channels with (names as in `traffic.csv`).
public enum TrafficClassName {
    /// DRBD volume replication and resync.
    public static let replication = "replication"
    /// VM and volume snapshot uploads.
    public static let snapshot = "snapshot"
    /// Image copies into the global container.
    public static let image = "image"
    /// Execution metadata and the Heat template.
    public static let metadata = "metadata"
    /// Application traffic (e.g. the transcoder fetching videos).
    public static let application = "application"
}

/// Opens transfer channels between named sites; implemented over DRLNetwork's reliable flows
/// (`WANTransfer`, the packet model), the flow-level model (`FlowNetwork`) and, in tests,
/// DRLCloudTestSupport's `FixedRateNetwork`.
public protocol TransferNetwork: AnyObject {
    /// Opens a stream from `source` to `destination` in traffic class `trafficClass` with a send
    /// buffer of `sendBuffer` bytes.
    func openChannel(from source: String, to destination: String, trafficClass: String,
                     sendBuffer: Int64) -> TransferChannel
    /// Opens a stream whose send buffer autotunes up to `maxSendBuffer` (Linux tcp_wmem[2]).
    func openAutotunedChannel(from source: String, to destination: String, trafficClass: String,
                              maxSendBuffer: Int64) -> TransferChannel
    /// Whether packets currently get from `source` to `destination` and back (no cut path).
    /// DRBD asks before reconnecting and when deciding that a silent peer is gone.
    func isReachable(from source: String, to destination: String) -> Bool
}

extension TransferNetwork {
    /// Opens a stream whose send buffer Linux autotunes up to `maxSendBuffer` (tcp_wmem[2])
    /// (`SendBufferAutotune`). Default: a fixed buffer of `maxSendBuffer` (networks without TCP).
    public func openAutotunedChannel(from source: String, to destination: String, trafficClass: String,
                                     maxSendBuffer: Int64) -> TransferChannel {
        openChannel(from: source, to: destination, trafficClass: trafficClass, sendBuffer: maxSendBuffer)
    }

    /// Default: always reachable (a network without path faults).
    public func isReachable(from source: String, to destination: String) -> Bool { true }
}
