import Foundation
import DRLSimCore
import DRLCloud
import DRLNetwork

/// The `workload:` section: the tenant's VMs at the primary site, their volumes and write
/// workloads (DRLCloud `VMDescription`, `VolumeDescription`, a `WriteWorkload` of the kind `writes.type`
/// names among `Plugins.workloads`; builds the run's `DataPlane`). Its keys are declared once
/// (`schema`, from `vmSchema` and `volumeSchema`; the kinds' keys in their plug-ins,
/// WorkloadSection+Kinds.swift).
///
/// ```yaml
/// workload:
///   tenant: demo                  # owner of the protected resources (default demo)
///   vms:
///     - name: transcoder
///       image: 190MB              # base image size (default 190MB: the paper's image was < 200 MB)
///       image_data: 190MB         # its data once flattened (VM snapshot size; default: the image size)
///       host: 0                   # primary host index (default 0)
///       ephemeral: 20GiB          # root disk (default 20GiB)
///       queue_depth: 1            # writes the application keeps outstanding (default 1)
///       volume: { size: 5GiB, type: drbd }   # drbd => volume replication, iscsi => volume snapshot;
///                                 # type defaults from protection.policy (replication: drbd, snapshot: iscsi), else iscsi
///       writes: { type: video-transcoder, videos: 50, video_size: [20MB, 100MB] }
///       priority: 1               # recovery priority group (>= 1; groups recovered in order, 1 first;
///                                 # writing it turns on per-VM recovery, RecoveryGroups)
/// ```
/// `writes.type` (the built-in kinds, `WorkloadConfig.typeNames`; a package registers more):
/// - `constant`: `rate`, `write_size` (1MiB), `placement` (sequential|random; sequential)
/// - `on-off`: `rate`, `on`, `off`, `write_size` (1MiB), `placement` (sequential)
/// - `poisson`: `writes_per_second`, `size` (a size distribution), `placement` (random)
/// - `video-transcoder`: `videos` (50), `video_size` ([20MB, 100MB], uniform), `transcode_rate`
///   (160mbit = 20 MB/s), `output_ratio` (0.5), `write_size` (1MiB), `repository` (repository),
///   `download_buffer` (4MiB), `loop` (true), `overlap_fetch` (false)
/// - `trace`: `file` (CSV, relative to the scenario file), `time_scale` (1.0)
/// - `diurnal`: `mean` (rate), `peak_ratio` (3), `period` (24h), `phase` (14h: the peak's
///   instant in the period), `steps` (5min), `write_size` (64KiB), `placement` (random),
///   `arrivals` (constant|poisson; constant): DRLCloud `DiurnalProfile`
/// Each workload draws from the stream `workload.<vm>`. `count: N` on an entry stands for N
/// identical VMs `<name>-<k>` (k zero-padded to the width of N).
public struct WorkloadSection: ScenarioSection {
    public static let key = "workload"
    public static let summary = "VMs at the primary: image, volume (size, drbd|iscsi), write workload"

