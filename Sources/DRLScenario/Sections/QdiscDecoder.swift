import DRLSimCore
import DRLNetwork

/// Decodes a qdisc tree in tc spelling (`wan.qdisc`) into DRLNetwork's `QdiscConfig`.
///
/// Quantities are read with DRLScenario's unit readers (the authoritative units of
/// Docs/scenario-reference.md: `500mbit`, `256kb` = 262144 B, `50ms`) and handed to DRLNetwork in
/// an exact canonical spelling (`500000000bit`, `262144b`, `50000000ns`); counts and
/// probabilities stay plain numbers. The parameter table per discipline follows tc-tbf(8),
/// tc-htb(8), tc-prio(8), tc-netem(8), tc-codel(8), tc-fq_codel(8) and DRLNetwork's
/// `QdiscRegistry`; the tree is then built once with `QdiscRegistry.build` so DRLNetwork's own
/// checks (burst too small, unknown class id ...) are reported at the qdisc's line.
public enum QdiscDecoder {
    /// How a parameter is read.
    enum Kind { case rate, size, time, count, probability, text }

    /// Parameters of each discipline.
    static let params: [String: [(String, Kind)]] = [
        "pfifo": [("limit", .count)],
        "pfifo_fast": [("limit", .count)],
        "bfifo": [("limit", .size)],
        "tbf": [("rate", .rate), ("burst", .size), ("limit", .size), ("latency", .time), ("peakrate", .rate), ("minburst", .size)],
        "prio": [("bands", .count), ("priomap", .text)],
        "htb": [("default", .text), ("r2q", .count), ("direct_qlen", .count)],
        "netem": [("delay", .time), ("jitter", .time), ("loss", .probability), ("loss_model", .text), ("p", .probability),
                  ("r", .probability), ("1-h", .probability), ("1-k", .probability), ("rate", .rate), ("limit", .count)],
        "codel": [("limit", .count), ("target", .time), ("interval", .time)],
        "fq_codel": [("limit", .count), ("flows", .count), ("quantum", .count), ("target", .time), ("interval", .time)],
    ]
    /// Parameters of a class (htb).
    static let classParams: [(String, Kind)] = [("rate", .rate), ("ceil", .rate), ("burst", .size), ("cburst", .size),
                                                ("prio", .count), ("quantum", .count)]

    /// The disciplines a scenario may name.
    public static var types: [String] { params.keys.sorted() }

    /// Decodes the qdisc mapping `m`.
    ///
    /// A rate may be written as a share (`60%`) where `linkRate` is known: a qdisc's rate (tbf)
    /// is a share of `linkRate` (`wan.rate`); an htb class's `rate` a share of its parent class's
    /// rate, its `ceil` of the parent's ceil (else rate), a class directly under the qdisc of
    /// `linkRate`. htb classes whose guaranteed rates add up to more than their parent's rate are
    /// refused: tc accepts them, but the guarantees cannot all hold (htb(8): "the sum of the
    /// children's rates should not exceed the parent's rate").
    public static func decode(_ m: ConfigMapping, linkRate: Double? = nil) throws -> QdiscConfig {
        let type = try m.choice("type", among: types)
        var q = QdiscConfig(type: type)
        q.handle = try m.value("handle")?.string()
        q.params = try read(m, params[type] ?? [], reference: { _ in linkRate })
        if type == "htb" || type == "prio" {
            var resolved: [String: (rate: Double, ceil: Double)] = [:]
            var childSums: [String: (sum: Double, location: SourceLocation, path: String)] = [:]
            q.classes = try m.list("classes", default: []).map { v in
                try v.mapping { c in
                    let classid = try c.string("classid"), parent = try c.value("parent")?.string()
                    let parentRates: (rate: Double, ceil: Double)? = parent.flatMap { resolved[$0] } ?? (parent == nil || parent == q.handle || parent?.hasSuffix(":") == true ? linkRate.map { ($0, $0) } : nil)
                    let params = try read(c, type == "htb" ? classParams : [], reference: { key in
                        key == "ceil" ? parentRates?.ceil : parentRates?.rate
                    })
                    if type == "htb", let r = params["rate"].flatMap(canonicalRate) {
                        resolved[classid] = (r, params["ceil"].flatMap(canonicalRate) ?? r)
                        let key = parent ?? ""
                        var e = childSums[key] ?? (0, c.location, c.path.description)
                        e.sum += r
                        childSums[key] = e
                        if let parent, let pr = resolved[parent], e.sum > pr.rate * (1 + 1e-9) {
                            throw ScenarioError(.invalidValue, at: c.location, keyPath: c.path.appending("rate").description,
                                                "the children of htb class \(parent) guarantee \(Units.formatRate(e.sum)) in total, more than its rate \(Units.formatRate(pr.rate)) (htb(8): the children's rates should not exceed the parent's)")
                        }
                    }
                    return QdiscClassConfig(classid: classid, parent: parent, params: params,
                                            qdisc: try c.optionalMapping("qdisc") { try decode($0) })
                }
            }
            q.filters = try m.list("filters", default: []).map { v in
                try v.mapping { f in
                    let cls = try f.value("class")?.choice(among: TrafficClass.names)
                    let flow = try f.value("flow")?.int(in: 0...Int(Int32.max))
                    let prio = try f.value("priority")?.int(in: 0...255)
                    try f.check([cls != nil, flow != nil, prio != nil].filter { $0 }.count <= 1, nil,
                                "a filter matches one of class, flow or priority")
                    return QdiscFilterConfig(trafficClass: cls, flow: flow, priority: prio, flowid: try f.string("flowid"))
                }
            }
        }
        return q
    }

