import DRLSimCore
/// The DRLCloud module; see Sources/README.md.
public enum DRLCloudModule { /// The module name.
public static let name = "DRLCloud" }
