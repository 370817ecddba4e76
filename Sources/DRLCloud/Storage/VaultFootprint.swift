/// The live (not deleted) part of the vault of one container kind: what `storage.csv` reports.
///
/// Conservation: `storedBytes` is the sum of the bytes of the live objects, i.e. every byte
/// stored minus every byte deleted (retention, image overwrite); `SwiftStore.recomputedFootprint`
/// recounts it from the objects and `ProtectionService.conservationViolations` compares.
public struct VaultFootprint: Hashable, Sendable {
    /// Live containers (for `execution`: processing and ready ones).
    public var containers: Int = 0
    /// Live objects in them.
    public var objects: Int = 0
    /// Bytes of the live objects.
    public var storedBytes: Int64 = 0
    /// Ready containers among them (recovery points; 0 for the image container).
    public var recoveryPoints: Int = 0

    /// An empty footprint.
    public init() {}

    /// A footprint with the given counts.
    public init(containers: Int, objects: Int, storedBytes: Int64, recoveryPoints: Int) {
        self.containers = containers; self.objects = objects; self.storedBytes = storedBytes
        self.recoveryPoints = recoveryPoints
    }
}
