import DRLSimCore
import DRLCloud

/// A DR-Engine protection action as a plug-in (orbit-software.md §3: actions are plug-ins by
/// class name): its scenario name, the resource kind it protects, its declared parameters
/// (`protection.actions.<name>`) and a factory building a fresh action per run.
public struct ProtectionActionPlugin: Sendable {
    /// Builds the action of one run from its resolved parameters.
    public typealias Factory = @Sendable (ParameterValues) -> any ProtectionAction
    /// The scenario name (`image-copy`); the action's `name`.
    public var name: String
    /// VMs or volumes.
    public var kind: ResourceKind
    /// One line for `describe`.
    public var summary: String
    /// The action's keys.
    public var schema: ParameterSchema
    /// Builds the action.
    public var make: Factory

    /// A plug-in.
    public init(name: String, kind: ResourceKind, summary: String, schema: ParameterSchema = .empty, make: @escaping Factory) {
        self.name = name; self.kind = kind; self.summary = summary; self.schema = schema; self.make = make
    }

    /// The paper's four actions (paper §3).
    public static var standard: [ProtectionActionPlugin] {
        [
            ProtectionActionPlugin(name: "vm-snapshot", kind: .vm, summary: "snapshot of the VM's disk uploaded in chunks") { _ in VMSnapshotAction() },
            ProtectionActionPlugin(name: "image-copy", kind: .vm, summary: "the VM's base image copied into the vault") { _ in ImageCopyAction() },
            ProtectionActionPlugin(name: "volume-snapshot", kind: .volume, summary: "a clone of the volume backed up into the vault") { _ in VolumeSnapshotAction() },
            ProtectionActionPlugin(name: "volume-replication", kind: .volume, summary: "DRBD replication; protect records metadata") { _ in VolumeReplicationAction() },
        ]
    }
}

extension ActionRegistry {
    /// A registry holding a fresh action of each plug-in, built with its parameters from
    /// `parameters` (by action name; absent: the schema's defaults).
    public init(plugins: [ProtectionActionPlugin], parameters: [String: ParameterValues] = [:]) {
        self.init()
        for p in plugins {
            let values = (try? p.schema.resolve(parameters[p.name]?.values ?? [:]).get()) ?? ParameterValues()
            register(p.make(values))
        }
    }
}
