import DRLNetwork

/// What a DRBD device's closed connections' channels counted on their own (accepted and
/// delivered stream bytes), summed when each connection drops; `DRBDDevice+Statistics` checks
/// the device's counters against these books plus the open channel's.
struct ChannelBooks {
    /// Stream bytes the closed channels accepted.
    var acceptedBytes: Int64 = 0
    /// Stream bytes the closed channels delivered to the peer.
    var deliveredBytes: Int64 = 0

    /// Adds the books of `channel`, closing now.
    mutating func close(_ channel: TransferChannel) {
        acceptedBytes += channel.acceptedBytes
        deliveredBytes += channel.deliveredBytes
    }
}
