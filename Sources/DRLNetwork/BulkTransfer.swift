import DRLSimCore

/// What a `BulkTransfer` does: ns-3's `BulkSendApplication` between two sites, or a paced source
/// (`rate`: a constant-bit-rate writer, as ns-3's `OnOffApplication` always on).
public struct BulkTransferSpec: Sendable, Equatable {
    /// Name (the `flow` column).
    public var name: String
    /// Source site index.
    public var from: Int
    /// Destination site index.
    public var to: Int
    /// Bytes to transfer (nil: until the run ends).
    public var bytes: Int64?
    /// Offset of the start from time zero.
    public var start: SimDuration
    /// Traffic class of its segments.
    public var trafficClass: TrafficClass
    /// The flow's own transport settings (over the network's).
    public var transport: TransportOptions
    /// Extra one-way delay of the flow's access path (`FlowOptions.extraDelay`).
    public var extraDelay: SimDuration
    /// Application rate in bits per second (nil: greedy, as fast as TCP takes it).
    public var rate: Double?

    /// A bulk transfer.
    public init(name: String, from: Int, to: Int, bytes: Int64? = nil, start: SimDuration = .zero,
                trafficClass: TrafficClass = .application, transport: TransportOptions = TransportOptions(),
                extraDelay: SimDuration = .zero, rate: Double? = nil) {
        self.name = name; self.from = from; self.to = to; self.bytes = bytes; self.start = start
        self.trafficClass = trafficClass; self.transport = transport; self.extraDelay = extraDelay
        self.rate = rate
    }
}

/// A greedy sender (ns-3 `BulkSendApplication`, iperf): at `start` it opens a flow and keeps its
/// send buffer full until `bytes` have been offered (or forever); it has finished when the
/// receiver got the last byte. With `rate`, the writer is paced instead: by time t after the
/// start it has written floor(rate x t / 8) bytes (checked every millisecond; what does not fit
/// in the send buffer waits, so a path slower than the rate builds a backlog in the application). The send buffer is the flow's `transport.send_buffer`, else the
/// network's, else 4 MiB (Linux `tcp_wmem[2]` = 4194304).
///
/// `row(now:)` is its line of the `flows` table: `flow, start_s, end_s, bytes_delivered,
/// goodput_bps, wire_bytes, retransmitted_bytes, fast_recoveries, rtos, finished`, where
/// `end_s` is the completion time or `now` when unfinished, `goodput_bps` = payload bytes
/// delivered x 8 / (end - start), `wire_bytes` what the qdiscs were charged for it (payload +
/// framing headers, retransmissions included), `fast_recoveries` the loss episodes repaired
/// without a timeout and `rtos` the retransmission timeouts.
public final class BulkTransfer: EventHandler {
    /// Linux's largest automatic send buffer (`net.ipv4.tcp_wmem[2]`).
    public static let defaultSendBuffer: Int64 = SendBufferAutotune.linuxMaxSendBuffer
    /// What to do.
    public let spec: BulkTransferSpec
    /// The flow, once started.
    @exclusivity(unchecked) public private(set) var flow: Flow?
    /// When the last byte reached the receiver.
    @exclusivity(unchecked) public private(set) var finishedAt: SimInstant?
    unowned(unsafe) let network: Network
    @exclusivity(unchecked) var offered: Int64 = 0
    @exclusivity(unchecked) var handler = HandlerID(raw: -1)
    static let codeStart: Int32 = 0
    static let codeTick: Int32 = 1
    /// Pacing period of a rate-limited writer.
    public static let tick = SimDuration.milliseconds(1)

    /// Schedules the transfer's start on `network`'s simulator.
    public init(spec: BulkTransferSpec, network: Network) {
        self.spec = spec
        self.network = network
        handler = network.sim.register(self)
        network.sim.schedule(at: SimInstant.zero + spec.start, handler: handler, code: BulkTransfer.codeStart)
    }

    /// Starts the flow (the scheduled start) or paces the writer (ticks).
    public func handle(_ event: Event, in sim: Simulator) {
        if event.code == BulkTransfer.codeTick {
            fill()
            if spec.bytes.map({ offered < $0 }) ?? true { sim.schedule(after: BulkTransfer.tick, handler: handler, code: BulkTransfer.codeTick) }
            return
        }
        var o = FlowOptions()
        o.extraDelay = spec.extraDelay
        let f = network.openFlow(from: spec.from, to: spec.to, trafficClass: spec.trafficClass,
                                 sendBuffer: BulkTransfer.defaultSendBuffer, options: o, overriding: spec.transport)
        flow = f
        f.onSpaceAvailable = { [unowned self] _ in self.fill() }
        if let total = spec.bytes {
            f.onDelivered = { [unowned self] fl, _ in
                if fl.deliveredBytes >= total && self.finishedAt == nil { self.finishedAt = fl.network.sim.now }
            }
        }
        fill()
        if spec.rate != nil { sim.schedule(after: BulkTransfer.tick, handler: handler, code: BulkTransfer.codeTick) }
    }

    /// Bytes the writer may have written by now (everything, unless paced).
    var allowance: Int64 {
        guard let r = spec.rate else { return Int64.max }
        let t = Double((network.sim.now - (SimInstant.zero + spec.start)).nanoseconds)
        return Int64((r * t / 8e9).rounded(.down))
    }

    func fill() {
        guard let f = flow else { return }
        while true {
            let want = min(spec.bytes.map { $0 - offered } ?? Int64.max, allowance - offered)
            guard want > 0 else { return }
            let n = f.offer(min(want, 1 << 22))
            offered += n
            if n == 0 { return }
        }
    }

    /// The `flows` table's columns.
    public static let columns = ["flow", "start_s", "end_s", "bytes_delivered", "goodput_bps", "wire_bytes",
                                 "retransmitted_bytes", "fast_recoveries", "rtos", "finished"]

    /// This transfer's row at the run's end `now`.
    public func row(now: SimInstant) -> [RecordValue] {
        let start = SimInstant.zero + spec.start
        let end = finishedAt ?? max(now, start)
        let f = flow
        let delivered = f?.deliveredBytes ?? 0
        let span = (end - start).seconds
        return [.text(spec.name), .double(start.seconds), .double(end.seconds), .int(delivered),
                .double(span > 0 ? Double(delivered) * 8 / span : 0), .int(f?.wireTransmittedBytes ?? 0),
                .int(f?.retransmittedBytes ?? 0), .int(Int64(f?.lossEpisodes ?? 0)), .int(Int64(f?.timeouts ?? 0)),
                .int(finishedAt != nil ? 1 : 0)]
    }
}
