import DRLSimCore
/// The DRLOrchestration module; see Sources/README.md.
public enum DRLOrchestrationModule { /// The module name.
public static let name = "DRLOrchestration" }
