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
    /// The options written in `m` (every key optional).
    static func decode(_ m: ConfigMapping) throws -> TransportOptions {
        var t = TransportOptions()
        if let v = m.value("congestion") { t.congestion = try v.choice(CongestionAlgorithm.self) }
        if let v = m.value("min_rto") {
            let d = try v.duration()
            try m.check(d >= .milliseconds(1) && d <= .seconds(120 as Int64), "min_rto", "min_rto must be between 1ms and 120s (TCP_RTO_MAX)")
            t.minRTO = d
        }
        if let v = m.value("initial_window") {
            let n = try v.int()
            try m.check(n >= 1 && n <= 1000, "initial_window", "initial_window must be between 1 and 1000 segments")
            t.initialWindow = Int64(n)
        }
        if let v = m.value("delayed_ack") { t.delayedAck = try v.bool() }
        if let v = m.value("receive_window") {
            let n = try v.size()
            try m.check(n >= 1 << 12 && n <= 1 << 30, "receive_window", "receive_window must be between 4KiB and 1GiB (window scaling limit)")
            t.receiveWindow = n
        }
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
        if let v = m.value("ack_counting") { t.ackCounting = try v.choice(AckCounting.self) }
        if let v = m.value("rto") { t.rtoFormula = try v.choice(RTOFormula.self) }
        return t
    }

    /// `wan.transport`: the options for every WAN flow plus `classes: {<traffic class>: {...}}`.
    static func decodeWAN(_ m: ConfigMapping) throws -> (TransportOptions, [TrafficClass: TransportOptions]) {
        let all = try decode(m)
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
