import DRLSimCore
/// The DRLNetwork module; see Sources/README.md.
public enum DRLNetworkModule { /// The module name.
public static let name = "DRLNetwork" }
