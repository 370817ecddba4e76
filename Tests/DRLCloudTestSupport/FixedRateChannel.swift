import DRLSimCore
import DRLNetwork

/// One stream of a `FixedRateNetwork`.
public final class FixedRateChannel: TransferChannel {
    unowned let network: FixedRateNetwork
    let index: Int
    /// The channel's traffic class.
    public let trafficClass: String
    public let sendBufferBytes: Int64
    public internal(set) var acceptedBytes: Int64 = 0
    public internal(set) var deliveredBytes: Int64 {
        get { delivered } set { delivered = newValue }
    }
    public var acknowledgedBytes: Int64 { acknowledged }
    public var onSpace: (() -> Void)?
    public var onDelivered: ((Int64) -> Void)?
    public var onAcknowledged: ((Int64) -> Void)?
    var delivered: Int64 = 0
    var acknowledged: Int64 = 0
    var unsent: Int64 = 0
    var queuedForLink = false
    var aborted = false

    init(network: FixedRateNetwork, index: Int, trafficClass: String, sendBuffer: Int64) {
        self.network = network
        self.index = index
        self.trafficClass = trafficClass
        self.sendBufferBytes = sendBuffer
    }

    public func offer(_ bytes: Int64) -> Int64 {
        guard !aborted, network.isUp, bytes > 0 else { return 0 }
        let n = Swift.min(bytes, freeSendBuffer)
        guard n > 0 else { return 0 }
        acceptedBytes += n
        unsent += n
        network.hasData(index)
        return n
    }

    public func abort() {
        aborted = true
        onSpace = nil; onDelivered = nil; onAcknowledged = nil
    }
}
