import DRLSimCore

/// The congestion-control algorithm of a flow.
///
/// CUBIC (RFC 9438; net/ipv4/tcp_cubic.c) is the default because it has been Linux's default
/// since 2.6.19, so DRBD's sockets and the paper's uploads ran over it; its multiplicative
/// decrease (beta 0.7) keeps a drop-tail tbf busy with a queue of only 0.43 BDP. Reno (RFC 5681,
/// beta 0.5, one MSS per RTT; Linux `tcp_reno_cong_avoid`) for analytic checks and comparisons
/// with ns-3's NewReno. CUBIC's HyStart (on by default in Linux) is not modelled: slow start ends
/// at the first loss.
public enum CongestionAlgorithm: String, Sendable, CaseIterable {
    /// NewReno-style AIMD.
    case reno
    /// CUBIC with the Reno-friendly region and fast convergence.
    case cubic
}

/// How window increases count acknowledgements (`TransportOptions.ackCounting`).
public enum AckCounting: String, Sendable, CaseIterable {
    /// Per acknowledged segment, as Linux since 4.0 ("stretch ACK" handling: `tcp_slow_start`
    /// adds the number of newly delivered segments, capped at ssthresh; `tcp_cong_avoid_ai`
    /// adds 1 MSS per cwnd of delivered segments). Delayed ACKs do not slow growth: slow start
    /// doubles per RTT, Reno's avoidance adds 1 MSS per RTT. RFC 3465 byte counting with an
    /// unlimited L.
    case segments
    /// Per ACK, RFC 5681 eq. (3) and ns-3's `TcpNewReno`: slow start adds at most 1 MSS per ACK
    /// (RFC 3465 with L = 1 SMSS), avoidance adds MSS x MSS / cwnd per ACK. With delayed ACKs
    /// (one ACK per two segments) slow start grows 1.5x per RTT and avoidance 0.5 MSS per RTT.
    case acks
}

/// A flow's congestion window as a small state machine: inputs are ACKs, loss episodes and
/// timeouts; the output is `cwnd` in bytes. Windows count bytes; increases follow the kernel's
/// per-MSS arithmetic with `mss` (1448 B at a 1500 B MTU) whatever the model's segment (GSO) size.
public struct CongestionWindow: Sendable {
    /// The algorithm.
    public let algorithm: CongestionAlgorithm
    /// Sender maximum segment size used by the window arithmetic (1448 B: 1500 MTU - 52 B headers).
    public let mss: Int64
    /// How increases count acknowledgements.
    public let ackCounting: AckCounting
    /// Congestion window in bytes.
    public private(set) var cwnd: Int64
    /// Slow-start threshold in bytes.
    public private(set) var ssthresh: Int64 = .max
    /// CUBIC multiplicative decrease factor (RFC 9438 §4.6).
    public static let cubicBeta = 0.7
    /// CUBIC scaling constant C (RFC 9438 §5).
    public static let cubicC = 0.4
    var wMax: Double = 0        // segments
    var k: Double = 0           // seconds
    var origin: Double = 0      // segments
    var epochStart: SimInstant?
    var wEst: Double = 0        // segments
    var renoCarry: Int64 = 0

    /// A window starting at `initialWindow` bytes (Linux IW10: 10 x 1448, RFC 6928).
    public init(algorithm: CongestionAlgorithm, mss: Int64 = 1448, initialWindow: Int64 = 14480,
                ackCounting: AckCounting = .segments) {
        self.algorithm = algorithm
        self.mss = mss
        self.cwnd = initialWindow
        self.ackCounting = ackCounting
    }

    /// True below the slow-start threshold.
    public var inSlowStart: Bool { cwnd < ssthresh }

