import DRLSimCore
import DRLCloud

/// The DR-Engine's actions keyed by scenario name.
///
/// `standard` holds the paper's four actions (paper §3). Registration order is kept, so listing
/// is deterministic.
public struct ActionRegistry {
    private var entries: [(name: ProtectionActionName, action: any ProtectionAction)] = []
    /// An empty registry.
    public init() {}
    /// The paper's actions: vm-snapshot, image-copy, volume-snapshot, volume-replication.
    public static var standard: ActionRegistry { ActionRegistry(plugins: ProtectionActionPlugin.standard) }
    /// Registers `action` under `action.name` (replacing an earlier one of that name).
    public mutating func register(_ action: any ProtectionAction) {
        entries.removeAll { $0.name == action.name }
        entries.append((action.name, action))
    }
    /// The action registered as `name`.
    public func action(named name: ProtectionActionName) -> (any ProtectionAction)? { entries.first { $0.name == name }?.action }
    /// Registered names in registration order.
    public var names: [ProtectionActionName] { entries.map(\.name) }
}
