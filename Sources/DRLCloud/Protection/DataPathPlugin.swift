/// A data path as a plug-in: the action name it serves, one line for `describe`, and a factory
/// building a fresh `DataPath` for each run (a path may keep per-run state).
///
/// Registered on the scenario layer's `Plugins` value (`plugins.register(dataPath:)`) under its
/// `ProtectionActionName`; the run's assembly registers every plug-in's path on the run's
/// `ProtectionService` (`ProtectionService.register`), so a protection action plug-in
/// (DRLOrchestration's `ProtectionAction`) can send its jobs (`DataPathJob.action`) through a
/// path of its own, whose rows carry its name in the `action` column. The paper's four are
/// `standard` (`StandardDataPath`, which every `ProtectionService` also registers itself).
public struct DataPathPlugin: Sendable {
    /// Builds the run's data path.
    public typealias Factory = @Sendable () -> any DataPath
    /// The action it runs (the path's `action`; the `action` column).
    public var action: ProtectionActionName
    /// VMs or volumes.
    public var resourceKind: ResourceKind
    /// One line for `describe`.
    public var summary: String
    /// Builds the path.
    public var make: Factory

    /// A plug-in; `make` must build paths whose `action` and `resourceKind` are the ones given.
    public init(action: ProtectionActionName, resourceKind: ResourceKind, summary: String, make: @escaping Factory) {
        self.action = action; self.resourceKind = resourceKind; self.summary = summary; self.make = make
    }

    /// The paper's four data paths (`StandardDataPath.all`), in `ProtectionActionName.standard` order.
    public static var standard: [DataPathPlugin] {
        StandardDataPath.all.map { path in
            DataPathPlugin(action: path.action, resourceKind: path.resourceKind,
                           summary: "DRLCloud's \(path.action) sequence (ProtectionService+Actions)") { path }
        }
    }
}
