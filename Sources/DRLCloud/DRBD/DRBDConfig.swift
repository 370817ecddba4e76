import DRLNetwork
import DRLSimCore

/// DRBD's replication protocol (drbd-and-tc.md, "Protocols").
public enum DRBDProtocol: String, Sendable, Codable {
    /// Complete when on the local disk and in the TCP send buffer (the paper's choice, §4.2).
    case A
    /// Complete when on the local disk and received by the peer.
    case B
    /// Complete when on the local disk and the peer's disk (DRBD's default).
    case C
}

/// DRBD's `on-congestion` policy (drbd.conf(5), net section; non-block only with protocol A).
public enum DRBDCongestionPolicy: String, Sendable, Codable {
    /// Wait for send-buffer space: the application's writes complete late.
    case block
    /// Go Ahead: keep writing locally, mark a bitmap, resync later.
    case pullAhead = "pull-ahead"
    /// Drop the connection, mark a bitmap, reconnect and resync.
    case disconnect
}

/// How the resync rate is chosen (drbd.conf(5), disk section).
public enum DRBDResyncMode: Hashable, Sendable {
    /// A fixed rate in B/s (`c-plan-ahead 0`, `resync-rate`).
    case fixed(bytesPerSecond: Double)
    /// The dynamic controller (drbd_rs_controller in drbd_worker.c).
    case dynamic
}

/// Which DRBD release's behaviour the model follows where the two differ (Docs/drbd-model.md).
public enum DRBDVersion: String, Sendable, Codable, Hashable {
    /// LINBIT DRBD 9.2 (`drbd/drbd_sender.c`, `drbd_req.c`): the resync controller also runs
    /// early once all in-flight resync data is back (`drbd_rs_all_in_flight_came_back`), and
    /// congestion-fill counts application and resync data in flight (`__maybe_pull_ahead`).
    case v9 = "9"
    /// The in-kernel DRBD 8.4 (`drivers/block/drbd/`): the controller steps every 100 ms
    /// (SLEEP_TIME), congestion-fill counts application data only (`maybe_pull_ahead`).
    case v84 = "8.4"
}

/// Configuration of one DRBD resource; defaults from the DRBD 9 limits header
/// (drbd-and-tc.md, "Defaults"), except the protocol, which is the paper's A (§4.2).
public struct DRBDConfig: Hashable, Sendable {
    /// The DRBD release whose behaviour is modelled (default 9, what LINBIT ships).
    public var version: DRBDVersion = .v9
    /// Replication protocol (default A, as in the paper).
    public var protocolKind: DRBDProtocol = .A
    /// `sndbuf-size`: nil = kernel autotune (`SendBufferAutotune`, tcp_input.c
    /// `tcp_sndbuf_expand`: 2 x cwnd x per_mss truesize, growing with the window up to
    /// tcp_wmem max = 4 MiB); a size is a fixed buffer of that many payload bytes.
    public var sendBuffer: Int64? = nil
    /// `max-buffers` in 4 KiB pages (default 2048 = 8 MiB): caps data between the sender and
    /// the peer's disk, and resync data in flight.
    public var maxBuffers: Int64 = 2048
    /// `max-epoch-size`: writes per barrier (default 2048); epochs are counted.
    public var maxEpochSize: Int64 = 2048
    /// `on-congestion` (default block).
    public var onCongestion: DRBDCongestionPolicy = .block
    /// `congestion-fill` in bytes (0 = off).
    public var congestionFill: Int64 = 0
    /// `congestion-extents` (default 1237 activity-log extents of 4 MiB).
    public var congestionExtents: Int64 = 1237
    /// Resync rate mode (default: the dynamic controller, c-plan-ahead 20).
    public var resync: DRBDResyncMode = .dynamic
    /// `c-plan-ahead` in 0.1 s (default 20 = 2 s).
    public var cPlanAhead: Int64 = 20
    /// `c-fill-target` in bytes (default 100 sectors = 50 KiB; 0 = use c-delay-target).
    public var cFillTarget: Int64 = 100 * 512
    /// `c-delay-target` in 0.1 s (default 10 = 1 s).
    public var cDelayTarget: Int64 = 10
    /// `c-max-rate` in B/s (default 100 MiB/s).
    public var cMaxRate: Double = 100 * 1_048_576
    /// `c-min-rate` in B/s (drbd_limits.h DRBD_C_MIN_RATE_DEF = 250 KiB/s; 0 disables): while
    /// the peer's disk sees application writes, the resync is held to about this rate
    /// (drbd_receiver.c `drbd_rs_c_min_rate_throttle`; drbd.conf(5) "c-min-rate").
    public var cMinRate: Double = 250 * 1024
    /// `resync-rate` in B/s (default 250 KiB/s): the controller's first step and the fixed rate.
    public var resyncRate: Double = 250 * 1024
    /// Delay from the end of congestion (nothing in flight) to the resync start (~1 s).
    public var resyncDelay: SimDuration = .seconds(1 as Int64)
    /// `connect-int`: reconnect attempt after a disconnect (default 10 s).
    public var connectInterval: SimDuration = .seconds(10 as Int64)
    /// `timeout` (default 60 x 0.1 s = 6 s): a peer that leaves sent data unacknowledged this
    /// long is late; the replication table reports the resource `stalled` (drbd.conf(5)).
    public var timeout: SimDuration = .seconds(6 as Int64)
    /// `ko-count` (default 7): a reachable peer that makes no progress for ko-count x timeout
    /// (42 s) is dropped (drbd.conf(5); drbd-and-tc.md "timeout / ko-count").
    public var koCount: Int64 = 7
    /// `ping-int` (default 10 s): keep-alive interval of the meta connection (drbd.conf(5)).
    public var pingInterval: SimDuration = .seconds(10 as Int64)
    /// `ping-timeout` (default 5 x 0.1 s = 500 ms): an unanswered keep-alive drops the
    /// connection (drbd.conf(5)). With the path cut, data left unacknowledged for
    /// ping-int + ping-timeout (10.5 s) drops the connection.
    public var pingTimeout: SimDuration = .milliseconds(500)
    /// Run an initial full sync at start (peer Inconsistent until it completes). Default false:
    /// the paper's volumes were in sync before each experiment.
    public var initialFullSync: Bool = false
    /// Resync request size (DRBD resyncs in bitmap-sized runs up to 1 MiB, DRBD_MAX_BIO_SIZE).
    public var resyncRequestSize: Int64 = ByteUnits.MiB

    /// The defaults above.
    public init() {}

    /// tcp_wmem max (net.ipv4.tcp_wmem third value, 4 MiB): the autotuned send buffer.
    public static let autotunedSendBuffer: Int64 = SendBufferAutotune.linuxMaxSendBuffer

    /// The configured send buffer: the explicit size, or the autotune cap (the live value is
    /// `DRBDDevice.currentSendBuffer`).
    public var effectiveSendBuffer: Int64 { sendBuffer ?? Self.autotunedSendBuffer }
}
