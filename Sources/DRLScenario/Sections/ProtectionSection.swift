import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration

/// The `protection:` section: the DR-Orchestrator's workload policy (interval, VM action,
/// DR-Logic driver, overlap, cleanup) and DRLCloud's snapshot/image pipelines
/// (`OrchestratorConfig`, `ProtectionConfig`; paper §3-4, §7.1; orbit-software.md §2-3).
/// Installing it builds the Disaster Recovery Layer over DRLCloud's data paths
/// (`WorldAssembly`).
///
/// ```yaml
/// protection:
///   policy: replication       # shorthand: snapshot = vm-snapshot + iscsi volumes (volume snapshots),
///                             #            replication = image-copy + drbd volumes (volume replication)
///   vm_action: image-copy     # or vm-snapshot (default: from policy, else image-copy)
///   interval: 5min            # max protection interval (paper §7.1: 5 min)
///   first_after: 5min         # first protection (default: one interval, the code's countdown)
///   tick: 30s                 # DR-Logic tick (drlogic_interval)
///   overlap: overlap          # overlap (paper) | skip | queue, when due while the previous runs
///   consistent_pause: 500ms   # VM pause before the actions (consistent mode)
///   concurrency: 1            # actions (transfers) an execution runs at once (1: one after another, Dragon)
///   logic: { type: fixed }    # a registered driver (Plugins.logicDrivers) and the keys its schema
///                             # declares: fixed | dirty-threshold {threshold} | rpo-target {target,
///                             # safety, assumed_rate} | bandwidth-shares {classes, weights, floor,
///                             # smoothing, horizon} (a shaping driver: needs wan.qdisc of type htb
///                             # whose filters map each class to its own leaf)
///   actions: { <name>: {...} }  # parameters of registered protection actions (their schemas)
///   cleanup: { interval: 1h, keep: 1 }   # the released code: every hour keep the newest (ready) one
///   retention: { count: 12, age: 2h }    # or: Karbor-like limits, applied at every new recovery point
///                                        # and every cleanup; never deletes the newest ready point
///   # DRLCloud pipelines (defaults shown):
///   chunk: 50MiB              # Swift object size
///   pipeline_depth: 0         # 0 = serial cinder-backup and Swift PUTs (Kilo); >= 1 pipelined
///   upload_buffer: 4MiB
///   poll_interval: 1s
///   delete_local_copy: 1s
///   image_copy_resend: every-action   # Dragon re-sends at every action; once = what-if HEAD check
///   vm_snapshot: { mode: cold, memory: 2GiB, glance_rate: 1gbit, pause: false, speed: 0.5,
///                  streaming: false, overhead: 0s }   # speed/pause: live mode only
///   clone_rate: ~             # bytes/s rate; default half the volume tier's read rate
///   clone_zero_fill: true     # LVM volume_clear = zero of the clone's temporary snapshot
///   sha256: { enabled: true, rate: 1376mbit }         # cinder-backup's per-32KiB sha256 (172 MB/s)
///   compression: { enabled: true, data_ratio: 1.0, zero_ratio: 0.001, cpu_rate: 272mbit, zero_cpu_rate: 2040mbit }
///   metadata: 4KiB
///   template_per_resource: 2KiB
///   replication_metadata: 1KiB
///   policies:                 # several workload policies (ProtectionSection+Policies.swift), each
///     web: { vms: [web], interval: 2min }   # inheriting the keys above; absent: one policy with every VM
/// ```
public struct ProtectionSection: ScenarioSection {
    public static let key = "protection"
    public static let summary = "workload protection: policy, VM action, interval, DR-Logic driver, overlap, retention, pipelines"

    /// The paper's two policies (§7): what protects the VM and its volumes.
    public enum Policy: String, Sendable, CaseIterable {
        /// VM snapshot + volume snapshot (iSCSI volumes).
        case snapshot
        /// Image copy + volume replication (DRBD volumes).
        case replication
        /// The VM action of the policy.
        public var vmAction: String { (self == .snapshot ? ProtectionActionName.vmSnapshot : .imageCopy).rawValue }
        /// The volume type of the policy.
        public var volumeType: VolumeType { self == .snapshot ? .iscsi : .drbd }
    }

