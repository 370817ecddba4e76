import Foundation
import DRLSimCore

/// A loaded scenario file: its header, its sweep and every sweep point decoded.
///
/// Loading order: read the file, parse YAML (line numbers kept), check the `schema:` header,
/// apply `--set` overrides in the order given, take out `sweep:`, then decode every point (base
/// tree plus that point's sweep values): unknown top-level keys first, then the header, then
/// each registered section, then the sections' cross-checks. The first problem is thrown as a
/// one-line `ScenarioError`.
public struct Scenario: Sendable {
    /// The file as named by the user.
    public let file: String
    /// The header of point 0 (name, seed, replications are the same for every point).
    public let header: ScenarioHeader
    /// The sweep (axes after overrides).
    public let sweep: Sweep
    /// Every sweep point, decoded, in point order.
    public let points: [ScenarioSpec]
    /// FNV-1a 64-bit hash (16 hex digits) of the file text and the overrides: two result sets
    /// with the same fingerprint come from the same scenario input.
    public let fingerprint: String
    /// The `--set` overrides applied, as given.
    public let overrides: [String]

    /// The scenario name.
    public var name: String { header.name }
    /// Replications per point.
    public var replications: Int { header.replications }
    /// Runs in total: points x replications.
    public var runCount: Int { points.count * replications }

    /// Reads and decodes `file`, applying `overrides` (`key.path=value`) first, within `limits`.
    public static func load(file: String, overrides: [String] = [], limits: LoadLimits = LoadLimits(),
                            plugins: Plugins = .standard) throws -> Scenario {
        let text: String
        do {
            if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int, size > limits.maxBytes {
                throw ScenarioError(.limit, file: file, line: 0, keyPath: "",
                                    "file of \(size) bytes exceeds the limit of \(limits.maxBytes) bytes")
            }
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard let s = String(data: data, encoding: .utf8) else {
                throw ScenarioError(.unreadable, file: file, line: 0, keyPath: "", "file is not valid UTF-8 text")
            }
            text = s
        } catch let e as ScenarioError {
            throw e
        } catch {
            var isDir: ObjCBool = false
            let reason: String
            if !FileManager.default.fileExists(atPath: file, isDirectory: &isDir) { reason = "no such file" }
            else if isDir.boolValue { reason = "is a directory" }
            else { reason = "permission denied or unreadable" }
            throw ScenarioError(.unreadable, file: file, line: 0, keyPath: "", "cannot read scenario: \(reason)")
        }
        return try parse(yaml: text, file: file, overrides: overrides, limits: limits, plugins: plugins)
    }

