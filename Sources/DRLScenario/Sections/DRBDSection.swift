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
///   sndbuf: auto             # auto = Linux autotuning (tcp_sndbuf_expand) up to tcp_wmem max 4MiB; or a fixed size (sndbuf-size)
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

    /// Where the bounds of the DRBD keys come from: drbd_limits.h (drbd-headers, DRBD 9), in
    /// DRBD's units (timeout and ping-timeout 1..600 and 1..300 tenths of a second, connect-int
    /// and ping-int 1..120 s, ko-count 0..200, c-plan-ahead 0..300 and c-delay-target 1..100
    /// tenths, c-fill-target up to 2^20 sectors, c-max-rate 250 KiB/s..4 GiB/s, resync-rate
    /// 1 KiB/s..4 GiB/s, congestion-fill up to 10 GiB).
    static let limits = "drbd_limits.h"
    /// The largest resync rate, 4 GiB/s (DRBD_RESYNC_RATE_MAX, DRBD_C_MAX_RATE_MAX: 4<<20 KiB/s), in bit/s.
    static let maxResyncRate: Double = 8 * Double(4 << 30)

    public static func decode(_ m: ConfigMapping) throws -> DRBDSection? {
        guard m.isPresent else { return nil }
        var c = DRBDConfig()
        c.version = try m.choice("version", of: [DRBDVersion.v9, .v84], default: c.version)
        c.protocolKind = try m.choice("protocol", of: [DRBDProtocol.A, .B, .C], default: c.protocolKind)
        if let v = m.value("sndbuf") {
            if v.node.scalar == "auto" { _ = try v.string(); c.sendBuffer = nil } else {
                let s = try v.size()
                if s < 4096 || s > 128 << 20 { throw v.error(.invalidValue, "sndbuf must be auto or 4KiB..128MiB (drbd_limits.h)") }
                c.sendBuffer = s
            }
        } else { m.context.record(m.path.appending("sndbuf"), "auto", isDefault: true) }
        c.onCongestion = try m.choice("on_congestion", of: [DRBDCongestionPolicy.block, .pullAhead, .disconnect], default: c.onCongestion)
        if c.onCongestion != .block {
            try m.check(c.protocolKind == .A, "on_congestion", "on_congestion other than block needs protocol A (drbd.conf(5))")
        }
        c.maxBuffers = Int64(try m.int("max_buffers", in: 32...131_072, default: Int(c.maxBuffers)))
        c.maxEpochSize = Int64(try m.int("max_epoch_size", in: 1...20_000, default: Int(c.maxEpochSize)))
        c.congestionFill = try m.size("congestion_fill", in: 0...(10 << 30), source: Self.limits, default: c.congestionFill)
        c.congestionExtents = Int64(try m.int("congestion_extents", in: 0...1_000_000, default: Int(c.congestionExtents)))
        try m.mapping("resync") { r in
            let mode = try r.choice("mode", among: ["dynamic", "fixed"], default: "dynamic")
            c.resyncRate = try r.rate("rate", in: 8 * 1024...Self.maxResyncRate, source: Self.limits, default: c.resyncRate * 8) / 8
            c.resync = mode == "fixed" ? .fixed(bytesPerSecond: c.resyncRate) : .dynamic
            c.cPlanAhead = try r.duration("plan_ahead", in: .zero...(.seconds(30 as Int64)), source: Self.limits, default: .milliseconds(c.cPlanAhead * 100)).nanoseconds / 100_000_000
            c.cFillTarget = try r.size("fill_target", in: 0...(512 << 20), source: Self.limits, default: c.cFillTarget)
            c.cDelayTarget = try r.duration("delay_target", in: .milliseconds(100)...(.seconds(10 as Int64)), source: Self.limits, default: .milliseconds(c.cDelayTarget * 100)).nanoseconds / 100_000_000
            c.cMaxRate = try r.rate("max_rate", in: 8 * 250 * 1024...Self.maxResyncRate, source: Self.limits, default: c.cMaxRate * 8) / 8
            // c-min-rate: 0 (or off) disables the throttle (drbd.conf(5)).
            if let v = r.value("min_rate"), v.node.scalar == "0" || v.node.scalar == "off" {
                _ = try v.string(); c.cMinRate = 0
            } else {
                c.cMinRate = try r.rate("min_rate", in: 8 * 1024...Self.maxResyncRate, source: Self.limits, default: c.cMinRate * 8) / 8
            }
        }
        c.resyncDelay = try m.duration("resync_delay", in: .zero...(.seconds(3600 as Int64)), source: "the model's bound", default: c.resyncDelay)
        c.connectInterval = try m.duration("connect_interval", in: .seconds(1 as Int64)...(.seconds(120 as Int64)), source: Self.limits, default: c.connectInterval)
        c.timeout = try m.duration("timeout", in: .milliseconds(100)...(.seconds(60 as Int64)), source: Self.limits, default: c.timeout)
        c.koCount = Int64(try m.int("ko_count", in: 1...200, default: Int(c.koCount)))
        c.pingInterval = try m.duration("ping_int", in: .seconds(1 as Int64)...(.seconds(120 as Int64)), source: Self.limits, default: c.pingInterval)
        c.pingTimeout = try m.duration("ping_timeout", in: .milliseconds(100)...(.seconds(30 as Int64)), source: Self.limits, default: c.pingTimeout)
        c.initialFullSync = try m.bool("initial_full_sync", default: c.initialFullSync)
        c.resyncRequestSize = try m.size("resync_request_size", in: 4096...(128 << 20), source: "4KiB..128MiB, the model's bound", default: c.resyncRequestSize)
        return DRBDSection(config: c)
    }

    /// Nothing to build: the workload section attaches DRBD to drbd volumes with this configuration.
    public func install(into run: RunAssembly) throws {}
}
