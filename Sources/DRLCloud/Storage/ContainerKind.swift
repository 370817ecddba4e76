/// What a container of the backup's Swift vault holds (the `container_kind` column of
/// `storage.csv`; orbit-software.md section 3).
public enum ContainerKind: String, Sendable, CaseIterable {
    /// `<tenant>_<policy>_<timestamp>`: one protection execution (a recovery point once ready).
    case execution
    /// The per-tenant global container of image copies, one copy per image checksum.
    case image
    /// Any other container (none in the current model; reserved so that the column's values
    /// stay stable when one is added).
    case other
}
