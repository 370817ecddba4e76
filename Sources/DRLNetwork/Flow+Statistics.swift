/// Read-only accessors for a flow's counters (`statistics`, `FlowStatistics`).
extension Flow {
    /// Bytes accepted by `offer`.
    public var offeredBytes: Int64 { statistics.offeredBytes }
    /// Bytes acknowledged cumulatively (released from the send buffer).
    public var ackedBytes: Int64 { statistics.ackedBytes }
    /// Bytes delivered in order to the receiving application.
    public var deliveredBytes: Int64 { statistics.deliveredBytes }
    /// Bytes transmitted for the first time.
    public var firstTransmittedBytes: Int64 { statistics.firstTransmittedBytes }
    /// Bytes retransmitted.
    public var retransmittedBytes: Int64 { statistics.retransmittedBytes }
    /// All bytes transmitted (first transmissions + retransmissions).
    public var transmittedBytes: Int64 { statistics.transmittedBytes }
    /// Wire bytes (payload + framing headers) of every transmission, as the qdisc charged them.
    public var wireTransmittedBytes: Int64 { statistics.wireTransmittedBytes }
    /// Copies that reached the receiver (duplicates and post-abort arrivals included).
    public var arrivedBytes: Int64 { statistics.arrivedBytes }
    /// Copies still queued or on a wire.
    public var inNetworkBytes: Int64 { statistics.inNetworkBytes }
    /// Copies dropped (qdisc, netem loss, blocked link).
    public var droppedBytes: Int64 { statistics.droppedBytes }
    /// Bytes offered but never delivered because the flow was aborted.
    public var lostOnAbortBytes: Int64 { statistics.lostOnAbortBytes }
    /// Retransmission timeouts so far.
    public var timeouts: Int { statistics.timeouts }
    /// Acknowledgements sent by the receiver.
    public var acksSent: Int64 { statistics.acksSent }
    /// Loss episodes (window reductions by fast recovery) so far.
    public var lossEpisodes: Int { statistics.lossEpisodes }
}
