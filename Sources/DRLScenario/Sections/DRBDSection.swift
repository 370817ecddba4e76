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

    /// The section's keys, declared once; defaults are `DRBDConfig()`'s (DRBD 9 defaults,
    /// drbd.conf(5)), bounds drbd_limits.h's unless the model's own.
    public static let schema: ParameterSchema = {
        let c = DRBDConfig()
        let limits = Self.limits, maxRate = Self.maxResyncRate
        func dur(_ name: String, _ v: SimDuration, _ lo: SimDuration, _ hi: SimDuration, source: String = limits, _ doc: String) -> ParameterSpec {
            ParameterSpec(name, .duration, default: .duration(v), minimum: lo.seconds, maximum: hi.seconds, source: source, doc: doc)
        }
        func count(_ name: String, _ v: Int64, _ lo: Double, _ hi: Double, _ doc: String) -> ParameterSpec {
            ParameterSpec(name, .count, default: .number(Double(v)), minimum: lo, maximum: hi, doc: doc)
        }
        func rate(_ name: String, _ bytes: Double, _ lo: Double, _ doc: String) -> ParameterSpec {
            ParameterSpec(name, .rate, default: .rate(bytes * 8), minimum: lo, maximum: maxRate, source: limits, doc: doc)
        }
        return [
            ParameterSpec("version", .choice([DRBDVersion.v9, .v84].map(\.rawValue)), default: .text(c.version.rawValue),
                          doc: "DRBD release whose behaviour is modelled"),
            ParameterSpec("protocol", .choice([DRBDProtocol.A, .B, .C].map(\.rawValue)), default: .text(c.protocolKind.rawValue),
                          doc: "replication protocol: A asynchronous, B memory synchronous, C synchronous"),
            ParameterSpec("sndbuf", .custom("auto, or a size 4KiB..128MiB"), default: .text("auto"),
                          doc: "TCP send buffer of the replication link (auto: kernel autotuning)"),
            ParameterSpec("on_congestion", .choice([DRBDCongestionPolicy.block, .pullAhead, .disconnect].map(\.rawValue)),
                          default: .text(c.onCongestion.rawValue), doc: "what protocol A does when the send buffer fills (not block: protocol A only)"),
            count("max_buffers", c.maxBuffers, 32, 131_072, "peer's buffer pages for incoming data"),
            count("max_epoch_size", c.maxEpochSize, 1, 20_000, "writes per epoch (between barriers)"),
            ParameterSpec("congestion_fill", .size, default: .size(c.congestionFill), minimum: 0, maximum: Double(10 << 30), source: limits,
                          doc: "in-flight bytes that count as congestion (0: off)"),
            count("congestion_extents", c.congestionExtents, 0, 1_000_000, "activity-log extents that count as congestion"),
            ParameterSpec("resync", .mapping([
                ParameterSpec("mode", .choice(["dynamic", "fixed"]), default: .text("dynamic"), doc: "dynamic resync controller, or the fixed rate"),
                rate("rate", c.resyncRate, 8 * 1024, "fixed resync rate (resync-rate)"),
                dur("plan_ahead", .milliseconds(c.cPlanAhead * 100), .zero, .seconds(30 as Int64), "c-plan-ahead"),
                ParameterSpec("fill_target", .size, default: .size(c.cFillTarget), minimum: 0, maximum: Double(512 << 20), source: limits,
                              doc: "c-fill-target"),
                dur("delay_target", .milliseconds(c.cDelayTarget * 100), .milliseconds(100), .seconds(10 as Int64), "c-delay-target"),
                rate("max_rate", c.cMaxRate, 8 * 250 * 1024, "c-max-rate"),
                ParameterSpec("min_rate", .custom("rate, or 0/off"), default: .rate(c.cMinRate * 8), minimum: 8 * 1024, maximum: maxRate,
                              source: limits, doc: "c-min-rate: resync throttled above this application rate (0 or off: never)"),
            ]), doc: "resync controller (drbd.conf(5) disk options)"),
            dur("resync_delay", c.resyncDelay, .zero, .seconds(3600 as Int64), source: "the model's bound", "delay before a resync starts"),
            dur("connect_interval", c.connectInterval, .seconds(1 as Int64), .seconds(120 as Int64), "connect-int: reconnect period"),
            dur("timeout", c.timeout, .milliseconds(100), .seconds(60 as Int64), "timeout for the peer's answers"),
            count("ko_count", c.koCount, 1, 200, "timeouts before the peer is dropped"),
            dur("ping_int", c.pingInterval, .seconds(1 as Int64), .seconds(120 as Int64), "keep-alive ping period"),
            dur("ping_timeout", c.pingTimeout, .milliseconds(100), .seconds(30 as Int64), "ping answer timeout"),
            ParameterSpec("initial_full_sync", .bool, default: .bool(c.initialFullSync), doc: "a new volume starts with a full sync"),
            ParameterSpec("resync_request_size", .size, default: .size(c.resyncRequestSize), minimum: 4096, maximum: Double(128 << 20),
                          source: "4KiB..128MiB, the model's bound", doc: "bytes per resync request"),
        ]
    }()

    public static func decode(_ m: ConfigMapping) throws -> DRBDSection? {
        guard m.isPresent else { return nil }
        let p = try m.values(of: schema)
        var c = DRBDConfig()
        c.version = DRBDVersion(rawValue: p.text("version")!)!
        c.protocolKind = DRBDProtocol(rawValue: p.text("protocol")!)!
        if let v = m.value("sndbuf") {
            if v.node.scalar == "auto" { _ = try v.string(); c.sendBuffer = nil } else {
                let s = try v.size()
                if s < 4096 || s > 128 << 20 { throw v.error(.invalidValue, "sndbuf must be auto or 4KiB..128MiB (drbd_limits.h)") }
                c.sendBuffer = s
            }
        }
        c.onCongestion = DRBDCongestionPolicy(rawValue: p.text("on_congestion")!)!
        if c.onCongestion != .block {
            try m.check(c.protocolKind == .A, "on_congestion", "on_congestion other than block needs protocol A (drbd.conf(5))")
        }
        c.maxBuffers = Int64(p.count("max_buffers")!)
        c.maxEpochSize = Int64(p.count("max_epoch_size")!)
        c.congestionFill = p.size("congestion_fill")!
        c.congestionExtents = Int64(p.count("congestion_extents")!)
        try m.mapping("resync") { r in
            let q = try r.values(of: schema.nested("resync")!)
            c.resyncRate = q.rate("rate")! / 8
            c.resync = q.text("mode") == "fixed" ? .fixed(bytesPerSecond: c.resyncRate) : .dynamic
            c.cPlanAhead = q.duration("plan_ahead")!.nanoseconds / 100_000_000
            c.cFillTarget = q.size("fill_target")!
            c.cDelayTarget = q.duration("delay_target")!.nanoseconds / 100_000_000
            c.cMaxRate = q.rate("max_rate")! / 8
            // c-min-rate: 0 (or off) disables the throttle (drbd.conf(5)).
            if let v = r.value("min_rate"), v.node.scalar == "0" || v.node.scalar == "off" {
                _ = try v.string(); c.cMinRate = 0
            } else {
                c.cMinRate = try r.rate("min_rate", in: 8 * 1024...Self.maxResyncRate, source: Self.limits, default: c.cMinRate * 8) / 8
            }
        }
        c.resyncDelay = p.duration("resync_delay")!
        c.connectInterval = p.duration("connect_interval")!
        c.timeout = p.duration("timeout")!
        c.koCount = Int64(p.count("ko_count")!)
        c.pingInterval = p.duration("ping_int")!
        c.pingTimeout = p.duration("ping_timeout")!
        c.initialFullSync = p.bool("initial_full_sync")!
        c.resyncRequestSize = p.size("resync_request_size")!
        return DRBDSection(config: c)
    }

    public func install(into run: RunAssembly) throws {}
}
