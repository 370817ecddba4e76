import DRLSimCore
import DRLNetwork

/// The `wan:` section: the WAN path between the sites (DRLNetwork `Network`, segment-level links
/// with tc qdiscs; architecture.md "Granularity of the WAN").
///
/// ```yaml
/// wan:
///   rate: 500mbit        # line rate of each direction (required)
///   delay: 2.5ms         # one way, host to host (default 2.5ms: 265 km of fibre ~1.3 ms + equipment)
///   segment: 64kb        # GSO-sized segments (default 64 KiB, an IP-level budget rounded down to whole MTUs);
///                        # 1500b for packet-level studies
///   mtu: 1500b           # IP MTU (default 1500b, Ethernet): a wire segment carries mtu - 52 B of TCP payload
///   framing: linux       # headers charged per wire segment: linux (Ethernet 14 + IP 20 + TCP 32 = 66 B, what tc
///                        # counts), ip (52 B, what ns-3's traffic control counts), none (payload only, no MTU rounding)
///   qdisc: { type: tbf, rate: 500mbit, burst: 256kb, latency: 50ms }   # root qdisc primary -> backup (default pfifo 1000)
///                        # a tbf without rate shapes at wan.rate (sweep wan.rate to move the cap)
///   reverse_qdisc: ~     # root qdisc backup -> primary (default: the same as qdisc)
///   transport: ~         # TCP options of every WAN flow, plus classes: {replication: {...}} (TransportDecoder.swift)
///   faults: ~            # link down/up/loss events (WANSection+Faults.swift)
///   lan_rate: 10gbit     # each site's LAN (default 10gbit)
///   lan_delay: 50us      # LAN one way (default 50us)
///   schedule: ~          # throttling windows on the forward shaper (WANSection+Schedule.swift)
///   schedule_repeat: ~   # repeat period of the schedule (e.g. 24h)
///   model: packet        # packet (segment-level, the default) or flow (flow-level: max-min rates,
///                        # Docs/flow-model.md); flow refuses faults and schedule
/// ```
/// A witness site (`sites.witness`) is joined to both sites by links of the same rate and
/// delay with the default pfifo. The `traffic` table (bins of `outputs.traffic_bin`) counts
/// the wire bytes (payload + framing headers, what the qdisc charged) leaving the primary
/// towards the backup per traffic class (`replication`, `snapshot`, `image`, `metadata`,
/// `application`, `detector`); payload goodput is in `flows.csv` (DRLNetwork `Framing`).
public struct WANSection: ScenarioSection {
    public static let key = "wan"
    public static let summary = "WAN link between the sites: rate, one-way delay, segment size, tc qdisc tree"

    /// Line rate, bits per second.
    public var rate: Double
    /// One-way delay.
    public var delay: SimDuration
    /// Segment size, bytes.
    public var segment: Int
    /// Wire framing (kind and MTU) of every WAN link.
    public var framing: Framing = .linux
    /// Transport overrides for every WAN flow (`wan.transport`).
    public var transport = TransportOptions()
    /// Transport overrides per traffic class (`wan.transport.classes`).
    public var classTransport: [TrafficClass: TransportOptions] = [:]
    /// Link events without a detector (`wan.faults`).
    public var faults: [LinkFault] = []
    /// Root qdisc primary -> backup.
    public var qdisc: QdiscConfig?
    /// Root qdisc backup -> primary.
    public var reverseQdisc: QdiscConfig?
    /// LAN rate, bits per second.
    public var lanRate: Double
    /// LAN one-way delay.
    public var lanDelay: SimDuration
    /// Shaping-rate changes on the primary -> backup link (nil: the rate is fixed).
    public var schedule: ShapingSchedule?
    /// Where `schedule_repeat` is written (a repeating schedule needs the run's `duration`).
    var scheduleRepeatLocation: SourceLocation?
    /// The WAN model (`wan.model`).
    public enum Model: String, Sendable, CaseIterable {
        /// DRLNetwork's segment-level `Network` with TCP flows (the default).
        case packet
        /// The flow-level `FlowNetwork` (issue 16, Docs/flow-model.md).
        case flow
    }
    /// The WAN model (`wan.model`, default packet).
    public var model: Model = .packet
    /// Where `wan.model` is written.
    var modelLocation: SourceLocation?

