import DRLSimCore
import DRLCloud

/// One protection execution of a workload policy and its Swift container.
///
/// The data paths own the execution and its container (`ProtectionDataPaths.beginExecution`,
/// DRLCloud: the vault's `<tenant>_<policy>_<timestamp>_<execution>`); it is a recovery point
/// only once marked `ready` (orbit-software.md §3). This is the engine's view: status, the
/// per-action records and the template.
public struct PolicyExecution: Sendable, Hashable {
    /// Container status.
    public enum Status: String, Sendable, Hashable {
        /// Actions still running; not a recovery point.
        case processing
        /// Every action protected its resource and the metadata and template are stored.
        case ready
        /// Some action failed; never a recovery point.
        case error
        /// Removed by cleanup.
        case deleted
    }
    /// The per-action record of an execution.
    public struct ActionRecord: Sendable, Hashable {
        /// The protected resource.
        public var resource: ResourceID
        /// VM or volume.
        public var kind: ResourceKind
        /// The action name.
        public var action: ProtectionActionName
        /// When the action started.
        public var start: SimInstant
        /// When it ended (nil while running).
        public var end: SimInstant?
        /// Bytes it sent over the WAN.
        public var bytes: Int64
        /// The resource state captured (snapshot/clone instant); nil until completed.
        public var pointInTime: SimInstant?
        /// `completed`, `aborted`, `overlapped` or `running`.
        public var status: String
        /// Why it aborted.
        public var reason: String?
    }
    /// Index of this execution among its policy's executions in the run (0-based).
    public var index: Int
    /// The policy name.
    public var policy: String
    /// The container name (empty until the data paths began the execution).
    public var container: String
    /// The data paths' execution number (nil until begun at its first action or its seal).
    public var dataPathExecution: Int? = nil
    /// When the protection was due (differs from `start` when it was queued).
    public var due: SimInstant
    /// When it started.
    public var start: SimInstant
    /// When it ended.
    public var end: SimInstant?
    /// Container status.
    public var status: Status
    /// Per-action records in member order.
    public var actions: [ActionRecord]
    /// The Heat template stored with the execution.
    public var template: HeatTemplate?
    /// True when another execution of the same policy ran at the same time.
    public var overlapped: Bool

    /// The record of `resource`, if the execution protects it.
    public func record(of resource: ResourceID) -> ActionRecord? { actions.first { $0.resource == resource } }
}