    /// A canonical `Nbit` value in bits/s.
    static func canonicalRate(_ text: String) -> Double? {
        text.hasSuffix("bit") ? Double(text.dropLast(3)) : nil
    }

    /// Reads `table`'s keys from `m`; a rate written as a share (`60%`) is resolved against
    /// `reference(key)` (nil: no reference, a share is refused there).
    static func read(_ m: ConfigMapping, _ table: [(String, Kind)], reference: (String) -> Double? = { _ in nil }) throws -> [String: String] {
        var out: [String: String] = [:]
        for (k, kind) in table {
            guard let v = m.value(k) else { continue }
            switch kind {
            case .rate:
                if let text = v.node.scalar, text.hasSuffix("%") {
                    guard let share = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), share > 0, share <= 100 else {
                        throw v.error(.invalidValue, "\"\(ErrorText.value(text, limit: 40))\" is not a share (expected e.g. 60%, more than 0 and at most 100)")
                    }
                    guard let base = reference(k) else {
                        throw v.error(.invalidValue, "\"\(text)\": a share needs a parent rate to take it of (a class whose parent has a rate, or a qdisc under wan.rate)")
                    }
                    _ = try? v.string()   // mark the key as read
                    out[k] = "\(Int64((base * share / 100).rounded()))bit"
                    continue
                }
                let r = try v.rate()
                guard r >= 1, r < 1e15 else { throw v.error(.invalidValue, "rate out of range") }
                out[k] = "\(Int64(r.rounded()))bit"
            case .size: out[k] = "\(try v.size())b"
            case .time: out[k] = "\(try v.duration().nanoseconds)ns"
            case .count: out[k] = String(try v.int(in: 0...Int(Int32.max)))
            case .probability:
                let p = try v.double()
                guard p >= 0, p <= 1 else { throw v.error(.invalidValue, "a probability must be in [0, 1]") }
                out[k] = Units.formatNumber(p)
            case .text: out[k] = try v.string()
            }
        }
        return out
    }

    /// Builds `q` once to let DRLNetwork check it; its error becomes a `ScenarioError` at `location`.
    public static func check(_ q: QdiscConfig, linkRate: Double, segment: Int, at location: SourceLocation, keyPath: String) throws {
        do throws(NetworkConfigError) {
            _ = try QdiscRegistry.build(q, context: QdiscBuildContext(linkRate: Rate(bitsPerSecond: Int64(linkRate.rounded())),
                                                                      mtu: segment, streamName: "check", runContext: nil))
        } catch {
            throw ScenarioError(.invalidValue, at: location, keyPath: keyPath, error.prefixed(keyPath).description)
        }
    }
}