    /// The section's keys, declared once.
    public static let schema: ParameterSchema = [
        ParameterSpec("rate", .rate, required: true, doc: "line rate of each direction"),
        ParameterSpec("delay", .duration, default: .duration(.microseconds(2500)),
                      doc: "one way, host to host (265 km of fibre ~1.3 ms + equipment)"),
        ParameterSpec("segment", .size, default: .size(65_536), minimum: 64, maximum: Double(16 * 1_048_576),
                      message: "segment must be between 64b and 16MiB",
                      doc: "GSO-sized segments (an IP-level budget rounded down to whole MTUs); 1500b for packet-level studies"),
        ParameterSpec("mtu", .size, default: .size(1500), minimum: 576, maximum: 65_535,
                      message: "mtu must be between 576b (RFC 791's minimum datagram) and 65535b",
                      doc: "IP MTU (Ethernet): a wire segment carries mtu - 52 B of TCP payload"),
        ParameterSpec("framing", .choice(Framing.Kind.allCases.map(\.rawValue)), default: .text(Framing.Kind.linux.rawValue),
                      doc: "headers per wire segment: linux (66 B, what tc counts), ip (52 B, ns-3), none (payload only)"),
        ParameterSpec("qdisc", .custom("qdisc tree (wan.qdisc.type, Docs/plugin-reference.md)"),
                      doc: "root qdisc primary -> backup (default pfifo 1000); a tbf without rate shapes at wan.rate"),
        ParameterSpec("reverse_qdisc", .custom("qdisc tree"), doc: "root qdisc backup -> primary (default: the same as qdisc)"),
        ParameterSpec("lan_rate", .rate, default: .rate(10e9), doc: "each site's LAN"),
        ParameterSpec("lan_delay", .duration, default: .duration(.microseconds(50)), doc: "LAN one way"),
        ParameterSpec("schedule", .list(scheduleSchema), doc: "throttling windows on the forward shaper (tbf or htb)"),
        ParameterSpec("schedule_repeat", .duration, minimum: 1, message: "schedule_repeat must be at least 1s",
                      doc: "repeat period of the schedule (e.g. 24h; needs wan.schedule and the scenario's duration)"),
        ParameterSpec("faults", .list(faultSchema), doc: "link down/up/loss events on the primary-backup path"),
        ParameterSpec("transport", .mapping(TransportDecoder.wanSchema), doc: "TCP options of every WAN flow"),
        ParameterSpec("model", .choice(Model.allCases.map(\.rawValue)),
                      doc: "packet (segment-level, the default) or flow (flow-level, Docs/flow-model.md; refuses faults and schedule)"),
    ]

    public static func decode(_ m: ConfigMapping) throws -> WANSection? {
        guard m.isPresent else { return nil }
        let p = try m.values(of: schema)
        let rate = p.rate("rate")!
        let delay = p.duration("delay")!
        let segment = p.size("segment")!
        let mtu = p.size("mtu")!
        let kind = Framing.Kind(rawValue: p.text("framing")!)!
        let framing = Framing(kind, mtu: Int(mtu))
        try m.check(kind == .none || segment >= mtu, "segment", "segment (\(segment) B) must hold at least one mtu (\(mtu) B) with framing \(kind.rawValue)")
        let largest = framing.largestPacket(segmentSize: Int(segment))
        var qdisc = try m.optionalMapping("qdisc") { try QdiscDecoder.decode($0, linkRate: rate) }
        qdisc = lineRateDefault(qdisc, rate: rate, m: m, key: "qdisc")
        if let qdisc, let v = m.value("qdisc") {
            try QdiscDecoder.check(qdisc, linkRate: rate, segment: largest, at: v.location, keyPath: "wan.qdisc",
                                   qdiscs: m.context.plugins.qdiscs)
        }
        var reverse = try m.optionalMapping("reverse_qdisc") { try QdiscDecoder.decode($0, linkRate: rate) }
        reverse = lineRateDefault(reverse, rate: rate, m: m, key: "reverse_qdisc")
        if let reverse, let v = m.value("reverse_qdisc") {
            try QdiscDecoder.check(reverse, linkRate: rate, segment: largest, at: v.location, keyPath: "wan.reverse_qdisc",
                                   qdiscs: m.context.plugins.qdiscs)
        }
        let lanRate = p.rate("lan_rate")!
        let lanDelay = p.duration("lan_delay")!
        let schedule = try decodeSchedule(m, qdisc: qdisc, segment: largest, period: p.duration("schedule_repeat"))
        var s = WANSection(rate: rate, delay: delay, segment: Int(segment), qdisc: qdisc, reverseQdisc: reverse,
                           lanRate: lanRate, lanDelay: lanDelay)
        s.schedule = schedule
        s.framing = framing
        s.faults = try decodeFaults(m)
        if let (all, perClass) = try m.optionalMapping("transport", { try TransportDecoder.decodeWAN($0) }) {
            s.transport = all
            s.classTransport = perClass
        }
        if schedule?.period != nil { s.scheduleRepeatLocation = m.value("schedule_repeat")?.location }
        // Read only when written: a scenario without the key resolves exactly as before.
        if let v = m.value("model"), let model = p.text("model") {
            s.model = Model(rawValue: model)!
            s.modelLocation = v.location
            if s.model == .flow {
                try m.check(s.faults.isEmpty, "faults", "wan.faults needs wan.model packet (the flow model has no link faults, Docs/flow-model.md)")
                try m.check(schedule == nil, "schedule", "wan.schedule needs wan.model packet (the flow model has no shaping schedule yet, Docs/flow-model.md)")
            }
        }
        return s
    }

