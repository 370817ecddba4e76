import DRLSimCore

/// The congestion-control algorithm of a flow.
///
/// CUBIC (RFC 9438; net/ipv4/tcp_cubic.c) is the default because it has been Linux's default
/// since 2.6.19, so DRBD's sockets and the paper's uploads ran over it; its multiplicative
/// decrease (beta 0.7) keeps a drop-tail tbf busy with a queue of only 0.43 BDP. Reno (RFC 5681,
/// beta 0.5, one MSS per RTT) is kept for analytic checks.
public enum CongestionAlgorithm: String, Sendable, CaseIterable {
    /// NewReno-style AIMD.
    case reno
    /// CUBIC with the Reno-friendly region and fast convergence.
    case cubic
}

/// A flow's congestion window as a small state machine: inputs are ACKs, loss episodes and
/// timeouts; the output is `cwnd` in bytes. Windows count bytes; increases follow the kernel's
/// per-MSS arithmetic with `mss` = 1448 B whatever the model's segment (GSO) size.
public struct CongestionWindow: Sendable {
    /// The algorithm.
    public let algorithm: CongestionAlgorithm
    /// Sender maximum segment size used by the window arithmetic (1448 B: 1500 MTU - 52 B headers).
    public let mss: Int64
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
    public init(algorithm: CongestionAlgorithm, mss: Int64 = 1448, initialWindow: Int64 = 14480) {
        self.algorithm = algorithm
        self.mss = mss
        self.cwnd = initialWindow
    }

    /// True below the slow-start threshold.
    public var inSlowStart: Bool { cwnd < ssthresh }

    /// `acked` new bytes were acknowledged at `now` (only when the flow was window limited).
    public mutating func onAck(acked: Int64, now: SimInstant, rtt: SimDuration) {
        guard acked > 0 else { return }
        var acked = acked
        if cwnd < ssthresh {
            let room = ssthresh == .max ? acked : min(acked, ssthresh - cwnd)
            cwnd += room
            acked -= room
            if acked == 0 { return }
        }
        switch algorithm {
        case .reno:
            // cwnd += mss * acked / cwnd (RFC 5681 (3)), carrying the remainder
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

    /// The retransmission timer expired: threshold as for a loss, window to one MSS (RFC 5681 (4)).
    public mutating func onTimeout(now: SimInstant) {
        onLoss(now: now)
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
