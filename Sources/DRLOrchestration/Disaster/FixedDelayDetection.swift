import DRLSimCore

/// A stand-in for the distributed failure detector (DRLDetector): decides a fixed delay after
/// the disaster, when the primary is unreachable from the backup.
///
/// Defaults follow the paper (§5: "5 x 100 msec"): 5 ping retries x 100 ms timeout = 500 ms,
/// plus one voting round trip on the backup's LAN (1 ms), then the notification to the
/// orchestrator on the same LAN (0.5 ms). A disaster that neither blocks the WAN nor turns
/// every host off is not detected (the pings still get answers).
public struct FixedDelayDetection: Sendable, Hashable {
    /// Ping timeout: 100 ms.
    public var pingTimeout: SimDuration = .milliseconds(100)
    /// Pings per round: 5.
    public var retries: Int64 = 5
    /// The vote round trip: 1 ms.
    public var voting: SimDuration = .milliseconds(1)
    /// Detector -> orchestrator notification: 0.5 ms.
    public var notify: SimDuration = .microseconds(500)
    /// Defaults.
    public init() {}
    /// (detected, notified) for `event`, or nil when the disaster is not visible.
    public func verdict(for event: DisasterEvent) -> (detected: SimInstant, notified: SimInstant)? {
        guard event.spec.stopsProtection else { return nil }
        let d = event.at + pingTimeout * retries + voting
        return (d, d + notify)
    }
}
