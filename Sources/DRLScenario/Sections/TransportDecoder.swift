import DRLSimCore
import DRLNetwork

/// Decodes a `transport:` mapping (in `wan:` and in each `flows:` entry) into DRLNetwork's
/// `TransportOptions`; absent keys keep the model's own choice (Linux defaults, see
/// `TransportOptions`).
///
/// ```yaml
/// transport:
///   congestion: cubic        # cubic | reno (Linux default cubic)
///   min_rto: 200ms           # TCP_RTO_MIN (Linux 200ms; RFC 6298 says 1s)
///   initial_window: 10       # segments (TCP_INIT_CWND 10, RFC 6928)
///   delayed_ack: true        # receiver acknowledges every second segment, 40 ms timer
///   receive_window: 6MiB     # tcp_rmem[2] 6291456
///   send_buffer: 4MiB        # replaces the opening model's buffer (drbd.sndbuf, protection.upload_buffer);
///                            # auto = Linux autotuning (tcp_sndbuf_expand) up to that buffer
///   ack_counting: segments   # segments (Linux >= 4.0) | acks (RFC 5681 eq. 3, ns-3 NewReno)
///   rto: linux               # linux (SRTT + max(4 RTTVAR, min_rto)) | rfc6298 (max(SRTT + 4 RTTVAR, min_rto), ns-3)
/// ```
enum TransportDecoder {
    /// The keys of a `transport:` mapping, declared once; all optional (absent: the model's
    /// Linux defaults, `TransportOptions`).
    static let schema: ParameterSchema = [
        ParameterSpec("congestion", .choice(CongestionAlgorithm.allCases.map(\.rawValue)), doc: "congestion control (Linux default cubic)"),
        ParameterSpec("min_rto", .duration, minimum: 0.001, maximum: 120, message: "min_rto must be between 1ms and 120s (TCP_RTO_MAX)",
                      doc: "TCP_RTO_MIN (Linux 200ms; RFC 6298 says 1s)"),
        ParameterSpec("initial_window", .count, minimum: 1, maximum: 1000, message: "initial_window must be between 1 and 1000 segments",
                      doc: "initial congestion window, segments (TCP_INIT_CWND 10, RFC 6928)"),
        ParameterSpec("delayed_ack", .bool, doc: "receiver acknowledges every second segment, 40 ms timer"),
        ParameterSpec("receive_window", .size, minimum: Double(1 << 12), maximum: Double(1 << 30),
                      message: "receive_window must be between 4KiB and 1GiB (window scaling limit)", doc: "tcp_rmem[2] (6291456)"),
        ParameterSpec("send_buffer", .custom("auto, or a size 4KiB..16GiB"),
                      doc: "replaces the opening model's buffer (drbd.sndbuf, protection.upload_buffer); auto = Linux autotuning"),
        ParameterSpec("ack_counting", .choice(AckCounting.allCases.map(\.rawValue)), doc: "segments (Linux >= 4.0) or acks (RFC 5681 eq. 3, ns-3 NewReno)"),
        ParameterSpec("rto", .choice(RTOFormula.allCases.map(\.rawValue)),
                      doc: "linux (SRTT + max(4 RTTVAR, min_rto)) or rfc6298 (max(SRTT + 4 RTTVAR, min_rto), ns-3)"),
    ]

    /// `wan.transport`'s keys: those of `schema` plus per-class options.
    static let wanSchema = ParameterSchema(schema.parameters + [
        ParameterSpec("classes", .custom("map traffic class: transport options"), doc: "options per traffic class, overriding the ones above"),
    ])

    /// The options written in `m` (every key optional).
    static func decode(_ m: ConfigMapping, schema: ParameterSchema = schema) throws -> TransportOptions {
        let p = try m.values(of: schema)
        var t = TransportOptions()
        if let v = p.text("congestion") { t.congestion = CongestionAlgorithm(rawValue: v)! }
        if let d = p.duration("min_rto") { t.minRTO = d }
        if let n = p.count("initial_window") { t.initialWindow = Int64(n) }
        if let b = p.bool("delayed_ack") { t.delayedAck = b }
        if let n = p.size("receive_window") { t.receiveWindow = n }
        if let v = m.value("send_buffer") {
            if v.node.scalar == "auto" {
                _ = try v.string()
                t.sendBufferAutotune = true
            } else {
                let n = try v.size()
                try m.check(n >= 1 << 12 && n <= 1 << 34, "send_buffer", "send_buffer must be auto or between 4KiB and 16GiB")
                t.sendBuffer = n
            }
        }
        if let v = p.text("ack_counting") { t.ackCounting = AckCounting(rawValue: v)! }
        if let v = p.text("rto") { t.rtoFormula = RTOFormula(rawValue: v)! }
        return t
    }

    /// `wan.transport`: the options for every WAN flow plus `classes: {<traffic class>: {...}}`.
    static func decodeWAN(_ m: ConfigMapping) throws -> (TransportOptions, [TrafficClass: TransportOptions]) {
        let all = try decode(m, schema: wanSchema)
        var perClass: [TrafficClass: TransportOptions] = [:]
        if let v = m.value("classes") {
            try v.mapping { cm in
                for e in cm.entries {
                    guard let c = TrafficClass(name: e.key), c != .ack else {
                        throw ScenarioError(.invalidValue, at: e.keyLocation, keyPath: cm.path.appending(e.key).description,
                                            "unknown traffic class '\(e.key)' (one of: \(TrafficClass.names.filter { $0 != "ack" }.joined(separator: ", ")))")
                    }
                    perClass[c] = try cm.mapping(e.key) { try decode($0) }
                }
            }
        }
        return (all, perClass)
    }
}
