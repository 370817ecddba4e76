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

    /// The keys of one flow (`flows.<name>`), declared once.
    public static let flowSchema: ParameterSchema = [
        ParameterSpec("from", .text, required: true, doc: "sending site"),
        ParameterSpec("to", .text, required: true, doc: "receiving site (not from)"),
        ParameterSpec("bytes", .size, minimum: 0, excluding: true, message: "bytes must be positive",
                      doc: "bytes to send (absent: until the end of the run, which needs a duration)"),
        ParameterSpec("start", .duration, default: .duration(.zero), minimum: 0, message: "start must not be negative", doc: "start offset"),
        ParameterSpec("class", .text, default: .text("application"), doc: "traffic class (\(TrafficClass.names.filter { $0 != "ack" }.joined(separator: ", ")))"),
        ParameterSpec("transport", .custom("transport options (as wan.transport)"), doc: "TCP options of this flow"),
        ParameterSpec("extra_delay", .duration, default: .duration(.zero), minimum: 0, maximum: 10,
                      message: "extra_delay must be between 0s and 10s", doc: "one-way delay added to the path (hosts behind the sites)"),
        ParameterSpec("rate", .rate, minimum: 1000, message: "rate must be at least 1kbit", doc: "application-limited send rate (absent: as fast as TCP allows)"),
    ]

    /// The section's keys: one mapping per flow, named by its key.
    public static let schema: ParameterSchema = [
        ParameterSpec("<name>", .mapping(flowSchema), doc: "one bulk transfer, named by its key (flows.csv `flow`)"),
    ]

    public static func decode(_ m: ConfigMapping) throws -> FlowsSection? {
        guard m.isPresent else { return nil }
        var entries: [Entry] = []
        for e in m.entries {
            let entry: Entry = try m.mapping(e.key) { f in
                let p = try f.values(of: flowSchema)
                let from = p.text("from")!, to = p.text("to")!
                try f.check(from != to, "to", "a flow needs two different sites (from and to are both '\(from)')")
                let className = p.text("class")!
                guard let cls = TrafficClass(name: className), cls != .ack else {
                    throw f.error("class", .invalidValue, "unknown traffic class '\(className)' (one of: \(TrafficClass.names.filter { $0 != "ack" }.joined(separator: ", ")))")
                }
                let transport = try f.optionalMapping("transport") { try TransportDecoder.decode($0) } ?? TransportOptions()
                let spec = BulkTransferSpec(name: e.key, from: -1, to: -1, bytes: p.size("bytes"), start: p.duration("start")!, trafficClass: cls,
                                            transport: transport, extraDelay: p.duration("extra_delay")!, rate: p.rate("rate"))
                return Entry(spec: spec, fromName: from, toName: to,
                             fromLocation: f.value("from")!.location, toLocation: f.value("to")!.location)
            }
            entries.append(entry)
        }
        return FlowsSection(entries: entries, location: m.location)
    }

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
