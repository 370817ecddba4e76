import DRLSimCore
/// The DRLScenario module; see Sources/README.md.
public enum DRLScenarioModule { /// The module name.
public static let name = "DRLScenario" }
