import DRLSimCore
import DRLCloud

/// The `drbd:` section: settings of every DRBD volume (`type: drbd`) (DRLCloud `DRBDConfig`;
/// drbd.conf(5) net and disk sections; defaults from the DRBD 9 limits header, protocol A as
/// in the paper §4.2).
///
/// ```yaml
/// drbd:
///   version: 9               # 9 (LINBIT 9.2, default) | 8.4 (in-kernel): resync controller timing, congestion-fill
///   protocol: A              # A (paper) | B | C
///   sndbuf: auto             # auto = autotuned, tcp_wmem max 4MiB; or a size (sndbuf-size)
///   on_congestion: block     # block | pull-ahead | disconnect
///   max_buffers: 2048        # 4 KiB pages
///   max_epoch_size: 2048
///   congestion_fill: 0b      # bytes in flight that trigger Ahead (0 = off)
///   congestion_extents: 1237
///   resync: { mode: dynamic, rate: 250KiBps, min_rate: 250KiBps, plan_ahead: 2s, fill_target: 50KiB, delay_target: 1s, max_rate: 100MiBps }
///   resync_delay: 1s
///   connect_interval: 10s
///   timeout: 6s              # no acknowledgement this long with data pending: replication.csv `stalled`
///   ko_count: 7              # a reachable peer silent for ko_count x timeout is dropped
///   ping_int: 10s            # with the path cut, the connection drops after ping_int + ping_timeout
///   ping_timeout: 500ms
///   initial_full_sync: false
/// ```
public struct DRBDSection: ScenarioSection {
    public static let key = "drbd"
    public static let summary = "DRBD replication of drbd volumes: protocol, send buffer, congestion policy, resync"

    /// The decoded configuration.
    public var config: DRBDConfig

    public static func decode(_ m: ConfigMapping) throws -> DRBDSection? {
        guard m.isPresent else { return nil }
        var c = DRBDConfig()
        c.version = try m.choice("version", of: [DRBDVersion.v9, .v84], default: c.version)
        c.protocolKind = try m.choice("protocol", of: [DRBDProtocol.A, .B, .C], default: c.protocolKind)
        if let v = m.value("sndbuf") {
            if v.node.scalar == "auto" { _ = try v.string(); c.sendBuffer = nil } else {
                let s = try v.size()
                if s < 4096 { throw v.error(.invalidValue, "sndbuf must be auto or at least 4KiB") }
                c.sendBuffer = s
            }
        } else { m.context.record(m.path.appending("sndbuf"), "auto", isDefault: true) }
        c.onCongestion = try m.choice("on_congestion", of: [DRBDCongestionPolicy.block, .pullAhead, .disconnect], default: c.onCongestion)
        if c.onCongestion != .block {
            try m.check(c.protocolKind == .A, "on_congestion", "on_congestion other than block needs protocol A (drbd.conf(5))")
        }
        c.maxBuffers = Int64(try m.int("max_buffers", in: 32...131_072, default: Int(c.maxBuffers)))
        c.maxEpochSize = Int64(try m.int("max_epoch_size", in: 1...20_000, default: Int(c.maxEpochSize)))
        c.congestionFill = try m.size("congestion_fill", default: c.congestionFill)
        c.congestionExtents = Int64(try m.int("congestion_extents", in: 0...1_000_000, default: Int(c.congestionExtents)))
        try m.mapping("resync") { r in
            let mode = try r.choice("mode", among: ["dynamic", "fixed"], default: "dynamic")
            c.resyncRate = try r.rate("rate", default: c.resyncRate * 8) / 8
            c.resync = mode == "fixed" ? .fixed(bytesPerSecond: c.resyncRate) : .dynamic
            c.cPlanAhead = try r.duration("plan_ahead", default: .milliseconds(c.cPlanAhead * 100)).nanoseconds / 100_000_000
            c.cFillTarget = try r.size("fill_target", default: c.cFillTarget)
            c.cDelayTarget = try r.duration("delay_target", default: .milliseconds(c.cDelayTarget * 100)).nanoseconds / 100_000_000
            c.cMaxRate = try r.rate("max_rate", default: c.cMaxRate * 8) / 8
            // c-min-rate: 0 (or off) disables the throttle (drbd.conf(5)).
            if let v = r.value("min_rate"), v.node.scalar == "0" || v.node.scalar == "off" {
                _ = try v.string(); c.cMinRate = 0
            } else {
                c.cMinRate = try r.rate("min_rate", default: c.cMinRate * 8) / 8
            }
        }
        c.resyncDelay = try m.duration("resync_delay", default: c.resyncDelay)
        c.connectInterval = try m.duration("connect_interval", default: c.connectInterval)
        c.timeout = try m.duration("timeout", default: c.timeout)
        try m.check(c.timeout > .zero, "timeout", "timeout must be positive")
        c.koCount = Int64(try m.int("ko_count", in: 1...1000, default: Int(c.koCount)))
        c.pingInterval = try m.duration("ping_int", default: c.pingInterval)
        c.pingTimeout = try m.duration("ping_timeout", default: c.pingTimeout)
        c.initialFullSync = try m.bool("initial_full_sync", default: c.initialFullSync)
        c.resyncRequestSize = try m.size("resync_request_size", default: c.resyncRequestSize)
        try m.check(c.resyncRequestSize >= 4096, "resync_request_size", "resync_request_size must be at least 4KiB")
        return DRBDSection(config: c)
    }

    /// Nothing to build: the workload section attaches DRBD to drbd volumes with this configuration.
    public func install(into run: RunAssembly) throws {}
}
