import DRLSimCore

/// Why a driver cannot be built.
public enum LogicDriverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No driver is registered under the name.
    case unknownType(String, known: [String])
    /// The parameters do not fit the driver's schema.
    case parameters(String, ParameterError)
    /// A one-line human-readable form.
    public var description: String {
        switch self {
        case .unknownType(let t, let k): return "unknown logic driver \(t) (known: \(k.joined(separator: ", ")))"
        case .parameters(let t, let e): return "logic driver \(t): \(e)"
        }
    }
}

/// DR-Logic drivers keyed by the scenario's `type:` (paper §3: plug-ins loaded by the
/// orchestrator). A value: `standard` holds the four built-in drivers, `register` adds more.
public struct LogicDriverRegistry: Sendable {
    private var plugins: PluginTable<LogicDriverPlugin>
    /// A registry of `plugins` (none: empty), registered in order.
    public init(_ plugins: [LogicDriverPlugin] = []) { self.plugins = PluginTable(plugins) }
    /// `fixed`, `dirty-threshold`, `rpo-target`, `bandwidth-shares`.
    public static var standard: LogicDriverRegistry {
        LogicDriverRegistry([FixedFrequencyDriver.plugin, DirtyThresholdDriver.plugin, RPOTargetDriver.plugin, BandwidthSharesDriver.plugin])
    }
    /// Registers `plugin` under its name (replacing an earlier one).
    public mutating func register(_ plugin: LogicDriverPlugin) { plugins.register(plugin) }
    /// Registered names in order.
    public var names: [String] { plugins.names }
    /// Registered plug-ins in order.
    public var all: [LogicDriverPlugin] { plugins.all }
    /// The plug-in registered as `name`.
    public func plugin(_ name: String) -> LogicDriverPlugin? { plugins.plugin(name) }
    /// A driver for `choice` (its parameters checked against the driver's schema, defaults filled in).
    public func make(_ choice: LogicDriverChoice, context: LogicDriverContext = LogicDriverContext()) throws(LogicDriverError) -> any LogicDriver {
        guard let p = plugin(choice.type) else { throw .unknownType(choice.type, known: names) }
        switch p.schema.resolve(choice.parameters.values) {
        case .success(let v): return p.make(v, context)
        case .failure(let e): throw .parameters(choice.type, e)
        }
    }
}

extension LogicDriverPlugin: NamedPlugin {
    /// `name`.
    public var pluginName: String { name }
}