    /// One ACK newly acknowledged `acked` bytes at `now` (called only when the flow was window
    /// limited, Linux `tcp_is_cwnd_limited`). Slow start (`tcp_slow_start`): cwnd grows by the
    /// acknowledged bytes up to ssthresh, the rest goes to congestion avoidance; under
    /// `.acks` counting an ACK counts for at most one MSS.
    public mutating func onAck(acked: Int64, now: SimInstant, rtt: SimDuration) {
        guard acked > 0 else { return }
        var acked = ackCounting == .acks ? min(acked, mss) : acked
        if cwnd < ssthresh {
            let room = ssthresh == .max ? acked : min(acked, ssthresh - cwnd)
            cwnd += room
            acked -= room
            if acked == 0 { return }
        }
        switch algorithm {
        case .reno:
            // cwnd += mss * acked / cwnd, carrying the remainder: Linux tcp_cong_avoid_ai's
            // snd_cwnd_cnt (1 MSS per cwnd of acknowledged bytes); with `.acks`, acked <= mss
            // makes it RFC 5681 eq. (3), MSS x MSS / cwnd per ACK.
            renoCarry += mss * acked
            let inc = renoCarry / cwnd
            renoCarry -= inc * cwnd
            cwnd += inc
        case .cubic:
            cubicUpdate(acked: acked, now: now, rtt: rtt)
        }
    }

    private mutating func cubicUpdate(acked: Int64, now: SimInstant, rtt: SimDuration) {
        let m = Double(mss)
        let w = Double(cwnd) / m
        if epochStart == nil {
            epochStart = now
            if w < wMax {
                k = cbrt((wMax - w) / CongestionWindow.cubicC)
                origin = wMax
            } else {
                k = 0
                origin = w
            }
            wEst = w
        }
        let t = Double(now.nanoseconds - epochStart!.nanoseconds + rtt.nanoseconds) / 1e9
        let d = t - k
        var target = CongestionWindow.cubicC * d * d * d + origin
        target = min(max(target, w), 1.5 * w)
        let beta = CongestionWindow.cubicBeta
        let ackedSeg = Double(acked) / m
        wEst += 3 * (1 - beta) / (1 + beta) * ackedSeg / w
        let newW: Double
        if target < wEst {
            newW = wEst
        } else {
            newW = w + (target - w) / w * ackedSeg
        }
        cwnd = max(cwnd, Int64(newW * m))
    }

    /// A loss episode starts (fast retransmit): multiplicative decrease.
    public mutating func onLoss(now: SimInstant) {
        switch algorithm {
        case .reno:
            ssthresh = max(cwnd / 2, 2 * mss)
        case .cubic:
            let w = Double(cwnd) / Double(mss)
            wMax = w < wMax ? w * (1 + CongestionWindow.cubicBeta) / 2 : w   // fast convergence
            ssthresh = max(Int64(Double(cwnd) * CongestionWindow.cubicBeta), 2 * mss)
            epochStart = nil
        }
        cwnd = ssthresh
    }

    /// The retransmission timer expired (Linux `tcp_enter_loss`): when `reduceThreshold`, the
    /// threshold is set as for a loss (`ssthresh()` of the algorithm, from the current cwnd);
    /// otherwise it is kept (a repeated RTO in the same episode: the kernel reduces ssthresh
    /// only once per window, so back-to-back timeouts do not drive it to 2 MSS as RFC 5681 (4)
    /// from a 1 MSS window would). The window restarts at one MSS (in flight + 1 = 1 after every
    /// outstanding segment is marked lost). CUBIC forgets its history (`cubictcp_state` on
    /// TCP_CA_Loss calls `bictcp_reset`: W_max = 0, new epoch).
    public mutating func onTimeout(now: SimInstant, reduceThreshold: Bool = true) {
        if reduceThreshold {
            onLoss(now: now)
        }
        if algorithm == .cubic {
            wMax = 0
            epochStart = nil
        }
        renoCarry = 0
        cwnd = mss
    }
}

@inline(__always) private func cbrt(_ x: Double) -> Double {
    x <= 0 ? 0 : _cbrtPositive(x)
}

@inline(__always) private func _cbrtPositive(_ x: Double) -> Double {
    // Newton iterations on y^3 = x from a power-of-two estimate (deterministic, no libm dependency).
    var y = x > 1 ? x / 3 : 1.0
    for _ in 0..<60 {
        let ny = (2 * y + x / (y * y)) / 3
        if abs(ny - y) <= 1e-12 * y { return ny }
        y = ny
    }
    return y
}