    /// The policy shorthand, if given.
    public var policy: Policy?
    /// Orchestrator settings (VM action resolved).
    public var orchestrator: OrchestratorConfig
    /// Engine settings.
    public var engine: DREngine.Config
    /// DRLCloud pipeline settings.
    public var cloud: ProtectionConfig
    /// Where `policy` and `vm_action` are written.
    var policyLocation: SourceLocation?
    /// A shaping driver's settings (nil for drivers that do not shape, `LogicDriverPlugin.shapesTraffic`).
    public var shares: Shaping?
    /// Parameters of the protection actions, by action name (`protection.actions`).
    public var actionParameters: [String: ParameterValues] = [:]
    /// `policies`: several workload policies (ProtectionSection+Policies.swift); nil: one default policy.
    public var policies: [PolicySpec]? = nil

    /// `protection.logic` of a shaping driver (`bandwidth-shares`: DRLOrchestration's
    /// `BandwidthSharesDriver` setting the HTB leaf rates of the primary -> backup link,
    /// `HTBShaper`; paper §3, §7.2): what the scenario checks against `wan.qdisc` before the
    /// driver is built with the resolved classes.
    public struct Shaping: Sendable, Hashable {
        /// Shaped traffic classes (the driver's `classes` key); nil: every class named by a
        /// `class:` filter of `wan.qdisc`.
        public var classes: [String]?
        /// Spare-capacity weights by class, as written (the driver's `weights` key).
        public var weights: [String: Double]
        /// Minimum share of the link per class (the driver's `floor` key, 0 when it has none).
        public var floor: Double
        /// Where `protection.logic.type` is written.
        var location: SourceLocation
    }

