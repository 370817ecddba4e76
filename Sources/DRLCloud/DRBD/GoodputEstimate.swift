import Foundation
import DRLSimCore

/// A DRBD device's recent goodput to the peer (`DRBDDevice.recentGoodput`): delivered bytes per
/// busy second, both exponentially weighted with a time constant, where a busy second is time
/// with data in the stream (counted from the later of the last delivery and the moment the
/// stream went from empty to busy, so idle gaps do not dilute the rate).
struct GoodputEstimate {
    /// When the stream last went from empty to busy.
    var busySince: SimInstant = .zero
    /// The last delivery.
    var lastDeliveryAt: SimInstant = .zero
    /// Exponentially weighted delivered bytes ...
    var bytes: Double = 0
    /// ... over exponentially weighted busy seconds.
    var seconds: Double = 0

    /// The estimate in B/s (nil before the first busy delivery).
    var rate: Double? { seconds > 0 ? bytes / seconds : nil }

    /// `n` bytes delivered at `now`: the weights decay by `exp(-dt / timeConstant)` over the
    /// busy time `dt` since the last delivery.
    mutating func delivered(_ n: Int64, at now: SimInstant, timeConstant: Double) {
        let dt = (now - Swift.max(lastDeliveryAt, busySince)).seconds
        lastDeliveryAt = now
        let decay = dt > 0 ? exp(-dt / timeConstant) : 1
        bytes = bytes * decay + Double(n)
        seconds = seconds * decay + Swift.max(0, dt)
    }
}
