import DRLSimCore

/// One protection action's outcome: a row of `protection.csv`.
public struct ProtectionRecord: Hashable, Sendable {
    /// The workload policy execution index.
    public var execution: Int
    /// Resource name.
    public var resource: String
    /// The action.
    public var action: ProtectionActionKind
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
        [.int(Int64(execution)), .text(resource), .text(action.resourceKind), .text(action.rawValue),
         .double(start.seconds), .double(end.seconds), .double(duration.seconds), .int(bytes), .text(status.rawValue)]
    }
}

/// The recoverable state of one protected resource at an instant: a row of `rpo.csv`.
public struct RecoveryPointRecord: Hashable, Sendable {
    /// Resource name.
    public var resource: String
    /// Its protection action.
    public var action: ProtectionActionKind
    /// The disaster (evaluation) instant.
    public var disaster: SimInstant
    /// The newest recoverable state's instant; nil when nothing is recoverable.
    public var recoveryPoint: SimInstant?
    /// Bytes written on the primary at or after the recovery point (all bytes when none).
    public var lostBytes: Int64

    /// `disaster - recoveryPoint` (the whole run so far when nothing is recoverable).
    public var rpo: SimDuration { disaster - (recoveryPoint ?? .zero) }

    /// The `rpo` table's columns (after run, point, replication).
    public static let columns = ["resource", "action", "disaster_s", "recovery_point_s", "rpo_s", "lost_bytes"]

    /// Row values; `recovery_point_s` is -1 when nothing is recoverable.
    public var row: [RecordValue] {
        [.text(resource), .text(action.rawValue), .double(disaster.seconds),
         .double(recoveryPoint?.seconds ?? -1), .double(rpo.seconds), .int(lostBytes)]
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
    public var action: ProtectionActionKind
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
