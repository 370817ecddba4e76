import DRLSimCore

/// The conservation checks over the device's counters (`statistics`, `DRBDStatistics`: the one
/// place they are read, `device.statistics.x`).
///
/// The checks compare books kept independently: the device's counters (what `submit`, the
/// stream and `dropConnection` account) with the channels' own counts of accepted and delivered
/// bytes (the transport's send buffer and receiver), summed over every connection.
extension DRBDDevice {
    /// Application bytes in the send buffer, qdisc or on the wire (accepted, not delivered), by
    /// the device's books; `conservationViolations` checks it against the channel's count.
    public var inChannelAppBytes: Int64 {
        statistics.replicatedBytes - statistics.deliveredAppBytes - statistics.droppedAppBytes
    }

    /// Stream bytes (application + resync) every channel of this device accepted, by the
    /// channels' own counts.
    public var channelAcceptedBytes: Int64 { closedChannels.acceptedBytes + (channel?.acceptedBytes ?? 0) }
    /// Stream bytes every channel of this device delivered to the peer, by the channels' counts.
    public var channelDeliveredBytes: Int64 { closedChannels.deliveredBytes + (channel?.deliveredBytes ?? 0) }

    /// Every violated identity (empty when the books balance):
    /// 1. submitted = admitted: `writtenBytes = replicatedBytes + pendingAppBytes +
    ///    bitmapAbsorbedBytes` (`submit` counts every write; the stream counts what it admitted,
    ///    `dropConnection` and the bitmap path what they took);
    /// 2. stream = channel: `replicatedBytes + resyncSentBytes` = the bytes the channels accepted;
    /// 3. attribution = channel: `deliveredAppBytes + resyncDeliveredBytes` = the bytes the
    ///    channels delivered (the device splits each delivery over its writes byte by byte);
    /// 4. loss = channel: `droppedAppBytes + resyncDroppedBytes` = accepted - delivered of the
    ///    closed connections.
    /// Together: written = delivered + in channel (by the channel's count) + dropped + blocked +
    /// bitmap-only.
    public func conservationViolations() -> [String] {
        let s = statistics
        var v: [String] = []
        if s.writtenBytes != s.replicatedBytes + pendingAppBytesCount + s.bitmapAbsorbedBytes {
            v.append("written \(s.writtenBytes) != replicated \(s.replicatedBytes) + blocked \(pendingAppBytesCount) + bitmap \(s.bitmapAbsorbedBytes)")
        }
        if s.replicatedBytes + s.resyncSentBytes != channelAcceptedBytes {
            v.append("stream \(s.replicatedBytes) + resync \(s.resyncSentBytes) != channels accepted \(channelAcceptedBytes)")
        }
        if s.deliveredAppBytes + s.resyncDeliveredBytes != channelDeliveredBytes {
            v.append("delivered \(s.deliveredAppBytes) + resync \(s.resyncDeliveredBytes) != channels delivered \(channelDeliveredBytes)")
        }
        let lost = closedChannels.acceptedBytes - closedChannels.deliveredBytes
        if s.droppedAppBytes + s.resyncDroppedBytes != lost {
            v.append("dropped \(s.droppedAppBytes) + resync \(s.resyncDroppedBytes) != lost by closed channels \(lost)")
        }
        return v
    }

    /// Whether every identity of `conservationViolations()` holds.
    public var conservationHolds: Bool { conservationViolations().isEmpty }
}
