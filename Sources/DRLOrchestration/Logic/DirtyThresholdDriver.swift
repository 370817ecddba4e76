import DRLSimCore

/// Protects when at least `threshold` bytes changed since the last recovery point (paper §3:
/// "triggering synchronization actions when a certain amount of data has been modified").
///
/// Waits while an execution of the policy runs (its completion is the next recovery point).
public final class DirtyThresholdDriver: LogicDriver {
    /// `dirty-threshold`.
    public let name = "dirty-threshold"
    /// Bytes changed that trigger a protection.
    public let threshold: Int64
    /// A driver with `threshold` bytes.
    public init(threshold: Int64) { precondition(threshold > 0); self.threshold = threshold }
    /// The driver's verdict for one policy at this tick.
    public func decide(_ input: LogicInput) -> LogicDecision {
        if input.running > 0 { return .wait }
        if input.dirtyBytes >= threshold { return LogicDecision(protect: true, reason: "dirty \(input.dirtyBytes) >= \(threshold)") }
        return .wait
    }
}

extension DirtyThresholdDriver {
    /// `dirty-threshold {threshold}`.
    public static let plugin = LogicDriverPlugin(
        name: "dirty-threshold", summary: "protect once the bytes written since the recovery point reach a threshold",
        schema: [ParameterSpec("threshold", .size, default: .size(1_000_000_000), minimum: 0, excluding: true,
                               doc: "bytes changed that trigger a protection (default 1GB)")]
    ) { p, _ in DirtyThresholdDriver(threshold: p.size("threshold")!) }
}