    public static func decode(_ m: ConfigMapping) throws -> ProtectionSection? {
        guard m.isPresent else { return nil }
        guard m.context.header.duration != nil else {
            throw m.error(nil, .missingKey, "protection needs a scenario 'duration' (protection is periodic)")
        }
        let q = try m.values(of: schema)
        let policy = q.text("policy").map { Policy(rawValue: $0)! }
        var o = OrchestratorConfig()
        let plugins = m.context.plugins
        let written = try m.value("vm_action")?.choice(among: plugins.actions.filter { $0.kind == .vm }.map(\.name))
        if let policy, let written, written != policy.vmAction {
            throw m.error("vm_action", .invalidValue, "protection.policy \(policy.rawValue) uses \(policy.vmAction), not \(written)")
        }
        o.vmAction = ProtectionActionName(written ?? policy?.vmAction ?? ProtectionActionName.imageCopy.rawValue)
        if written == nil { m.context.record(m.path.appending("vm_action"), o.vmAction.rawValue, isDefault: true) }
        o.protectionInterval = q.duration("interval")!
        o.firstProtectionAfter = q.duration("first_after")
        // A cadence: below 10 ms a 30 min run would hold 10^5+ evaluations per second of
        // simulated time, an event storm that never ends in practice (a fuzzer find).
        o.tick = q.duration("tick")!
        o.overlap = OverlapPolicy(rawValue: q.text("overlap")!)!
        o.recentWindow = q.count("recent_window")!
        var shares: Shaping?
        try m.mapping("logic") { l in
            // The driver decodes its own keys from its declared schema (Plugins.logicDrivers).
            o.logic.type = try l.choice("type", among: plugins.logicDrivers.names, default: "fixed")
            let driver = plugins.logicDrivers.plugin(o.logic.type)!
            o.logic.parameters = try l.parameters(driver.schema)
            if driver.shapesTraffic { shares = try decodeShaping(l, o.logic.parameters) }
        }
        var actionParameters: [String: ParameterValues] = [:]
        try m.mapping("actions") { a in
            for action in plugins.actions where !action.schema.parameters.isEmpty || a.contains(action.name) {
                actionParameters[action.name] = try a.mapping(action.name) { try $0.parameters(action.schema) }
            }
        }
        var keepWritten = false
        let hasRetention = m.contains("retention")
        try m.mapping("cleanup") { c in
            let k = try c.values(of: schema.nested("cleanup")!)
            o.cleanupInterval = k.duration("interval")!
            keepWritten = k.written.contains("keep")
            if let keep = k.count("keep") { o.keepNewest = keep } else if !hasRetention {
                // retention replaces keep: no default to show in `describe`
                c.context.record(c.path.appending("keep"), String(o.keepNewest), isDefault: true)
            }
        }
        o.retention = try m.optionalMapping("retention") { r in try decodeRetention(r, keepWritten: keepWritten) }
        var e = DREngine.Config()
        e.consistentPause = q.duration("consistent_pause")!
        e.concurrency = q.count("concurrency") ?? e.concurrency   // actions of an execution at once

        var p = ProtectionConfig()
        p.chunkSize = q.size("chunk")!
        p.pipelineDepth = q.count("pipeline_depth")!
        p.uploadBuffer = q.size("upload_buffer")!
        p.pollInterval = q.duration("poll_interval")!
        p.deleteLocalCopy = q.duration("delete_local_copy")!
        p.imageCopyResend = ImageCopyResend(rawValue: q.text("image_copy_resend")!)!
        let v = try m.values(of: schema, in: "vm_snapshot")
        p.vmSnapshotMode = VMSnapshotMode(rawValue: v.text("mode")!)!
        p.vmSnapshotMemory = v.size("memory")!
        p.glanceBytesPerSecond = v.rate("glance_rate")! / 8
        p.vmSnapshotPause = v.bool("pause")!
        p.vmSnapshotSpeed = v.number("speed")!
        p.vmSnapshotStreaming = v.bool("streaming")!
        p.vmSnapshotOverhead = v.duration("overhead")!
        p.cloneBytesPerSecond = q.rate("clone_rate").map { $0 / 8 }
        p.cloneZeroFill = q.bool("clone_zero_fill")!
        let h = try m.values(of: schema, in: "sha256")
        p.sha256BytesPerSecond = h.bool("enabled")! ? h.rate("rate")! / 8 : nil
        let c = try m.values(of: schema, in: "compression")
        p.compression.enabled = c.bool("enabled")!
        p.compression.dataRatio = c.number("data_ratio")!
        p.compression.zeroRatio = c.number("zero_ratio")!
        p.compression.cpuBytesPerSecond = c.rate("cpu_rate")! / 8
        p.compression.zeroBytesPerSecond = c.rate("zero_cpu_rate")! / 8
        p.metadataBytes = q.size("metadata")!
        p.templateBytesPerResource = q.size("template_per_resource")!
        p.replicationMetadataBytes = q.size("replication_metadata")!
        var section = ProtectionSection(policy: policy, orchestrator: o, engine: e, cloud: p,
                                        policyLocation: m.value("policy")?.location, shares: shares, actionParameters: actionParameters)
        section.policies = try decodePolicies(m)
        return section
    }

    /// Reads `protection.retention`: `count` (>= 1) and/or `age` (a positive duration). It
    /// replaces `cleanup.keep`, so writing both is an error.
    static func decodeRetention(_ r: ConfigMapping, keepWritten: Bool) throws -> RetentionPolicy {
        r.declare(retentionSchema)
        var p = RetentionPolicy()
        if let v = r.value("count") {
            let n = try v.int()
            guard n >= 1 else { throw v.error(.invalidValue, "count must be at least 1 (a recovery point must always remain), found \(n)") }
            guard !keepWritten else {
                throw v.error(.invalidValue, "retention.count replaces cleanup.keep: write only one of them")
            }
            p.count = n
        }
        if let v = r.value("age") {
            let a = try v.duration()
            guard a > .zero else { throw v.error(.invalidValue, "age must be positive") }
            p.age = a
        }
        try r.check(p.count != nil || p.age != nil, nil, "retention needs a count, an age or both (e.g. {count: 12, age: 2h})")
        if keepWritten, p.count == nil {
            throw r.error(nil, .invalidValue, "retention replaces cleanup.keep: write retention.count instead")
        }
        return p
    }

