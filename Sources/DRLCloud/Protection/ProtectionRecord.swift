import DRLSimCore

/// One protection action's outcome: a row of `protection.csv`.
public struct ProtectionRecord: Hashable, Sendable {
    /// The workload policy execution index.
    public var execution: Int
    /// Resource name.
    public var resource: String
    /// The action.
    public var action: ProtectionActionName
    /// VM or volume (the `kind` column).
    public var kind: ResourceKind
    /// Start instant.
    public var start: SimInstant
    /// End instant.
    public var end: SimInstant
    /// Bytes sent to the backup site by the action.
    public var bytes: Int64
    /// Outcome.
    public var status: ProtectionStatus

    /// `end - start`.
    public var duration: SimDuration { end - start }

    /// The `protection` table's columns (after run, point, replication).
    public static let columns = ["execution", "resource", "kind", "action", "start_s", "end_s", "duration_s",
                                 "bytes", "status"]

    /// The row values in `columns` order.
    public var row: [RecordValue] {
        [.int(Int64(execution)), .text(resource), .text(kind.rawValue), .text(action.rawValue),
         .double(start.seconds), .double(end.seconds), .double(duration.seconds), .int(bytes), .text(status.rawValue)]
    }
}

/// The recoverable state of one protected resource at an instant: a row of `rpo.csv`.
public struct RecoveryPointRecord: Hashable, Sendable {
    /// Resource name.
    public var resource: String
    /// Its protection action.
    public var action: ProtectionActionName
    /// VM or volume (the `kind` column).
    public var kind: ResourceKind
    /// The disaster (evaluation) instant.
    public var disaster: SimInstant
    /// The newest recoverable state's instant; nil when nothing is recoverable.
    public var recoveryPoint: SimInstant?
    /// Bytes written on the primary at or after the recovery point (all bytes when none).
    public var lostBytes: Int64
    /// The VM the resource belongs to (a volume: the VM it is attached to; "" when unknown).
    public var vm: String = ""
    /// The RPO recovery of that VM depends on: the largest RPO over its data resources (its
    /// volumes; a VM without a volume: its own). nil: not evaluated (`row` writes `rpo`).
    public var vmRPO: SimDuration? = nil
    /// For a replicated resource, whether the backup's replica is usable (consistent) now:
    /// the failover decision of volume replication. nil: not a replica.
    public var replicaConsistent: Bool? = nil

    /// A record; `vm`, `vmRPO` and `replicaConsistent` unset.
    public init(resource: String, action: ProtectionActionName, kind: ResourceKind, disaster: SimInstant,
                recoveryPoint: SimInstant?, lostBytes: Int64) {
        self.resource = resource; self.action = action; self.kind = kind; self.disaster = disaster
        self.recoveryPoint = recoveryPoint; self.lostBytes = lostBytes
    }

    /// `disaster - recoveryPoint` (the whole run so far when nothing is recoverable).
    public var rpo: SimDuration { disaster - (recoveryPoint ?? .zero) }

    /// The `rpo` table's columns (after run, point, replication).
    /// `kind` (vm/volume), `vm` and `vm_rpo_s` follow the contract's six (Docs/scenario-reference.md, `rpo.csv`).
    public static let columns = ["resource", "action", "disaster_s", "recovery_point_s", "rpo_s", "lost_bytes", "kind", "vm", "vm_rpo_s"]

    /// Row values; `recovery_point_s` is -1 when nothing is recoverable.
    public var row: [RecordValue] {
        [.text(resource), .text(action.rawValue), .double(disaster.seconds),
         .double(recoveryPoint?.seconds ?? -1), .double(rpo.seconds), .int(lostBytes), .text(kind.rawValue), .text(vm),
         .double((vmRPO ?? rpo).seconds)]
    }

    /// `records` with `vm` and `vmRPO` filled in: `vmOf` names each resource's VM; a VM's
    /// RPO is the largest RPO of its volume rows, or of its own rows when it has no volume row
    /// (the base image's age is not data loss, so an image copy does not count next to a volume).
    public static func withVMRPO(_ records: [RecoveryPointRecord], vmOf: (String) -> String?) -> [RecoveryPointRecord] {
        var out = records
        for i in out.indices { out[i].vm = vmOf(out[i].resource) ?? out[i].resource }
        var byVM: [String: (volume: SimDuration?, own: SimDuration)] = [:]
        for r in out {
            var e = byVM[r.vm] ?? (nil, .zero)
            if r.kind == .volume { e.volume = Swift.max(e.volume ?? .zero, r.rpo) } else { e.own = Swift.max(e.own, r.rpo) }
            byVM[r.vm] = e
        }
        for i in out.indices { let e = byVM[out[i].vm]!; out[i].vmRPO = e.volume ?? e.own }
        return out
    }
}

/// One step of a protection action as the OpenStack services run it: a row of
/// `protection_steps.csv` (Docs/openstack-model.md). Steps of one action follow each other
/// (`clone`, `zero-fill`, `clone-poll`, `backup`, `backup-poll`, `export-delete`; `managed-save`,
/// `qemu-img-convert`, `domain-restore`, `glance-upload`, `image-poll`, `glance-download`,
/// `swift-put`, `delete`; ...); an aborted action's steps end at the abort.
public struct ProtectionStepRecord: Hashable, Sendable {
    /// The workload policy execution index.
    public var execution: Int
    /// Resource name.
    public var resource: String
    /// The action.
    public var action: ProtectionActionName
    /// The step's name.
    public var step: String
    /// Start instant.
    public var start: SimInstant
    /// End instant.
    public var end: SimInstant

    /// The `protection_steps` table's columns (after run, point, replication).
    public static let columns = ["execution", "resource", "action", "step", "start_s", "end_s", "duration_s"]

    /// The row values in `columns` order.
    public var row: [RecordValue] {
        [.int(Int64(execution)), .text(resource), .text(action.rawValue), .text(step),
         .double(start.seconds), .double(end.seconds), .double((end - start).seconds)]
    }
}
