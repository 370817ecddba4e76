/// A plug-in that a registry keys by a name (a qdisc's `type`, a DR-Logic driver's `type:`).
public protocol NamedPlugin {
    /// The name the scenario uses to pick the plug-in.
    var pluginName: String { get }
}

/// The registration table behind the registries that are values (`QdiscRegistry`,
/// `LogicDriverRegistry`): plug-ins in registration order, a later plug-in replacing an
/// earlier one of the same name, so that listing is deterministic and a user's registration
/// overrides a built-in.
public struct PluginTable<Plugin: NamedPlugin> {
    /// The registered plug-ins, in registration order.
    public private(set) var all: [Plugin] = []

    /// The plug-ins of `plugins`, registered in order.
    public init(_ plugins: [Plugin] = []) {
        for p in plugins { register(p) }
    }

    /// Registers `plugin` under its name (replacing an earlier one of that name).
    public mutating func register(_ plugin: Plugin) {
        all.removeAll { $0.pluginName == plugin.pluginName }
        all.append(plugin)
    }

    /// The plug-in registered as `name`.
    public func plugin(_ name: String) -> Plugin? { all.first { $0.pluginName == name } }

    /// The registered names, in registration order.
    public var names: [String] { all.map(\.pluginName) }
}

extension PluginTable: Sendable where Plugin: Sendable {}
