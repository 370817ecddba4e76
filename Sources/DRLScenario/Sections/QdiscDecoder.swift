import DRLSimCore
import DRLNetwork

/// Decodes a qdisc tree in tc spelling (`wan.qdisc`) into DRLNetwork's `QdiscConfig`.
///
/// The keys of each discipline and of its classes are the ones its `QdiscPlugin` declares
/// (`schema`, `classSchema`; tc-tbf(8), tc-htb(8), tc-prio(8), tc-netem(8), tc-codel(8),
/// tc-fq_codel(8)), looked up in the scenario's `Plugins.qdiscs`: one declaration, no second
/// table here. Quantities are read with the scenario's unit readers (Docs/scenario-reference.md,
/// "Units") and handed over as typed values (`.rate(5e8)`), never re-printed; the tree is then
/// built once with the registry so DRLNetwork's own checks (burst too small, unknown class id
/// ...) are reported at the qdisc's line.
public enum QdiscDecoder {
    /// Decodes the qdisc mapping `m`.
    ///
    /// A rate may be written as a share (`60%`) where `linkRate` is known: a qdisc's rate (tbf)
    /// is a share of `linkRate` (`wan.rate`); an htb class's `rate` a share of its parent class's
    /// rate, its `ceil` of the parent's ceil (else rate), a class directly under the qdisc of
    /// `linkRate`. htb classes whose guaranteed rates add up to more than their parent's rate are
    /// refused: tc accepts them, but the guarantees cannot all hold (htb(8): "the sum of the
    /// children's rates should not exceed the parent's rate").
    public static func decode(_ m: ConfigMapping, linkRate: Double? = nil) throws -> QdiscConfig {
        let registry = m.context.plugins.qdiscs
        let type = try m.choice("type", among: registry.types)
        let plugin = registry.plugin(type)!
        var q = QdiscConfig(type: type)
        q.handle = try m.value("handle")?.string()
        q.params = try read(m, plugin.schema, reference: { _ in linkRate })
        if let classSchema = plugin.classSchema {
            var resolved: [String: (rate: Double, ceil: Double)] = [:]
            var childSums: [String: (sum: Double, location: SourceLocation, path: String)] = [:]
            q.classes = try m.list("classes", default: []).map { v in
                try v.mapping { c in
                    let classid = try c.string("classid"), parent = try c.value("parent")?.string()
                    let parentRates: (rate: Double, ceil: Double)? = parent.flatMap { resolved[$0] } ?? (parent == nil || parent == q.handle || parent?.hasSuffix(":") == true ? linkRate.map { ($0, $0) } : nil)
                    let params = try read(c, classSchema, reference: { key in
                        key == "ceil" ? parentRates?.ceil : parentRates?.rate
                    })
                    if type == "htb", case .rate(let r)? = params["rate"] {
                        var ceil = r
                        if case .rate(let c)? = params["ceil"] { ceil = c }
                        resolved[classid] = (r, ceil)
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

    /// Reads `schema`'s keys (and aliases, stored under the canonical key) from `m` as typed
    /// values; a rate written as a share (`60%`) is resolved against `reference(key)` (nil: no
    /// reference, a share is refused there). Defaults stay with the discipline (absent keys are
    /// not filled in here, so a tree prints as written).
    static func read(_ m: ConfigMapping, _ schema: ParameterSchema, reference: (String) -> Double? = { _ in nil }) throws -> [String: ParameterValue] {
        var out: [String: ParameterValue] = [:]
        for spec in schema.parameters {
            var seen: String?
            for k in [spec.name] + spec.aliases {
                guard let v = m.value(k) else { continue }
                if let seen { throw v.error(.invalidValue, "\(k) repeats \(seen) (both set \(spec.name), tc-tbf(8))") }
                seen = k
                if spec.kind == .rate, let text = v.node.scalar, text.hasSuffix("%") {
                    guard let share = Double(text.dropLast().trimmingCharacters(in: .whitespaces)), share > 0, share <= 100 else {
                        throw v.error(.invalidValue, "\"\(ErrorText.value(text, limit: 40))\" is not a share (expected e.g. 60%, more than 0 and at most 100)")
                    }
                    guard let base = reference(spec.name) else {
                        throw v.error(.invalidValue, "\"\(text)\": a share needs a parent rate to take it of (a class whose parent has a rate, or a qdisc under wan.rate)")
                    }
                    _ = try? v.string()   // mark the key as read
                    out[spec.name] = .rate((base * share / 100).rounded())
                    continue
                }
                var x = try v.parameter(spec.kind)
                if case .rate(let r) = x { x = .rate(r.rounded()) }   // whole bits/s, as the qdisc's `Rate`
                out[spec.name] = x
            }
        }
        return out
    }

    /// Builds `q` once to let DRLNetwork check it; its error becomes a `ScenarioError` at `location`.
    public static func check(_ q: QdiscConfig, linkRate: Double, segment: Int, at location: SourceLocation, keyPath: String,
                             qdiscs: QdiscRegistry = .standard) throws {
        do throws(NetworkConfigError) {
            _ = try qdiscs.build(q, context: QdiscBuildContext(linkRate: Rate(bitsPerSecond: Int64(linkRate.rounded())),
                                                               mtu: segment, streamName: "check", runContext: nil, qdiscs: qdiscs))
        } catch {
            throw ScenarioError(.invalidValue, at: location, keyPath: keyPath, error.prefixed(keyPath).description)
        }
    }
}
