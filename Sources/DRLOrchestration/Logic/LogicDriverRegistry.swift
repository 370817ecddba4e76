import DRLSimCore

/// The settings any registered driver may read; the scenario's `logic:` section decodes into it.
public struct LogicDriverConfig: Sendable, Hashable {
    /// The driver's registry name (`fixed` by default).
    public var type: String = "fixed"
    /// `dirty-threshold`: bytes changed that trigger a protection (default 1 GB).
    public var dirtyThreshold: Int64 = 1_000_000_000
    /// `rpo-target`: the RPO to keep (default 10 min).
    public var rpoTarget: SimDuration = .minutes(10)
    /// `rpo-target`: trigger line as a fraction of the target (default 0.9).
    public var rpoSafety: Double = 0.9
    /// `rpo-target`: throughput assumed before measurements can tell, bits/s (default 100 mbit).
    public var rpoAssumedRate: Double = 100e6
    /// `bandwidth-shares`: shaped classes.
    public var shapedClasses: [String] = ["replication", "snapshot", "image", "application"]
    /// `bandwidth-shares`: minimum share per class (default 0.05).
    public var shareFloor: Double = 0.05
    /// `bandwidth-shares`: smoothing gain (default 0.5).
    public var shareGain: Double = 0.5
    /// Defaults.
    public init() {}
}

/// Why a driver cannot be built.
public enum LogicDriverError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No driver is registered under the name.
    case unknownType(String, known: [String])
    /// A one-line human-readable form.
    public var description: String {
        switch self {
        case .unknownType(let t, let k): return "unknown logic driver \(t) (known: \(k.joined(separator: ", ")))"
        }
    }
}

/// DR-Logic drivers keyed by the scenario's `type:` (paper §3: plug-ins loaded by the orchestrator).
public struct LogicDriverRegistry: Sendable {
    /// Builds a driver from the settings.
    public typealias Factory = @Sendable (LogicDriverConfig) -> any LogicDriver
    private var factories: [(name: String, make: Factory)] = []
    /// An empty registry.
    public init() {}
    /// `fixed`, `dirty-threshold`, `rpo-target`, `bandwidth-shares`.
    public static var standard: LogicDriverRegistry {
        var r = LogicDriverRegistry()
        r.register("fixed") { _ in FixedFrequencyDriver() }
        r.register("dirty-threshold") { DirtyThresholdDriver(threshold: $0.dirtyThreshold) }
        r.register("rpo-target") { RPOTargetDriver(target: $0.rpoTarget, safety: $0.rpoSafety, assumedRate: $0.rpoAssumedRate) }
        r.register("bandwidth-shares") { BandwidthSharesDriver(classes: $0.shapedClasses, floor: $0.shareFloor, gain: $0.shareGain) }
        return r
    }
    /// Registers `make` under `name` (replacing an earlier one).
    public mutating func register(_ name: String, _ make: @escaping Factory) {
        factories.removeAll { $0.name == name }
        factories.append((name, make))
    }
    /// Registered names in order.
    public var names: [String] { factories.map(\.name) }
    /// A driver for `config.type`.
    public func make(_ config: LogicDriverConfig) throws(LogicDriverError) -> any LogicDriver {
        guard let f = factories.first(where: { $0.name == config.type }) else { throw .unknownType(config.type, known: names) }
        return f.make(config)
    }
}
