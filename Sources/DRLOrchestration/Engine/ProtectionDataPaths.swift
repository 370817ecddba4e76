import DRLSimCore

/// The storage data paths the protection actions drive (DRLCloud behind this narrow seam).
///
/// A job is the work of one action on one resource: local preparation (snapshot creation,
/// volume clone) followed by the upload of its bytes into the execution's Swift container over
/// the WAN in the job's traffic class. The data paths call `completion` exactly once, when the
/// job finished or failed (the WAN blocked, the site down, `abort`). Source: orbit-software.md §3.
public protocol ProtectionDataPaths: AnyObject {
    /// Starts `job`; `completion` runs at the simulated instant the job ends.
    func start(_ job: DataPathJob, completion: @escaping (DataPathOutcome) -> Void) -> DataPathHandle
    /// Aborts a running job (its completion reports `.aborted`).
    func abort(_ handle: DataPathHandle)
    /// The state of a DRBD volume's replica at the backup site at `instant`.
    func replicaState(of volume: ResourceID, at instant: SimInstant) -> ReplicaState
    /// Cumulative bytes the workload wrote to `resource` up to `instant` (0 for VMs without writes).
    func bytesWritten(to resource: ResourceID, by instant: SimInstant) -> Int64
    /// Deletes an execution container from the vault (cleanup).
    func deleteContainer(_ name: String)
    /// Pauses (`true`) or resumes a VM for consistent-mode protection.
    func setPaused(_ vm: ResourceID, _ paused: Bool)
}

/// What kind of data a job moves (the paper's protection actions plus metadata).
public enum DataPathKind: String, Sendable, Hashable {
    /// A snapshot of the VM's ephemeral disk, uploaded in 50 MiB chunks.
    case vmSnapshot = "vm-snapshot"
    /// The VM's base image into the tenant's global container (Dragon re-sends it at every
    /// action; the objects, named by checksum, are overwritten).
    case imageCopy = "image-copy"
    /// A clone of the volume backed up into the container.
    case volumeSnapshot = "volume-snapshot"
    /// DRBD replication: protect only records metadata.
    case volumeReplication = "volume-replication"
    /// The execution's metadata and Heat template.
    case metadata
    /// Failback: data moved from the backup back to the primary.
    case failbackSync = "failback-sync"
}

/// One unit of data-path work.
public struct DataPathJob: Sendable, Hashable {
    /// What is moved.
    public var kind: DataPathKind
    /// The resource (VM or volume) it belongs to.
    public var resource: ResourceID
    /// The execution container it is stored in.
    public var container: String
    /// The workload policy of the execution (empty when not known).
    public var policy: String = ""
    /// The nominal bytes (disk, image or volume size, template size); the data path may send
    /// fewer (deduplication, compression, incremental backups) and reports what it sent.
    public var bytes: Int64
    /// The image checksum for image copies (the global container's object key).
    public var checksum: String?
    /// The traffic class on the WAN (`snapshot`, `image`, `metadata`, `replication`).
    public var trafficClass: String
    /// A job.
    public init(kind: DataPathKind, resource: ResourceID, container: String, bytes: Int64, checksum: String? = nil, trafficClass: String) {
        self.kind = kind; self.resource = resource; self.container = container; self.bytes = bytes
        self.checksum = checksum; self.trafficClass = trafficClass
    }
}

/// The identity of a running job.
public struct DataPathHandle: Hashable, Sendable {
    /// A unique number within the data paths.
    public var raw: Int
    /// Wraps a number.
    public init(_ raw: Int) { self.raw = raw }
}

/// How a job ended.
public enum DataPathOutcome: Sendable, Hashable {
    /// Done: `bytes` crossed the WAN; the stored state is the resource as of `pointInTime`.
    case completed(bytes: Int64, pointInTime: SimInstant)
    /// Failed after `bytes` were sent, with a reason (e.g. "wan blocked").
    case aborted(bytes: Int64, reason: String)
}

/// The backup-site view of a DRBD volume.
public struct ReplicaState: Sendable, Hashable {
    /// True when the peer disk is UpToDate/consistent (usable for failover).
    public var consistent: Bool
    /// The primary's state the replica holds (the newest write that reached it).
    public var recoveryPoint: SimInstant?
    /// Bytes written on the primary that the replica does not hold.
    public var lostBytes: Int64
    /// A replica state.
    public init(consistent: Bool, recoveryPoint: SimInstant?, lostBytes: Int64) {
        self.consistent = consistent; self.recoveryPoint = recoveryPoint; self.lostBytes = lostBytes
    }
}
