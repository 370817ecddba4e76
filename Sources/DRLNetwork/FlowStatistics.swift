/// The counters of a `Flow`: bytes of TCP payload (goodput) unless named `wire`, as Linux keeps
/// them per socket (`tcp_info`: `tcpi_bytes_acked`, `tcpi_bytes_sent`, `tcpi_bytes_retrans`,
/// `tcpi_total_retrans`; include/uapi/linux/tcp.h).
///
/// Identities (`Network.conservationViolations`): `offered = acked + unsent + unacked` while open,
/// `offered = delivered + lostOnAbort` after an abort; `transmitted = arrived + inNetwork +
/// dropped`; and, against the links' own counts, the flows' `wireTransmittedBytes` and
/// `droppedWireBytes` (with the datagrams') equal what the links were offered and dropped.
public struct FlowStatistics: Sendable, Equatable {
    /// Bytes accepted by `offer`.
    public var offeredBytes: Int64 = 0
    /// Bytes acknowledged cumulatively (released from the send buffer).
    public var ackedBytes: Int64 = 0
    /// Bytes delivered in order to the receiving application.
    public var deliveredBytes: Int64 = 0
    /// Bytes transmitted for the first time.
    public var firstTransmittedBytes: Int64 = 0
    /// Bytes retransmitted.
    public var retransmittedBytes: Int64 = 0
    /// Wire bytes (payload + framing headers) of every transmission, as the qdisc charged them.
    public var wireTransmittedBytes: Int64 = 0
    /// Copies that reached the receiver (duplicates and post-abort arrivals included).
    public var arrivedBytes: Int64 = 0
    /// Copies still queued or on a wire.
    public var inNetworkBytes: Int64 = 0
    /// Copies dropped (qdisc, netem loss, blocked link).
    public var droppedBytes: Int64 = 0
    /// Wire bytes of the dropped copies (as the links count their drops).
    public var droppedWireBytes: Int64 = 0
    /// Bytes offered but never delivered because the flow was aborted.
    public var lostOnAbortBytes: Int64 = 0
    /// Retransmission timeouts so far.
    public var timeouts: Int = 0
    /// Acknowledgements sent by the receiver.
    public var acksSent: Int64 = 0
    /// Loss episodes (window reductions by fast recovery) so far; RTOs are counted in `timeouts`.
    public var lossEpisodes: Int = 0

    /// All bytes transmitted (first transmissions + retransmissions).
    public var transmittedBytes: Int64 { firstTransmittedBytes + retransmittedBytes }

    /// No counts yet.
    public init() {}
}
