import DRLSimCore

/// What a qdisc factory may use: the link it shapes, a stream name stem and the run's context.
public struct QdiscBuildContext {
    /// The line rate of the link (defaults that depend on it).
    public var linkRate: Rate
    /// The largest packet (segment size) on the link.
    public var mtu: Int
    /// A stable stem for random stream names (`"network.umea-lulea"`).
    public var streamName: String
    /// The run's context (random streams), nil in unit tests that build qdiscs without a run.
    public var runContext: RunContext?

    /// A build context.
    public init(linkRate: Rate, mtu: Int = 65_536, streamName: String = "network", runContext: RunContext? = nil) {
        self.linkRate = linkRate; self.mtu = mtu; self.streamName = streamName; self.runContext = runContext
    }

    /// The random stream `<streamName>.<suffix>` (a fixed-seed stream when there is no run).
    public func stream(_ suffix: String) -> RandomStream {
        let name = "\(streamName).\(suffix)"
        return runContext?.stream(name) ?? RandomStream(name: name, rawSeed: 1)
    }
}

/// Builds qdiscs from `QdiscConfig` by `type:` string (the plug-in point of the scenario's `wan.qdisc`).
public enum QdiscRegistry {
    /// A factory: configuration in tc spelling -> qdisc.
    public typealias Factory = @Sendable (QdiscConfig, QdiscBuildContext) throws(NetworkConfigError) -> Qdisc

    /// The registered disciplines.
    public static let factories: [String: Factory] = [
        // A limit that cannot hold one packet would drop everything: refused as impossible.
        "pfifo": { c, _ throws(NetworkConfigError) in
            let p = try QdiscParams(c, allowed: ["limit"])
            return FifoQdisc(mode: .packets, limit: try p.atLeast("limit", p.count("limit"), 1, "at least 1 packet") ?? 1000)
        },
        "pfifo_fast": { c, _ throws(NetworkConfigError) in
            let p = try QdiscParams(c, allowed: ["limit"])
            return FifoQdisc(mode: .packets, limit: try p.atLeast("limit", p.count("limit"), 1, "at least 1 packet") ?? 1000)
        },
        "bfifo": { c, ctx throws(NetworkConfigError) in
            let p = try QdiscParams(c, allowed: ["limit"])
            let limit = try p.atLeast("limit", p.size("limit"), Int64(ctx.mtu),
                                      "at least one segment (\(ctx.mtu) bytes): a smaller limit drops every packet")
            return FifoQdisc(mode: .bytes, limit: limit ?? 1000 * 1500)
        },
        "tbf": { c, ctx throws(NetworkConfigError) in try TbfQdisc.make(c, ctx) },
        "prio": { c, ctx throws(NetworkConfigError) in try PrioQdisc.make(c, ctx) },
        "htb": { c, ctx throws(NetworkConfigError) in try HtbQdisc.make(c, ctx) },
        "netem": { c, ctx throws(NetworkConfigError) in try NetemQdisc.make(c, ctx) },
        "codel": { c, ctx throws(NetworkConfigError) in try CodelQdisc.make(c, ctx) },
        "fq_codel": { c, ctx throws(NetworkConfigError) in try FqCodelQdisc.make(c, ctx) },
    ]

    /// The registered type names, sorted.
    public static var types: [String] { factories.keys.sorted() }

    /// Builds the tree described by `config`.
    public static func build(_ config: QdiscConfig, context: QdiscBuildContext) throws(NetworkConfigError) -> Qdisc {
        guard let f = factories[config.type] else { throw .unknownType(config.type) }
        return try f(config, context)
    }
}

/// Typed access to a `QdiscConfig`'s tc-spelled parameters, with errors naming the key.
public struct QdiscParams {
    /// The raw parameters.
    public let raw: [String: String]

    /// Validates that every key of `config.params` is in `allowed`.
    public init(_ config: QdiscConfig, allowed: Set<String>) throws(NetworkConfigError) {
        try self.init(config.params, allowed: allowed)
    }

    /// Validates that every key of `params` is in `allowed`.
    public init(_ params: [String: String], allowed: Set<String>) throws(NetworkConfigError) {
        for k in params.keys.sorted() where !allowed.contains(k) { throw .unknownParameter(key: k) }
        raw = params
    }

    private func wrap<T>(_ key: String, _ f: (String) throws(NetworkConfigError) -> T) throws(NetworkConfigError) -> T? {
        guard let v = raw[key] else { return nil }
        do { return try f(v) } catch {
            if case .badValue(_, let value, let expected) = error { throw .badValue(key: key, value: value, expected: expected) }
            throw error
        }
    }

    /// A rate parameter.
    public func rate(_ key: String) throws(NetworkConfigError) -> Rate? { try wrap(key) { v throws(NetworkConfigError) in try TCUnits.rate(v) } }
    /// A size parameter in bytes.
    public func size(_ key: String) throws(NetworkConfigError) -> Int64? { try wrap(key) { v throws(NetworkConfigError) in try TCUnits.size(v) } }
    /// A duration parameter.
    public func time(_ key: String) throws(NetworkConfigError) -> SimDuration? { try wrap(key) { v throws(NetworkConfigError) in try TCUnits.time(v) } }
    /// A count parameter.
    public func count(_ key: String) throws(NetworkConfigError) -> Int64? { try wrap(key) { v throws(NetworkConfigError) in try TCUnits.count(v) } }
    /// A probability parameter.
    public func probability(_ key: String) throws(NetworkConfigError) -> Double? { try wrap(key) { v throws(NetworkConfigError) in try TCUnits.probability(v) } }
    /// `value` (of parameter `key`) if it is at least `minimum`, else a `badValue` naming the
    /// key and saying what is needed (`expected`); nil passes through.
    public func atLeast(_ key: String, _ value: Int64?, _ minimum: Int64, _ expected: String) throws(NetworkConfigError) -> Int64? {
        guard let value else { return nil }
        guard value >= minimum else { throw .badValue(key: key, value: raw[key] ?? String(value), expected: expected) }
        return value
    }
    /// A required rate parameter.
    public func requiredRate(_ key: String) throws(NetworkConfigError) -> Rate {
        guard let r = try rate(key) else { throw .missing(key: key) }
        return r
    }
}

/// Parses tc class ids (`"1:10"`, hexadecimal minor as in tc) into (major, minor).
public enum ClassID {
    /// (major, minor) of `s`; `"1:"` has minor 0.
    public static func parse(_ s: String) throws(NetworkConfigError) -> (major: Int, minor: Int) {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let ma = Int(parts[0], radix: 16) else {
            throw .badValue(key: "classid", value: s, expected: "a class id such as 1:10")
        }
        let mi = parts[1].isEmpty ? 0 : Int(parts[1], radix: 16)
        guard let mi else { throw .badValue(key: "classid", value: s, expected: "a class id such as 1:10") }
        return (ma, mi)
    }
}
