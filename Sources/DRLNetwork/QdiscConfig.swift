import DRLSimCore

/// A qdisc tree in tc spelling: the value of the scenario key `wan.qdisc` (plain and `Sendable`;
/// the scenario layer decodes YAML into it, a `QdiscRegistry` value's `build` turns it into a `Qdisc`).
///
/// Parameters keep tc's names (`rate`, `burst`, `latency`, `limit`); values are typed
/// (`.rate(5e8)`) or text in tc spelling (`"500mbit"`, read with `Units` by the discipline's
/// declared `ParameterSchema`, `QdiscPlugin.schema`). Classful qdiscs list `classes` (each with an
/// optional child `qdisc`) and `filters` that send a traffic class or flow to a class id.
///
/// Examples (YAML as the scenario writes it):
///
/// The paper's single-rate cap (`tc qdisc add dev eth0 root tbf rate 100mbit burst 256kb latency 50ms`):
/// ```yaml
/// wan:
///   qdisc: { type: tbf, rate: 100mbit, burst: 256kb, latency: 50ms }
/// ```
///
/// An HTB split giving replication 70 mbit and the application 30 mbit of a 100 mbit cap, each
/// allowed to borrow up to the whole cap, unmatched traffic to the application class:
/// ```yaml
/// wan:
///   qdisc:
///     type: htb
///     handle: "1:"
///     default: "1:20"
///     classes:
///       - { classid: "1:1",  rate: 100mbit }
///       - { classid: "1:10", parent: "1:1", rate: 70mbit, ceil: 100mbit, prio: 0,
///           qdisc: { type: fq_codel } }
///       - { classid: "1:20", parent: "1:1", rate: 30mbit, ceil: 100mbit, prio: 1 }
///     filters:
///       - { class: replication, flowid: "1:10" }
///       - { class: application, flowid: "1:20" }
/// ```
/// Other types: `pfifo {limit}` (packets), `bfifo {limit}` (bytes), `prio {bands, priomap}` with
/// filters whose `flowid` `1:N` means band N-1, `netem {delay, jitter, loss, loss_model: gemodel,
/// p, r, 1-h, 1-k, rate, limit}`, `codel {target, interval, limit}`, `fq_codel {limit, flows,
/// quantum, target, interval}`.
public struct QdiscConfig: Sendable, Equatable {
    /// The discipline (`QdiscRegistry` key).
    public var type: String
    /// tc handle (`"1:"`), used to resolve class ids; optional.
    public var handle: String?
    /// Parameters by tc name.
    public var params: [String: ParameterValue]
    /// Classes (htb; prio bands with child qdiscs).
    public var classes: [QdiscClassConfig]
    /// Filters (classful qdiscs).
    public var filters: [QdiscFilterConfig]

    /// A qdisc of `type` with `params`.
    public init(type: String, handle: String? = nil, params: [String: ParameterValue] = [:],
                classes: [QdiscClassConfig] = [], filters: [QdiscFilterConfig] = []) {
        self.type = type; self.handle = handle; self.params = params
        self.classes = classes; self.filters = filters
    }
}

/// One class of a classful qdisc (`tc class add ... classid 1:10 htb rate 30mbit`).
public struct QdiscClassConfig: Sendable, Equatable {
    /// The class id (`"1:10"`).
    public var classid: String
    /// The parent class id (nil: directly under the qdisc).
    public var parent: String?
    /// Class parameters in tc spelling (`rate`, `ceil`, `burst`, `cburst`, `prio`, `quantum`).
    public var params: [String: ParameterValue]
    /// The leaf's qdisc (nil: the discipline's default leaf qdisc).
    public var qdisc: QdiscConfig?

    /// A class `classid` under `parent`.
    public init(classid: String, parent: String? = nil, params: [String: ParameterValue] = [:], qdisc: QdiscConfig? = nil) {
        self.classid = classid; self.parent = parent; self.params = params; self.qdisc = qdisc
    }
}

/// A filter (`tc filter add ... match <class> flowid 1:10`).
public struct QdiscFilterConfig: Sendable, Equatable {
    /// Matches packets of this traffic class name (`replication`), or nil.
    public var trafficClass: String?
    /// Matches packets of this flow id, or nil.
    public var flow: Int?
    /// Matches packets with this skb priority, or nil.
    public var priority: Int?
    /// The target class id (`"1:10"`).
    public var flowid: String

    /// A filter; set exactly one of `trafficClass`, `flow`, `priority` (none: match all).
    public init(trafficClass: String? = nil, flow: Int? = nil, priority: Int? = nil, flowid: String) {
        self.trafficClass = trafficClass; self.flow = flow; self.priority = priority; self.flowid = flowid
    }

    /// The filter's match.
    public func match() throws(NetworkConfigError) -> PacketFilter.Match {
        if let c = trafficClass {
            guard let tc = TrafficClass(name: c) else {
                throw .badValue(key: "class", value: c, expected: "one of \(TrafficClass.names.joined(separator: ", "))")
            }
            return .trafficClass(tc)
        }
        if let f = flow { return .flow(Int32(f)) }
        if let p = priority { return .priority(UInt8(truncatingIfNeeded: p)) }
        return .all
    }
}
