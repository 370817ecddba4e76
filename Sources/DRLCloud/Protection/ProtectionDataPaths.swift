import DRLSimCore

/// The storage side the DR-Engine drives: executions and their containers, the data paths that
/// move each action's bytes, and the one computation of what the backup can recover.
///
/// DRLCloud's `ProtectionService` is the model (chunked uploads over the WAN transport, DRBD
/// replication, the Swift vault); tests may plug a stand-in. An execution is the data paths'
/// own: `beginExecution` creates its container (processing), `start` runs one action's job into
/// it, `seal` stores the metadata and template and marks it ready (only then a recovery point),
/// `deleteContainer` is the cleanup. Recovery points are computed here and nowhere else
/// (`recoveryPoint(of:)`), read by `rpo.csv` (`recordRecoveryPoints`) and by the failover
/// decision. The data paths emit the per-action `protection` rows and the `rpo` rows. Every
/// completion runs exactly once, at the simulated instant the work ends. Source: orbit-software.md §3.
public protocol ProtectionDataPaths: AnyObject {
    /// Creates the container of a new execution of `policy` for `tenant` (processing); returns
    /// the execution's number and its container's name.
    func beginExecution(tenant: String, policy: String) -> (execution: Int, container: String)
    /// Starts `job`; `completion` runs at the simulated instant the job ends.
    func start(_ job: DataPathJob, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle
    /// Stores the execution's metadata and Heat template (`bytes`, nominal) and marks its
    /// container ready; `completion` runs once when done (or failed).
    func seal(execution: Int, bytes: Int64, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle
    /// Moves `bytes` from the backup back to the primary (failback) in `trafficClass`.
    func syncBack(bytes: Int64, trafficClass: String, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle
    /// Aborts a running job (its completion reports `.aborted`).
    func abort(_ handle: ProtectionHandle)
    /// Deletes the container of `execution` (cleanup decided by the orchestration layer).
    func deleteContainer(execution: Int)
    /// Declares `resource` protected by `action` before its first protection, so that a
    /// disaster before then still gives it an `rpo` row (recovery point -1).
    func declareProtected(_ resource: ResourceID, action: ProtectionActionName, kind: ResourceKind, vm: ResourceID?)
    /// The newest state of `resource` the backup can recover now and the bytes written since:
    /// the one recovery-point computation.
    func recoveryPoint(of resource: ResourceID) -> RecoveryPointRecord?
    /// Evaluates every protected resource's recovery point now, emits the `rpo` rows and
    /// returns them (called at the disaster instant, before protection stops).
    func recordRecoveryPoints() -> [RecoveryPointRecord]
    /// Cumulative bytes the workload wrote to `resource` up to `instant` (0 for VMs without writes).
    func bytesWritten(to resource: ResourceID, by instant: SimInstant) -> Int64
    /// Pauses (`true`) or resumes a VM for consistent-mode protection.
    func setPaused(_ vm: ResourceID, _ paused: Bool)
    /// The run ends now (Docs/statistics.md): running jobs get their `censored` rows.
    func endRun()
}

/// One unit of data-path work: one action on one resource of one execution.
public struct DataPathJob: Sendable, Hashable {
    /// The action (also the data path that runs it).
    public var action: ProtectionActionName
    /// The resource (VM or volume) it protects.
    public var resource: ResourceID
    /// The execution (`beginExecution`) whose container stores it.
    public var execution: Int
    /// The nominal bytes (disk, image or volume size); the data path may send fewer
    /// (deduplication, compression, incremental backups) and reports what it sent.
    public var bytes: Int64
    /// The image checksum for image copies (the global container's object key).
    public var checksum: String?
    /// The traffic class on the WAN (`snapshot`, `image`, `metadata`, `replication`).
    public var trafficClass: String
    /// A job.
    public init(action: ProtectionActionName, resource: ResourceID, execution: Int, bytes: Int64, checksum: String? = nil,
                trafficClass: String) {
        self.action = action; self.resource = resource; self.execution = execution; self.bytes = bytes
        self.checksum = checksum; self.trafficClass = trafficClass
    }
}

/// How a job ended.
public enum DataPathOutcome: Sendable, Hashable {
    /// Done: `bytes` crossed the WAN; the stored state is the resource as of `pointInTime`.
    case completed(bytes: Int64, pointInTime: SimInstant)
    /// Failed after `bytes` were sent, with a reason (e.g. "wan blocked").
    case aborted(bytes: Int64, reason: String)
}
