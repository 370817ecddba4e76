import DRLSimCore
import DRLCloud

/// A DR-Engine protection action plug-in: protect, failover (recover) and cleanup of one
/// resource kind, over the data paths (`ProtectionDataPaths`, DRLCloud).
///
/// Registered in an `ActionRegistry` under its name (`name`, a `ProtectionActionName`); a new
/// action is one type conforming to this protocol (orbit-software.md §3: actions are plug-ins
/// by class name), plus, when it moves data DRLCloud has no path for, a DRLCloud `DataPath`
/// registered under the same name. Protect sends one `DataPathJob` named after the action
/// (`job(for:)` builds it); what the backup can recover is the data paths' (`recoveryPoint(of:)`),
/// never the action's.
public protocol ProtectionAction: AnyObject {
    /// The registry name, also the data path's and the tables' (`image-copy`, ...).
    var name: ProtectionActionName { get }
    /// The resource kind it protects.
    var kind: ResourceKind { get }
    /// Starts protecting the resource of `context`; `completion` runs once when it ends.
    func protect(_ context: ProtectContext, completion: @escaping (DataPathOutcome) -> Void) -> ProtectionHandle?
    /// The failover of `record` at the backup site: its duration, the IDs it creates, or why it fails.
    func failover(_ record: PolicyExecution.ActionRecord, context: FailoverContext) -> Result<FailoverPlan, RecoveryFailure>
    /// Releases what the action stored beyond the execution container (default: nothing).
    func cleanup(_ record: PolicyExecution.ActionRecord, context: ProtectContext)
}

extension ProtectionAction {
    /// Nothing to release by default: the container deletion removes the action's objects.
    public func cleanup(_ record: PolicyExecution.ActionRecord, context: ProtectContext) {}

    /// The job of this action on the resource of `context`: `bytes` nominal, in `trafficClass`.
    public func job(for context: ProtectContext, bytes: Int64, checksum: String? = nil, trafficClass: String) -> DataPathJob {
        DataPathJob(action: name, resource: context.resource, execution: context.execution, bytes: bytes, checksum: checksum,
                    trafficClass: trafficClass)
    }
}

/// What an action's protect step gets.
public struct ProtectContext {
    /// The resource.
    public var resource: ResourceID
    /// The VM, for VM actions.
    public var vm: VMDescription?
    /// The volume, for volume actions.
    public var volume: VolumeDescription?
    /// The execution (the data paths' number; its container stores the action's objects).
    public var execution: Int
    /// The workload policy.
    public var policy: String
    /// The data paths to drive.
    public var dataPaths: ProtectionDataPaths
}

/// What an action's failover step gets.
public struct FailoverContext {
    /// The protected workload (as described in the execution's metadata).
    public var workload: TenantWorkload
    /// Service time models at the backup site.
    public var timings: RecoveryTimings
    /// The data paths (recovery points, replica states).
    public var dataPaths: ProtectionDataPaths
    /// The instant the failover starts.
    public var now: SimInstant
    /// A backup-site ID for a new object (deterministic, unique within the run).
    public var newID: (String) -> String
}

/// The outcome of one action's failover planning.
public struct FailoverPlan: Sendable, Hashable {
    /// The recovery step name (for `recovery_steps`): `image-import`, `volume-restore`, `drbd-manage`.
    public var step: String
    /// How long it takes at the backup site.
    public var duration: SimDuration
    /// Primary image ID -> backup image ID, if it imports an image.
    public var image: (primary: String, backup: String)?
    /// Primary volume ID -> backup volume ID, if it restores or manages a volume.
    public var volume: (primary: String, backup: String)?
    /// Work moved into the Heat stack: the volume (primary ID), its size and its restore time,
    /// when the restore runs as a stack resource (`RecoveryTimings.restoreInStack`).
    public var inStack: (primaryVolume: String, bytes: Int64, duration: SimDuration)?
    /// The part of `duration` that is a transfer through the backup site's restore throughput
    /// (its time alone; the rest is fixed overhead): shared with concurrent restores in per-VM
    /// recovery (`SharedRestores`). Zero: none.
    public var transfer: SimDuration = .zero

    /// A plan.
    public init(step: String, duration: SimDuration, image: (primary: String, backup: String)? = nil,
                volume: (primary: String, backup: String)? = nil,
                inStack: (primaryVolume: String, bytes: Int64, duration: SimDuration)? = nil, transfer: SimDuration = .zero) {
        self.step = step; self.duration = duration; self.image = image; self.volume = volume; self.inStack = inStack
        self.transfer = transfer
    }
    /// Equal when step, duration, transfer part and ID pairs are equal.
    public static func == (a: FailoverPlan, b: FailoverPlan) -> Bool {
        a.step == b.step && a.duration == b.duration && a.image?.primary == b.image?.primary
            && a.image?.backup == b.image?.backup && a.volume?.primary == b.volume?.primary && a.volume?.backup == b.volume?.backup
            && a.inStack?.primaryVolume == b.inStack?.primaryVolume && a.inStack?.duration == b.inStack?.duration
            && a.transfer == b.transfer
    }
    /// Hashes step and duration.
    public func hash(into h: inout Hasher) { h.combine(step); h.combine(duration) }
}

/// Why a recovery (or failback) failed; recorded in `recovery.csv`'s `reason`.
public enum RecoveryFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// No ready container exists for the policy.
    case noRecoveryPoint(policy: String)
    /// The DRBD peer is not consistent (resync in progress or never synced).
    case replicaInconsistent(volume: String)
    /// The template does not resolve at the backup site.
    case template(TemplateError)
    /// Heat did not finish creating the stack within its timeout.
    case stackTimeout(needed: SimDuration, timeout: SimDuration)
    /// The execution names an action that is not registered.
    case unknownAction(String)
    /// The metadata names a resource the workload does not describe.
    case missingResource(String)

    /// A one-line human-readable form.
    public var description: String {
        switch self {
        case .noRecoveryPoint(let p): return "policy \(p) has no ready recovery point"
        case .replicaInconsistent(let v): return "DRBD replica of \(v) is not consistent"
        case .template(let e): return "template: \(e)"
        case .stackTimeout(let n, let t): return "stack create needs \(n.seconds) s, over its \(t.seconds) s timeout"
        case .unknownAction(let a): return "unknown action \(a)"
        case .missingResource(let r): return "resource \(r) missing from metadata"
        }
    }
}
