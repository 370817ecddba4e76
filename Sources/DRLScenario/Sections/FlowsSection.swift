import DRLSimCore
import DRLNetwork

/// The `flows:` section: bulk transfers between sites, as ns-3's `BulkSendApplication` (DRLNetwork
/// `BulkTransfer`), keyed by the flow's name, in file order:
///
/// ```yaml
/// flows:
///   bulk:                      # the flow's name (the `flow` column of flows.csv)
///     from: umea               # source site (required)
///     to: lulea                # destination site (required, another site)
///     bytes: 1GiB              # absent: keep sending until the run ends (needs `duration`)
///     start: 0s                # offset from the start of the run (default 0s)
///     class: application       # traffic class (what wan.qdisc filters see; default application)
///     transport: { congestion: reno }   # this flow's TCP options (TransportDecoder), over wan.transport
///     extra_delay: 20ms        # extra one-way delay of this flow's access path (default 0s): RTT + 2 x 20 ms
///     rate: 20mbit             # pace the writer at this rate (default: greedy, as fast as TCP takes it)
/// ```
/// Writes `flows.csv`: `flow, start_s, end_s, bytes_delivered, goodput_bps, wire_bytes,
/// retransmitted_bytes, fast_recoveries, rtos, finished` (`BulkTransfer.row`).
public struct FlowsSection: ScenarioSection {
    public static let key = "flows"
    public static let summary = "bulk transfers between sites (ns-3 BulkSend): per-flow goodput and TCP counters in flows.csv"

    /// One flow as written.
    public struct Entry: Sendable, Equatable {
        /// The transfer, with site names still unresolved (`from`/`to` = -1).
        public var spec: BulkTransferSpec
        /// Source site name.
        public var fromName: String
        /// Destination site name.
        public var toName: String
        var fromLocation: SourceLocation
        var toLocation: SourceLocation
    }

    /// The flows, in file order.
    public var entries: [Entry]
    var location: SourceLocation

    public static func decode(_ m: ConfigMapping) throws -> FlowsSection? {
        guard m.isPresent else { return nil }
        var entries: [Entry] = []
        for e in m.entries {
            let entry: Entry = try m.mapping(e.key) { f in
                let from = try f.string("from")
                let to = try f.string("to")
                try f.check(from != to, "to", "a flow needs two different sites (from and to are both '\(from)')")
                var bytes: Int64?
                if let v = f.value("bytes") {
                    let b = try v.size()
                    try f.check(b > 0, "bytes", "bytes must be positive")
                    bytes = b
                }
                let start = try f.duration("start", default: .zero)
                try f.check(start >= .zero, "start", "start must not be negative")
                let className = try f.string("class", default: "application")
                guard let cls = TrafficClass(name: className), cls != .ack else {
                    throw f.error("class", .invalidValue, "unknown traffic class '\(className)' (one of: \(TrafficClass.names.filter { $0 != "ack" }.joined(separator: ", ")))")
                }
                let transport = try f.optionalMapping("transport") { try TransportDecoder.decode($0) } ?? TransportOptions()
                let extra = try f.duration("extra_delay", default: .zero)
                try f.check(extra >= .zero && extra <= .seconds(10 as Int64), "extra_delay", "extra_delay must be between 0s and 10s")
                var rate: Double?
                if let v = f.value("rate") {
                    let r = try v.rate()
                    try f.check(r >= 1000 && r < 1e15, "rate", "rate must be at least 1kbit")
                    rate = r
                }
                let spec = BulkTransferSpec(name: e.key, from: -1, to: -1, bytes: bytes, start: start, trafficClass: cls,
                                            transport: transport, extraDelay: extra, rate: rate)
                return Entry(spec: spec, fromName: from, toName: to,
                             fromLocation: f.value("from")!.location, toLocation: f.value("to")!.location)
            }
            entries.append(entry)
        }
        return FlowsSection(entries: entries, location: m.location)
    }

    /// Site names must exist; a flow without `bytes` needs the run's `duration`.
    public func validate(in spec: ScenarioSpec) throws {
        let names = spec.sites.names
        for e in entries {
            for (n, loc, key) in [(e.fromName, e.fromLocation, "from"), (e.toName, e.toLocation, "to")] where !names.contains(n) {
                throw ScenarioError(.invalidValue, at: loc, keyPath: "flows.\(e.spec.name).\(key)",
                                    "no site '\(n)' (sites: \(names.joined(separator: ", ")))")
            }
            if e.spec.bytes == nil && spec.header.duration == nil {
                throw ScenarioError(.invalidValue, at: e.fromLocation, keyPath: "flows.\(e.spec.name)",
                                    "a flow without bytes runs until the end: the scenario needs a duration")
            }
            if spec.section(WANSection.self) == nil {
                throw ScenarioError(.invalidValue, at: location, keyPath: "flows", "flows need a wan section")
            }
        }
    }

    /// The transfers with their site indices resolved against `names`.
    public func transfers(siteNames names: [String]) -> [BulkTransferSpec] {
        entries.map { e in
            var s = e.spec
            s.from = names.firstIndex(of: e.fromName) ?? -1
            s.to = names.firstIndex(of: e.toName) ?? -1
            return s
        }
    }

    /// Starts every transfer on the run's network and writes `flows` rows at the end.
    public func install(into run: RunAssembly) throws {
        if run.component(FlowNetwork.self) != nil {
            throw ScenarioError(.assembly, at: run.spec.location(ofKey: Self.key), keyPath: Self.key,
                                "flows: needs wan.model packet (the flow model has no TCP flows to record, Docs/flow-model.md)")
        }
        let network = try run.require(Network.self, by: Self.key)
        let transfers = transfers(siteNames: run.spec.sites.names).map { BulkTransfer(spec: $0, network: network) }
        run.recorder.declare("flows", columns: BulkTransfer.columns)
        run.atEnd { r in
            for t in transfers { r.recorder.emit("flows", t.row(now: r.sim.now)) }
        }
    }
}
