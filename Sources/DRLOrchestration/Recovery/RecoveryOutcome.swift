import DRLSimCore

/// One recovery (failover after a disaster, or failback home) as measured: a `recovery` row
/// plus its step breakdown.
public struct RecoveryOutcome: Sendable, Hashable {
    /// Failover or failback.
    public enum Kind: String, Sendable, Hashable {
        /// Recovery at the backup after a disaster.
        case failover
        /// Return to the primary once it operates again.
        case failback
    }
    /// One timed step.
    public struct Step: Sendable, Hashable {
        /// The step name (`metadata-read`, `image-import`, `volume-restore`, `drbd-manage`, ...).
        public var name: String
        /// Start.
        public var start: SimInstant
        /// End.
        public var end: SimInstant
        /// The length.
        public var duration: SimDuration { end - start }
    }
    /// Failover or failback.
    public var kind: Kind
    /// The policy recovered.
    public var policy: String
    /// The disaster (failback: the instant the primary was marked operating).
    public var disaster: SimInstant
    /// The detector's decision.
    public var detected: SimInstant?
    /// The orchestrator notified.
    public var notified: SimInstant?
    /// Recovery operations started.
    public var started: SimInstant?
    /// The stack is created (resources recreated).
    public var recovered: SimInstant?
    /// The VM answers its clients.
    public var responsive: SimInstant?
    /// Clients' traffic reaches the new site (BGP anycast converged); nil if never redirected.
    public var redirected: SimInstant?
    /// Failback: when the service stopped at the backup for the switch.
    public var switchStart: SimInstant?
    /// The execution container recovered from (failover).
    public var container: String?
    /// The failure, if it failed.
    public var failure: RecoveryFailure?
    /// The steps in order.
    public var steps: [Step] = []
    /// The Heat stack's resources inside the `stack-create` step (`StackSchedule`): each from
    /// its creation start to the 1 s step that saw it complete, named by resource; they overlap
    /// (Heat creates ready resources in parallel). Cut at the stack timeout; rows
    /// `stack:<resource>` of `recovery_steps`, after the steps.
    public var stackResources: [Step] = []
    /// `responsive - disaster` (nil when it failed).
    public var rto: SimDuration? { responsive.map { $0 - disaster } }
    /// The duration of the first step named `name`.
    public func duration(of name: String) -> SimDuration? { steps.first { $0.name == name }?.duration }
}
