import Foundation
import DRLSimCore

/// A daily (periodic) write-rate shape, made piecewise constant in steps: the `diurnal`
/// workload (issue 16 item 1).
///
/// Shape: the continuous rate is proportional to `max(0, b + cos θ)` with
/// `θ = 2π (t - phase) / period`, so the peak is at `phase` (mod `period`), and the offset `b`
/// is chosen so that peak / mean = `peakRatio`:
/// - `peakRatio` 1: constant at the mean (b = ∞);
/// - `peakRatio` in (1, 2]: a raised cosine that never reaches zero, b = 1 / (peakRatio − 1),
///   trough = (2 − peakRatio) × mean;
/// - `peakRatio` > 2: a clipped cosine, zero for part of each period ("night"): with
///   α = arccos(−b) the rate is positive for |θ| < α, mean ∝ (b α + sin α) / π, peak ∝ 1 + b;
///   b solves π (1 + b) / (b α + sin α) = peakRatio (monotone in b, bisection). peakRatio 3
///   gives b ≈ 0.0835: writes for 52.7 % of the day.
///
/// The rate process is piecewise constant: step k, [k·step, (k+1)·step), takes the exact mean
/// of the continuous shape over the step (closed-form integral), so the bytes written over a
/// whole period are exactly mean × period when `step` divides `period`, and the rate changes
/// only at step boundaries.
public struct DiurnalProfile: Hashable, Sendable {
    /// Mean rate, bytes per second.
    public let mean: Double
    /// Peak (of the continuous shape) over mean, >= 1.
    public let peakRatio: Double
    /// Period (24 h for a day).
    public let period: SimDuration
    /// Instant of the peak within the period.
    public let phase: SimDuration
    /// Step of the piecewise-constant rate.
    public let step: SimDuration
    /// The shape offset b (infinite for a constant).
    public let offset: Double

    /// The largest accepted peak ratio (b → −1 makes the peak an ever narrower spike).
    public static let maxPeakRatio = 1000.0

    /// A profile; `peakRatio` in [1, `maxPeakRatio`], positive `period` and `step`.
    public init(mean: Double, peakRatio: Double, period: SimDuration, phase: SimDuration = .zero, step: SimDuration) {
        precondition(mean >= 0 && peakRatio >= 1 && peakRatio <= Self.maxPeakRatio && period > .zero && step > .zero)
        self.mean = mean; self.peakRatio = peakRatio; self.period = period; self.step = step
        let p = phase.nanoseconds % period.nanoseconds
        self.phase = .nanoseconds(p < 0 ? p + period.nanoseconds : p)
        self.offset = Self.offset(peakRatio: peakRatio)
    }

    /// The offset b for a peak ratio (see the type's doc).
    public static func offset(peakRatio r: Double) -> Double {
        if r <= 1 { return .infinity }
        if r <= 2 { return 1 / (r - 1) }
        // Bisection on b in (-1, 1): ratio(b) = π (1 + b) / (b α + sin α), decreasing in b.
        func ratio(_ b: Double) -> Double { let a = acos(-b); return Double.pi * (1 + b) / (b * a + sin(a)) }
        var lo = -1.0, hi = 1.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if ratio(mid) > r { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// α = arccos(−b): half-width of the positive part of the shape (π when never clipped).
    var alpha: Double { offset >= 1 ? Double.pi : acos(-offset) }

    /// ∫ max(0, b + cos θ) dθ over one period, 2 (b α + sin α).
    var periodIntegral: Double { 2 * (offset * alpha + sin(alpha)) }

    /// The antiderivative H(x) = ∫_{−π}^{x} max(0, b + cos θ) dθ, for any real x.
    func antiderivative(_ x: Double) -> Double {
        let k = ((x + Double.pi) / (2 * Double.pi)).rounded(.down)
        let th = x - 2 * Double.pi * k
        let a = alpha
        let inPeriod: Double
        if th < -a { inPeriod = 0 } else if th <= a { inPeriod = offset * (th + a) + sin(th) + sin(a) } else { inPeriod = periodIntegral }
        return k * periodIntegral + inPeriod
    }

    func angle(_ t: SimInstant) -> Double {
        2 * Double.pi * (Double(t.nanoseconds - phase.nanoseconds) / Double(period.nanoseconds))
    }

    /// The continuous shape's rate at `t` (bytes/s).
    public func continuousRate(at t: SimInstant) -> Double {
        if offset.isInfinite { return mean }
        let v = max(0, offset + cos(angle(t)))
        return mean * v * 2 * Double.pi / periodIntegral
    }

    /// The piecewise-constant rate of step `k` (bytes/s): the shape's exact mean over the step.
    public func stepRate(_ k: Int64) -> Double {
        if offset.isInfinite { return mean }
        let t0 = SimInstant(nanoseconds: k * step.nanoseconds), t1 = SimInstant(nanoseconds: (k + 1) * step.nanoseconds)
        let x0 = angle(t0), x1 = angle(t1)
        let avg = (antiderivative(x1) - antiderivative(x0)) / (x1 - x0)
        return max(0, mean * avg * 2 * Double.pi / periodIntegral)
    }

    /// The rate at `t` (the step's) and the instant it next may change.
    public func segment(at t: SimInstant) -> (rate: Double, until: SimInstant) {
        let k = t.nanoseconds / step.nanoseconds
        return (stepRate(k), SimInstant(nanoseconds: (k + 1) * step.nanoseconds))
    }
}