    /// The keys of one `workload.vms[]` entry besides its `volume` and `writes` mappings.
    public static let vmSchema: ParameterSchema = [
        ParameterSpec("name", .text, required: true, doc: "VM name (non-empty, without '/'); its resource ID"),
        ParameterSpec("count", .count, minimum: 1, maximum: Double(maxCount), doc: "N identical VMs <name>-<k>, k zero-padded to the width of N"),
        ParameterSpec("image", .size, default: .size(190_000_000), minimum: 0, excluding: true,
                      doc: "base image size (the paper's image was < 200 MB)"),
        ParameterSpec("image_data", .size, doc: "the image's data once flattened, the VM snapshot's size (default: the image size)"),
        ParameterSpec("host", .count, default: .number(0), maximum: 9_999, doc: "primary host index"),
        ParameterSpec("ephemeral", .size, default: .size(20 * ByteUnits.GiB), doc: "root disk size"),
        ParameterSpec("queue_depth", .count, default: .number(1), minimum: 1, maximum: 1024, doc: "writes the application keeps outstanding"),
        ParameterSpec("priority", .count, minimum: 1, maximum: 1_000_000,
                      doc: "recovery priority group (groups recovered in order, 1 first; writing it turns on per-VM recovery)"),
    ]
    /// The keys of a `workload.vms[].volume` mapping.
    public static let volumeSchema: ParameterSchema = [
        ParameterSpec("size", .size, required: true, doc: "volume size, 1MiB to 16TiB"),
        ParameterSpec("type", .choice(VolumeType.allCases.map(\.rawValue)),
                      doc: "drbd (volume replication) or iscsi (volume snapshot); default from protection.policy, else iscsi"),
        ParameterSpec("name", .text, doc: "volume name (default <vm>-vol)"),
    ]
    /// The section's keys: `tenant`, then an entry's (`vms[].`), its volume's (`vms[].volume.`)
    /// and `vms[].writes` (whose keys are its kind's: `Plugins.workloads`).
    public static var schema: ParameterSchema {
        func under(_ prefix: String, _ s: ParameterSchema) -> [ParameterSpec] {
            s.parameters.map { var p = $0; p.name = prefix + p.name; return p }
        }
        return ParameterSchema([ParameterSpec("tenant", .text, default: .text("demo"), doc: "owner of the protected resources")]
            + under("vms[].", vmSchema) + under("vms[].volume.", volumeSchema)
            + [writesSpec(WorkloadKindPlugin.standard)])
    }

    /// `vms[].writes`: a mapping whose `type:` picks one of `kinds` (the scenario's
    /// `Plugins.workloads`), read through that kind's declared keys.
    public static func writesSpec(_ kinds: [WorkloadKindPlugin]) -> ParameterSpec {
        ParameterSpec("vms[].writes", .variant(kinds.map(\.variant)),
                      doc: "the write workload: type (a registered kind) and that kind's keys (Write workloads)")
    }

    /// One VM as written (the volume type may come from `protection.policy`).
    public struct VM: Sendable {
        /// The VM's description (volume type resolved at install).
        public var spec: VMDescription
        /// The volume type as written, nil when absent.
        public var volumeType: VolumeType?
        /// Where `volume.type` is written (for policy conflicts).
        public var typeLocation: SourceLocation?
        /// Where `host` is written (nil: the default 0).
        var hostLocation: SourceLocation? = nil
        /// The recovery priority group as written (`priority`, >= 1; nil: 1, and no per-VM
        /// recovery unless `recovery.concurrency` asks for it; `RecoveryGroups`).
        public var priority: Int? = nil
        /// The index of the `workload.vms` entry this VM comes from (an entry with `count: N`
        /// stands for N VMs).
        public var entry: Int = 0
        /// The entry's name when it has `count` (its copies are `<name>-<k>`), else nil.
        public var group: String? = nil
    }

    /// Tenant name.
    public var tenant: String
    /// The VMs, in file order.
    public var vms: [VM]

    public static func decode(_ m: ConfigMapping) throws -> WorkloadSection? {
        guard m.isPresent else { return nil }
        let tenant = try m.string("tenant", default: "demo")
        let vms = try m.list("vms").enumerated().flatMap { (i, v) in try v.mapping { try copies($0, index: i) } }
        try m.check(!vms.isEmpty, "vms", "workload.vms needs at least one VM")
        var names: Set<String> = []
        for vm in vms {
            let all = [vm.spec.name] + (vm.spec.volume.map { [$0.name] } ?? [])
            for n in all where names.contains(n) {
                throw ScenarioError(.invalidValue, at: m.value("vms")!.location, keyPath: "workload.vms[\(vm.entry)].name",
                                    "duplicate resource name '\(n)'")
            }
            names.formUnion(all)
        }
        return WorkloadSection(tenant: tenant, vms: vms)
    }

    /// The largest `count` of one entry.
    public static let maxCount = 100_000

