import DRLSimCore
/// The DRLExperiment module; see Sources/README.md.
public enum DRLExperimentModule { /// The module name.
public static let name = "DRLExperiment" }