    /// The checks of a shaping driver's keys beyond their schema: `classes` are known traffic
    /// classes, not empty and not repeated.
    static func decodeShaping(_ l: ConfigMapping, _ p: ParameterValues) throws -> Shaping {
        let loc = l.value("type")?.location ?? l.location
        let classes = p.names("classes")
        if let classes {
            for (i, n) in classes.enumerated() where TrafficClass(name: n) == nil {
                throw ScenarioError(.invalidValue, at: l.value("classes")!.location, keyPath: l.path.appending("classes").description + "[\(i)]",
                                    "unknown traffic class \(n) (known: \(TrafficClass.names.joined(separator: ", ")))")
            }
            try l.check(!classes.isEmpty, "classes", "classes must not be empty")
            try l.check(Set(classes).count == classes.count, "classes", "classes must not repeat")
        }
        return Shaping(classes: classes, weights: p.weights("weights") ?? [:], floor: p.number("floor") ?? 0, location: loc)
    }

    /// The shaped classes of a shaping driver (`bandwidth-shares`) and the HTB leaf (`flowid`) each one's filter
    /// sends it to, checked against `wan.qdisc`: an htb whose `class:` filters put every shaped
    /// class on its own leaf class.
    public func shapedClasses(in spec: ScenarioSpec) throws -> [(name: String, leaf: String)] {
        guard let shares else { return [] }
        let key = "protection.logic.type"
        func fail(_ why: String) -> ScenarioError {
            ScenarioError(.invalidValue, at: shares.location, keyPath: key, "\(orchestrator.logic.type) needs wan.qdisc of type htb \(why)")
        }
        guard let q = spec.section(WANSection.self)?.qdisc, q.type == "htb" else {
            throw fail("whose filters map traffic classes to leaf classes (wan.qdisc is \(spec.section(WANSection.self)?.qdisc?.type ?? "absent"))")
        }
        let named = q.filters.compactMap(\.trafficClass)
        var classes: [String] = []
        for c in shares.classes ?? named where !classes.contains(c) { classes.append(c) }
        guard !classes.isEmpty else { throw fail("with filters mapping traffic classes to leaf classes (no `class:` filter)") }
        let parents = Set(q.classes.compactMap(\.parent))
        var out: [(name: String, leaf: String)] = []
        for c in classes {
            guard let f = q.filters.first(where: { $0.trafficClass == c }) else { throw fail("with a filter for class \(c)") }
            guard q.classes.contains(where: { $0.classid == f.flowid }), !parents.contains(f.flowid) else {
                throw fail("whose filter for \(c) targets a leaf class (\(f.flowid) is not one)")
            }
            if let other = out.first(where: { $0.leaf == f.flowid }) {
                throw fail("with one leaf per shaped class (\(other.name) and \(c) share \(f.flowid))")
            }
            out.append((c, f.flowid))
        }
        if Double(out.count) * shares.floor > 1 {
            throw ScenarioError(.invalidValue, at: shares.location, keyPath: "protection.logic.floor",
                                "floor \(shares.floor) x \(out.count) classes exceeds the link")
        }
        for k in shares.weights.keys.sorted() where !out.contains(where: { $0.name == k }) {
            throw ScenarioError(.invalidValue, at: shares.location, keyPath: "protection.logic.weights.\(k)",
                                "\(k) is not a shaped class (\(out.map(\.name).joined(separator: ", ")))")
        }
        return out
    }

    /// A volume whose written type contradicts the policy is an error.
    public func validate(in spec: ScenarioSpec) throws {
        _ = try shapedClasses(in: spec)
        try validatePolicies(in: spec)
        guard let policy, let w = spec.section(WorkloadSection.self) else { return }
        for (i, vm) in w.vms.enumerated() {
            if let t = vm.volumeType, t != policy.volumeType {
                throw ScenarioError(.invalidValue, at: vm.typeLocation ?? policyLocation ?? spec.location(ofKey: Self.key),
                                    keyPath: "workload.vms[\(i)].volume.type",
                                    "protection.policy \(policy.rawValue) uses \(policy.volumeType.rawValue) volumes, not \(t.rawValue)")
            }
        }
    }

    /// Builds the Disaster Recovery Layer (engine, orchestrator, recovery pipeline) over the
    /// workload's `DataPlane`; see `WorldAssembly.installLayer`.
    public func install(into run: RunAssembly) throws {
        try WorldAssembly.installLayer(self, into: run)
    }
}