    /// Decodes scenario text named `file` (tests and `--set` use this directly).
    ///
    /// The text is bounded by `limits` before Yams parses it (size, depth, expanded nodes), and the
    /// sweep by points and runs (overflow-checked) before any point is decoded.
    public static func parse(yaml: String, file: String, overrides: [String] = [],
                             limits: LoadLimits = LoadLimits(), plugins: Plugins = .standard) throws -> Scenario {
        let parsed = try overrides.map { try ScenarioOverride.parse($0, file: file) }
        guard var tree = try ConfigNode.parse(yaml: yaml, file: file, limits: limits) else {
            throw ScenarioError(.schema, file: file, line: 1, keyPath: "schema", "empty scenario (expected 'schema: 1' first)")
        }
        guard tree.entries != nil else {
            throw ScenarioError(.wrongType, at: tree.location, keyPath: "", "a scenario must be a mapping of keys (starting with 'schema: 1'), found \(tree.shapeName)")
        }
        try checkSchema(tree, file: file)

        // Overrides, in order; `sweep.<key>` edits one axis.
        var fixed: [String] = []
        for o in parsed {
            if o.path.components.count == 2, case .key("sweep") = o.path.components[0], case .key(let k) = o.path.components[1] {
                var sweepNode = tree["sweep"] ?? ConfigNode(.mapping([]), at: o.value.location)
                if sweepNode.isNull { sweepNode = ConfigNode(.mapping([]), at: o.value.location) }
                guard var es = sweepNode.entries else {
                    throw ScenarioError(.wrongType, at: sweepNode.location, keyPath: "sweep", "expected a mapping, found \(sweepNode.shapeName)")
                }
                if let i = es.firstIndex(where: { $0.key == k }) { es[i].value = o.value } else {
                    es.append(ConfigEntry(key: k, keyLocation: o.value.location, value: o.value))
                }
                sweepNode.content = .mapping(es)
                tree = try tree.setting(ConfigPath([.key("sweep")]), to: sweepNode)
            } else {
                tree = try tree.setting(o.path, to: o.value)
                fixed.append(o.path.description)
            }
        }

        // `--set schema=N` is held to the same versions as the file's header.
        if !parsed.isEmpty { try checkSchema(tree, file: file) }

        var sweep = try Sweep.decode(tree["sweep"] ?? ConfigNode(.null, at: tree.location), file: file)
        sweep.axes.removeAll { fixed.contains($0.path.description) }
        let base = tree.removing(key: "sweep")

        let count = try sweep.checkedPointCount(limit: limits.maxPoints, file: file)
        var points: [ScenarioSpec] = []
        points.reserveCapacity(count)
        for p in 0..<count {
            var pointTree = base
            var assignments: [SweepAssignment] = []
            for (axis, i) in zip(sweep.axes, sweep.indices(of: p)) {
                let value = axis.values[i].retagged(.sweep)
                pointTree = try pointTree.setting(axis.path, to: value)
                assignments.append(SweepAssignment(key: axis.key, value: value.flowText))
            }
            points.append(try decodePoint(pointTree, file: file, point: p, assignments: assignments, plugins: plugins))
            if p == 0 {
                let reps = points[0].header.replications
                let (runs, overflow) = count.multipliedReportingOverflow(by: reps)
                if overflow || runs > limits.maxRuns {
                    let where_ = tree["replications"]?.location ?? tree["sweep"]?.location ?? tree.location
                    throw ScenarioError(.limit, at: where_, keyPath: tree["sweep"] == nil ? "replications" : "sweep",
                                        "\(count) point(s) x \(reps) replication(s) = \(overflow ? "more than 2^63" : String(runs)) runs exceeds the limit of \(limits.maxRuns) runs (raise it with --max-runs)")
                }
            }
        }
        var hashInput = yaml
        for o in overrides { hashInput += "\u{0}--set \(o)" }
        return Scenario(file: file, header: points[0].header, sweep: sweep, points: points,
                        fingerprint: Fingerprint.fnv1a64Hex(hashInput), overrides: overrides)
    }

    /// Checks the `schema:` header before anything else.
    static func checkSchema(_ tree: ConfigNode, file: String) throws {
        guard let entry = tree.entries?.first(where: { $0.key == "schema" }) else {
            throw ScenarioError(.schema, file: file, line: tree.location.line, keyPath: "schema",
                                "missing 'schema: 1' header (this drlsim reads schema \(ScenarioHeader.supportedSchemas.map(String.init).joined(separator: ", ")))")
        }
        guard let s = entry.value.scalar, let v = Int(s) else {
            throw ScenarioError(.schema, at: entry.value.location, keyPath: "schema", "expected a schema version number, found \(entry.value.shapeName)")
        }
        guard ScenarioHeader.supportedSchemas.contains(v) else {
            throw ScenarioError(.schema, at: entry.value.location, keyPath: "schema",
                                "schema version \(v) is not supported (this drlsim reads schema \(ScenarioHeader.supportedSchemas.map(String.init).joined(separator: ", ")))")
        }
    }