    /// One entry's VMs: the VM itself, or with `count: N` N identical VMs named `<name>-<k>`,
    /// k = 1...N zero-padded to the width of N (volumes `<vm>-vol`, or `<volume.name>-<k>`);
    /// each draws from its own stream `workload.<name>-<k>`.
    static func copies(_ m: ConfigMapping, index: Int) throws -> [VM] {
        var base = try vm(m, index: index)
        base.entry = index
        guard let count = m.value("count") else { return [base] }
        let n = try count.int(in: 1...maxCount)
        let width = String(n).count
        base.group = base.spec.name
        return (1...n).map { k in
            var c = base
            let digits = String(k)
            let name = "\(base.spec.name)-\(String(repeating: "0", count: width - digits.count))\(digits)"
            var d = VMDescription(id: ResourceID(name), name: name, image: ResourceID("\(name)-image"), imageBytes: base.spec.imageBytes,
                                  snapshotBytes: base.spec.snapshotBytes, volume: base.spec.volume, writes: base.spec.writes)
            d.host = base.spec.host; d.ephemeralSize = base.spec.ephemeralSize; d.queueDepth = base.spec.queueDepth
            if let vn = base.spec.volume?.name {
                let copy = vn == "\(base.spec.name)-vol" ? "\(name)-vol" : "\(vn)-\(String(repeating: "0", count: width - digits.count))\(digits)"
                d.volume!.name = copy; d.volume!.id = ResourceID(copy)
            }
            c.spec = d
            return c
        }
    }

    static func vm(_ m: ConfigMapping, index: Int) throws -> VM {
        let p = try m.parameters(vmSchema)
        let name = p.text("name")!
        try m.check(!name.isEmpty && !name.contains("/"), "name", "a VM name must be non-empty, without '/'")
        let imageBytes = p.size("image")!
        var spec = VMDescription(id: ResourceID(name), name: name, image: ResourceID("\(name)-image"), imageBytes: imageBytes,
                                 snapshotBytes: p.size("image_data"))
        try m.check(spec.snapshotBytes >= imageBytes, "image_data", "image_data (flattened) must be at least the image size")
        spec.host = Int(p.number("host")!)
        spec.ephemeralSize = p.size("ephemeral")!
        spec.queueDepth = Int(p.number("queue_depth")!)
        var type: VolumeType?
        var typeLocation: SourceLocation?
        spec.volume = try m.optionalMapping("volume") { v -> VolumeDescription in
            let q = try v.parameters(volumeSchema)
            let size = q.size("size")!
            try v.check(size >= 1_048_576, "size", "a volume must be at least 1MiB")
            try v.check(size <= RunCostEstimate.maxVolumeSize, "size", "a volume may be at most 16TiB (its DRBD and allocation bitmaps take 1 bit per 4 KiB each)")
            type = q.text("type").flatMap(VolumeType.init(rawValue:))
            typeLocation = v.value("type")?.location
            if type == nil { v.context.record(v.path.appending("type"), "from protection.policy, else iscsi", isDefault: true) }
            return VolumeDescription(name: q.text("name") ?? "\(name)-vol", size: size, type: type ?? .iscsi)
        }
        spec.writes = try m.optionalMapping("writes") { try writes($0) }
        if case .traceReplay(let trace, _)? = spec.writes as? WorkloadConfig {
            // A write past the device's end cannot happen on a real block device.
            let capacity = spec.volume?.sizeBytes ?? spec.ephemeralSize
            let end = trace.records.lazy.filter(\.isWrite).map { $0.offset + $0.size }.max() ?? 0
            if end > capacity {
                let file = m.value("writes")?.node.entries?.first { $0.key == "file" }?.value.location
                throw ScenarioError(.invalidValue, at: file ?? m.value("writes")?.location ?? m.location,
                                    keyPath: "\(m.path.appending("writes").appending("file"))",
                                    "the trace writes up to byte \(end), beyond the \(spec.volume == nil ? "ephemeral disk" : "volume")'s \(capacity) bytes")
            }
        }
        var vm = VM(spec: spec, volumeType: type, typeLocation: typeLocation, hostLocation: m.value("host")?.location)
        vm.priority = p.number("priority").map { Int($0) }
        return vm
    }

