import DRLSimCore

/// Transport settings a scenario overrides for every flow of a network, a traffic class or one
/// flow (`wan.transport`, `wan.transport.classes.<class>`, `flows[].transport`); nil keeps what
/// the model opening the flow chose (its `FlowOptions`, Linux defaults unless it says otherwise).
///
/// Linux defaults these replace: CUBIC (`net.ipv4.tcp_congestion_control`), min RTO 200 ms
/// (`TCP_RTO_MIN`, include/net/tcp.h), initial window 10 segments (`TCP_INIT_CWND`), delayed
/// ACKs on (`tcp_send_delayed_ack`, 40 ms `TCP_DELACK_MIN`), receive window 6 MiB
/// (`tcp_rmem[2]` = 6291456), acknowledgements counted per segment (`AckCounting.segments`).
public struct TransportOptions: Sendable, Equatable {
    /// Congestion control.
    public var congestion: CongestionAlgorithm?
    /// Minimum retransmission timeout.
    public var minRTO: SimDuration?
    /// Initial congestion window in segments.
    public var initialWindow: Int64?
    /// Whether the receiver delays ACKs.
    public var delayedAck: Bool?
    /// Receive window in bytes.
    public var receiveWindow: Int64?
    /// Send buffer in bytes (replaces what the opening model asked for, e.g. `drbd.sndbuf`): a
    /// fixed size, which also turns autotuning off.
    public var sendBuffer: Int64?
    /// `send_buffer: auto`: Linux send-buffer autotuning up to the size the opening model asked
    /// for (`SendBufferAutotune`, tcp_input.c `tcp_sndbuf_expand`); exclusive with `sendBuffer`.
    public var sendBufferAutotune: Bool?
    /// How window increases count acknowledgements.
    public var ackCounting: AckCounting?
    /// How the RTO is computed.
    public var rtoFormula: RTOFormula?

    /// Nothing overridden.
    public init(congestion: CongestionAlgorithm? = nil, minRTO: SimDuration? = nil, initialWindow: Int64? = nil,
                delayedAck: Bool? = nil, receiveWindow: Int64? = nil, sendBuffer: Int64? = nil,
                ackCounting: AckCounting? = nil, rtoFormula: RTOFormula? = nil, sendBufferAutotune: Bool? = nil) {
        self.congestion = congestion; self.minRTO = minRTO; self.initialWindow = initialWindow
        self.delayedAck = delayedAck; self.receiveWindow = receiveWindow; self.sendBuffer = sendBuffer
        self.ackCounting = ackCounting; self.rtoFormula = rtoFormula; self.sendBufferAutotune = sendBufferAutotune
    }

    /// True when nothing is overridden.
    public var isEmpty: Bool { self == TransportOptions() }

    /// These settings with `more`'s non-nil ones on top.
    /// A fixed `send_buffer` and `send_buffer: auto` replace each other (the later layer wins).
    public func overridden(by more: TransportOptions) -> TransportOptions {
        var t = TransportOptions(congestion: more.congestion ?? congestion, minRTO: more.minRTO ?? minRTO,
                         initialWindow: more.initialWindow ?? initialWindow, delayedAck: more.delayedAck ?? delayedAck,
                         receiveWindow: more.receiveWindow ?? receiveWindow, sendBuffer: more.sendBuffer ?? sendBuffer,
                         ackCounting: more.ackCounting ?? ackCounting, rtoFormula: more.rtoFormula ?? rtoFormula)
        if more.sendBuffer != nil { t.sendBufferAutotune = nil } else if more.sendBufferAutotune == true {
            t.sendBuffer = nil; t.sendBufferAutotune = true
        } else { t.sendBufferAutotune = sendBufferAutotune }
        return t
    }

    /// `options` with these settings applied.
    public func applied(to options: FlowOptions) -> FlowOptions {
        var o = options
        if let congestion { o.congestionControl = congestion }
        if let minRTO { o.minRTO = minRTO }
        if let initialWindow { o.initialWindow = initialWindow }
        if let delayedAck { o.delayedAck = delayedAck }
        if let receiveWindow { o.receiveWindow = receiveWindow }
        if let ackCounting { o.ackCounting = ackCounting }
        if let rtoFormula { o.rtoFormula = rtoFormula }
        return o
    }
}
