import DRLSimCore
/// The DRLDetector module; see Sources/README.md.
public enum DRLDetectorModule { /// The module name.
public static let name = "DRLDetector" }