    /// Decodes one point's tree: unknown top-level keys, header, sections, cross-checks.
    static func decodePoint(_ tree: ConfigNode, file: String, point: Int, assignments: [SweepAssignment],
                            plugins: Plugins = .standard) throws -> ScenarioSpec {
        let stem = ScenarioHeader.safeName(from: ((file as NSString).lastPathComponent as NSString).deletingPathExtension)
        let ctx = DecodingContext(file: file, header: ScenarioHeader(name: stem), plugins: plugins)
        let root = ConfigMapping(entries: tree.entries ?? [], path: .root, location: tree.location, isPresent: true, context: ctx)
        for k in ScenarioHeader.keys { root.allow(k) }
        for k in plugins.sectionKeys { root.allow(k) }
        // `x-...` top-level keys are ignored: a place for YAML anchors (`x-vm: &vm {...}`).
        for k in root.writtenKeys where k.hasPrefix("x-") { root.allow(k) }
        try root.finish()

        let header = try decodeHeader(root, stem: stem)
        ctx.header = header

        var sections: [any ScenarioSection] = []
        for type in plugins.sections {
            if let section = try decodeSection(type, root: root) { sections.append(section) }
        }
        // The recovery pipeline runs with its default timings when a protected world has no
        // `recovery:` key; decode them once so that `describe` shows every effective default.
        if !sections.contains(where: { $0 is RecoverySection }), sections.contains(where: { $0 is ProtectionSection }) {
            let m = ConfigMapping(entries: [], path: ConfigPath.root.appending(RecoverySection.key), location: root.location,
                                  isPresent: true, context: ctx)
            _ = try RecoverySection.decode(m)
        }
        var typed = assignments
        for i in typed.indices {
            let key = ConfigPath(parsing: typed[i].key)?.description ?? typed[i].key
            if let n = ctx.numbers[key] { typed[i].number = n.value; typed[i].unit = n.unit }
        }
        var spec = ScenarioSpec(file: file, header: header, point: point, assignments: typed,
                                sections: sections, trace: ctx.trace, tree: tree, plugins: plugins)
        for s in sections { try s.validate(in: spec) }
        // Detector pings, protection ticks and write workloads never run out of events: without a
        // duration such a run would never end.
        if header.duration == nil {
            let perpetual = [DetectorSection.key, ProtectionSection.key, WorkloadSection.key].filter { k in
                sections.contains { type(of: $0).key == k }
            }
            if let first = perpetual.first {
                throw ScenarioError(.missingKey, at: tree.location, keyPath: "duration",
                                    "a scenario with \(perpetual.joined(separator: ", ")) needs a duration: its \(first) never runs out of events, so the run would never end")
            }
        }
        if let p = RunCostEstimate(spec: spec).problem {
            let loc = tree[p.key == "duration" ? "duration" : "workload"]?.location ?? tree.location
            throw ScenarioError(.limit, at: loc, keyPath: p.key, p.message)
        }
        spec.trace = TraceEntry.merging(spec.trace, sections.flatMap { $0.derivedTrace(in: spec) })
        return spec
    }

    private static func decodeSection<S: ScenarioSection>(_ type: S.Type, root: ConfigMapping) throws -> (any ScenarioSection)? {
        if let v = root.value(S.key) {
            return try v.mapping { try S.decode($0) }
        }
        let empty = ConfigMapping(entries: [], path: ConfigPath.root.appending(S.key), location: root.location,
                                  isPresent: false, context: root.context)
        return try S.decode(empty)
    }

    static func decodeHeader(_ root: ConfigMapping, stem: String) throws -> ScenarioHeader {
        // The root also holds the sections: the header's keys are read with `parameters`, not
        // made the root's whole key set.
        let p = try root.read(ScenarioHeader.parameterSchema, sectionWording: true)
        let schema = p.count("schema")!
        let name = try root.string("name", default: stem)
        try root.check(ScenarioHeader.isSafeName(name), "name",
                       "a scenario name is a folder name of 1-100 letters, digits, '.', '_', '+' or '-' not starting with '.' or '-', found \"\(ErrorText.value(name, limit: 40))\"")
        let description = try root.string("description", default: "")
        let seed = try root.value("seed")?.uint64() ?? 1
        let duration = p.duration("duration")
        let replications = p.count("replications")!
        return ScenarioHeader(schema: schema, name: name, description: description, seed: seed,
                              duration: duration, replications: replications)
    }
}