    /// Reads `writes` by its declaration (`writesSpec`: `type:` among the scenario's workload
    /// plug-ins, `Plugins.workloads`, then that kind's keys), then builds the kind's value.
    static func writes(_ m: ConfigMapping) throws -> any WriteWorkload {
        let kinds = m.context.plugins.workloads
        guard case .variant(let variants) = writesSpec(kinds).kind, case .typed(let type, _) = try m.variant(variants) else {
            preconditionFailure("writes is declared as a variant")
        }
        return try kinds.first { $0.type == type }!.decode(m)
    }

    /// Every VM runs on an existing primary host.
    public func validate(in spec: ScenarioSpec) throws {
        let primary = spec.sites.primary
        for (i, vm) in vms.enumerated() where vm.spec.host >= primary.hosts {
            throw ScenarioError(.invalidValue, at: vm.hostLocation ?? spec.location(ofKey: Self.key), keyPath: "workload.vms[\(i)].host",
                                "host \(vm.spec.host) is out of range: the primary site '\(primary.name)' has \(primary.hosts) hosts (0...\(primary.hosts - 1))")
        }
    }

    /// The VM specs with volume types resolved against `policy` (nil: as written, iscsi by default).
    public func specs(policy: ProtectionSection.Policy?) -> [VMDescription] {
        vms.map { vm in
            var s = vm.spec
            if s.volume != nil { s.volume!.type = vm.volumeType ?? policy?.volumeType ?? .iscsi }
            return s
        }
    }

    /// Builds the run's `DataPlane` (sites, Swift vault and its `storage` rows binned by
    /// `outputs.traffic_bin`, protection service, DRBD devices, workloads over the WAN
    /// transport) and starts the workloads at time 0.
    public func install(into run: RunAssembly) throws {
        // The WAN model's byte streams: the flow-level model, or the packet model's flows.
        let transfer: TransferNetwork = try run.component(FlowNetwork.self)
            ?? WANTransfer(network: run.require(DRLNetwork.Network.self, by: Self.key))
        let sites = run.spec.sites
        let protection = run.spec.section(ProtectionSection.self)
        var pc = protection?.cloud ?? ProtectionConfig()
        pc.tenant = tenant
        let plane = DataPlane(context: run.context, primary: sites.primary, backup: sites.backup,
                              network: transfer, protection: pc,
                              drbd: run.spec.section(DRBDSection.self)?.config ?? DRBDConfig(),
                              storageBin: (run.spec.section(OutputsSection.self) ?? .standard).trafficBin,
                              replicationBin: (run.spec.section(OutputsSection.self) ?? .standard).effectiveReplicationBin)
        // wan.model flow: a WAN model that is also a RateNetwork replicates rate-process
        // workloads' DRBD volumes as fluid queues (DataPlane+Fluid.swift).
        plane.rateNetwork = plane.network as? RateNetwork
        WorldAssembly.installDataPaths(run.spec.plugins, into: plane.service)
        for (i, s) in specs(policy: protection?.policy).enumerated() {
            do throws(WorkloadError) { try plane.install(s) } catch {
                throw ScenarioError(.assembly, at: run.spec.location(ofKey: Self.key), keyPath: "workload.vms[\(i)]", error.description)
            }
        }
        plane.startWorkloads(at: .zero)
        run.atEnd { _ in plane.storage.flush() }   // the last bin of storage.csv
        // Sampling ends with the run (before the DR layer's end-of-run abort halts DRBD).
        run.atEnd { _ in plane.service.replicationMonitor.finish() }
        run.atEnd { _ in plane.flushRateWriters(); plane.writes.finish() }   // writes.csv: the application's cost of protection
        run.provide(plane)
    }
}
