import DRLSimCore
import DRLNetwork

/// One protection action running on one resource for one execution: what its `DataPath`
/// drives and `ProtectionService.finish` turns into a `protection` row and its steps.
public final class ProtectionRun {
    /// The handle id (`ProtectionHandle.id`).
    public let id: Int
    /// The execution (its container is where the action stores its objects).
    public let execution: Int
    /// The resource name on the primary.
    public let resource: String
    /// The action.
    public let action: ProtectionActionName
    /// VM or volume (the `kind` column).
    public let kind: ResourceKind
    /// When it started.
    public let start: SimInstant
    /// True once another action on the same resource started while this one ran.
    @exclusivity(unchecked) var overlapped = false
    @exclusivity(unchecked) var pipeline: ChunkPipeline?
    /// The pending event of the run (cancelled when it is aborted).
    @exclusivity(unchecked) public var timer: EventID?
    /// The transfer channel of the run (aborted with it).
    @exclusivity(unchecked) public var channel: TransferChannel?
    @exclusivity(unchecked) var vm: VirtualMachine?
    /// The VM's speed before its snapshot slowed or stopped it (restored at the end, so an
    /// outer pause, e.g. the engine's consistent mode, is kept).
    @exclusivity(unchecked) var resumeSpeed: Double = 1
    /// The action's steps so far (name, start, end), emitted when it finishes.
    @exclusivity(unchecked) var steps: [(name: String, start: SimInstant, end: SimInstant)] = []
    @exclusivity(unchecked) var completion: ((ProtectionRecord) -> Void)?

    init(id: Int, execution: Int, resource: String, action: ProtectionActionName, kind: ResourceKind, start: SimInstant) {
        self.id = id; self.execution = execution; self.resource = resource; self.action = action; self.kind = kind
        self.start = start
    }
    /// Bytes sent to the backup so far.
    var sentBytes: Int64 { pipeline?.deliveredBytes ?? channel?.deliveredBytes ?? 0 }
}