    /// A repeating schedule needs the run's `duration` (it would never end otherwise).
    public func validate(in spec: ScenarioSpec) throws {
        if let loc = scheduleRepeatLocation, spec.header.duration == nil {
            throw ScenarioError(.invalidValue, at: loc, keyPath: "wan.schedule_repeat", "a repeating schedule needs the scenario's duration")
        }
    }

    /// A `tbf` written without `rate` shapes at `wan.rate`, so sweeping `wan.rate` moves the
    /// cap too (the paper's tc tbf cap, §6.1).
    static func lineRateDefault(_ q: QdiscConfig?, rate: Double, m: ConfigMapping, key: String) -> QdiscConfig? {
        guard var q, q.type == "tbf", q.params["rate"] == nil else { return q }
        q.params["rate"] = .rate(rate.rounded())
        m.context.record(m.path.appending(key).appending("rate"), Units.formatRate(rate) + " (wan.rate)", isDefault: true)
        return q
    }

    /// The network configuration for `sites` and `outputs`.
    public func networkConfig(sites: SitesSection, outputs: OutputsSection) -> NetworkConfig {
        let r = Rate(bitsPerSecond: Int64(rate.rounded()))
        let lan = Rate(bitsPerSecond: Int64(lanRate.rounded()))
        let ns = sites.names.map { NetworkConfig.Site(name: $0, lanRate: lan, lanDelay: lanDelay) }
        var links = [NetworkConfig.Link(from: 0, to: 1, rate: r, delay: delay, segmentSize: segment, qdisc: qdisc, framing: framing),
                     NetworkConfig.Link(from: 1, to: 0, rate: r, delay: delay, segmentSize: segment, qdisc: reverseQdisc ?? qdisc,
                                        framing: framing)]
        if ns.count > 2 {
            for s in [0, 1] {
                links.append(NetworkConfig.Link(from: s, to: 2, rate: r, delay: delay, segmentSize: segment, framing: framing))
                links.append(NetworkConfig.Link(from: 2, to: s, rate: r, delay: delay, segmentSize: segment, framing: framing))
            }
        }
        let dirs = outputs.bothDirections ? [NetworkConfig.Direction(from: 0, to: 1), NetworkConfig.Direction(from: 1, to: 0)]
                                          : [NetworkConfig.Direction(from: 0, to: 1)]
        var config = NetworkConfig(sites: ns, links: links, trafficBin: outputs.trafficBin, accountedDirections: dirs,
                                   streamPrefix: "wan")
        config.transport = transport
        config.classTransport = classTransport
        return config
    }

    /// Builds the run's `Network` (published for the detector and workload sections) and emits
    /// the `traffic` table at the end of the run.
    public func install(into run: RunAssembly) throws {
        let config = networkConfig(sites: run.spec.sites, outputs: run.spec.section(OutputsSection.self) ?? .standard)
        if model == .flow {
            let flow: FlowNetwork
            do throws(NetworkConfigError) { flow = try FlowNetwork(config: config, context: run.context, qdiscs: run.spec.plugins.qdiscs) } catch {
                throw ScenarioError(.assembly, at: run.spec.location(ofKey: Self.key), keyPath: Self.key, error.description)
            }
            run.provide(flow)
            run.atEnd { _ in flow.finish() }
            return
        }
        let network: Network
        do throws(NetworkConfigError) { network = try Network(config: config, context: run.context, qdiscs: run.spec.plugins.qdiscs) } catch {
            throw ScenarioError(.assembly, at: run.spec.location(ofKey: Self.key), keyPath: Self.key, error.description)
        }
        run.provide(network)
        if let schedule { try installSchedule(schedule, network: network, run: run) }
        for f in faults { network.schedule(f) }
        run.atEnd { _ in network.finish() }
    }
}
