/// The name of a protection action: the key that joins a DR-Engine action (DRLOrchestration's
/// `ProtectionAction`), the data path that moves its bytes (`DataPath`), the `action` column of
/// `protection.csv`, `protection_steps.csv` and `rpo.csv`, and the scenario's action names.
///
/// Open: any package may name a new action (`ProtectionActionName("my-action")`) and register
/// a `DataPath` and a `ProtectionAction` under it. The paper's four actions (paper §3;
/// orbit-software.md §3) are the constants below, the only place their names are spelled.
public struct ProtectionActionName: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name as written in scenarios and tables.
    public let rawValue: String
    /// Wraps a name.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// Wraps a name.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// Wraps a literal name.
    public init(stringLiteral value: String) { self.rawValue = value }
    /// Lexical order.
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    /// The name.
    public var description: String { rawValue }

    /// Snapshot the VM's disk into an image and upload it to the execution container.
    public static let vmSnapshot: Self = "vm-snapshot"
    /// Copy the VM's base image into the tenant's global container (the paper's default VM action).
    public static let imageCopy: Self = "image-copy"
    /// Clone the volume and back the clone up (cinder-backup) into the execution container.
    public static let volumeSnapshot: Self = "volume-snapshot"
    /// DRBD replication runs continuously; protect only records metadata.
    public static let volumeReplication: Self = "volume-replication"
    /// The paper's four actions, VM actions first.
    public static let standard: [Self] = [.vmSnapshot, .imageCopy, .volumeSnapshot, .volumeReplication]

    /// The default action of a volume of `type` (paper §4.2; orbit-software.md §2): DRBD
    /// volumes volume replication, every other type volume snapshots. (A VM's default is the
    /// administrator's `vmAction`.)
    public static func defaultAction(for type: VolumeType) -> Self { type == .drbd ? .volumeReplication : .volumeSnapshot }
}
