import DRLSimCore

/// What a qdisc factory may use: the link it shapes, a stream name stem, the run's context and
/// the registry that builds child qdiscs.
public struct QdiscBuildContext {
    /// The line rate of the link (defaults that depend on it).
    public var linkRate: Rate
    /// The largest packet (segment size) on the link.
    public var mtu: Int
    /// A stable stem for random stream names (`"network.umea-lulea"`).
    public var streamName: String
    /// The run's context (random streams), nil in unit tests that build qdiscs without a run.
    public var runContext: RunContext?
    /// The disciplines child qdiscs may name.
    public var qdiscs: QdiscRegistry

    /// A build context.
    public init(linkRate: Rate, mtu: Int = 65_536, streamName: String = "network", runContext: RunContext? = nil,
                qdiscs: QdiscRegistry = .standard) {
        self.linkRate = linkRate; self.mtu = mtu; self.streamName = streamName; self.runContext = runContext; self.qdiscs = qdiscs
    }

    /// The random stream `<streamName>.<suffix>` (a fixed-seed stream when there is no run).
    public func stream(_ suffix: String) -> RandomStream {
        let name = "\(streamName).\(suffix)"
        return runContext?.stream(name) ?? RandomStream(name: name, rawSeed: 1)
    }
}

/// The queueing disciplines a scenario's `wan.qdisc` may name: a value (no global table), the
/// standard nine plus whatever a user registers (`Plugins.qdiscs`).
public struct QdiscRegistry: Sendable {
    private var plugins: PluginTable<QdiscPlugin>

    /// A registry of `plugins` (none: empty), registered in order.
    public init(_ plugins: [QdiscPlugin] = []) { self.plugins = PluginTable(plugins) }

    /// Registers `plugin` under its type (replacing an earlier one of that type).
    public mutating func register(_ plugin: QdiscPlugin) { plugins.register(plugin) }

    /// The registered disciplines, in registration order.
    public var all: [QdiscPlugin] { plugins.all }
    /// The registered type names, sorted.
    public var types: [String] { plugins.names.sorted() }
    /// The plug-in registered as `type`.
    public func plugin(_ type: String) -> QdiscPlugin? { plugins.plugin(type) }

    /// Builds the tree described by `config`.
    public func build(_ config: QdiscConfig, context: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        guard let p = plugin(config.type) else { throw .unknownType(config.type) }
        var ctx = context
        ctx.qdiscs = self
        return try p.make(config, ctx)
    }

    /// pfifo, pfifo_fast, bfifo, tbf, prio, htb, netem, codel, fq_codel (tc(8) and the man pages
    /// of each).
    public static var standard: QdiscRegistry {
        QdiscRegistry([FifoQdisc.pfifoPlugin, FifoQdisc.pfifoFastPlugin, FifoQdisc.bfifoPlugin, TbfQdisc.plugin, PrioQdisc.plugin,
                       HtbQdisc.plugin, NetemQdisc.plugin, CodelQdisc.plugin, FqCodelQdisc.plugin])
    }
}

extension QdiscPlugin: NamedPlugin {
    /// `type`.
    public var pluginName: String { type }
}
