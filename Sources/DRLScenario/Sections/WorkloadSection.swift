import Foundation
import DRLSimCore
import DRLCloud
import DRLNetwork

/// The `workload:` section: the tenant's VMs at the primary site, their volumes and write
/// workloads (DRLCloud `VMSpec`, `VolumeSpec`, `WorkloadConfig`; builds the run's `DataPlane`).
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
/// `writes.type` (DRLCloud `WorkloadConfig.typeNames`):
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

    /// One VM as written (the volume type may come from `protection.policy`).
    public struct VM: Sendable {
        /// The DRLCloud spec (volume type resolved at install).
        public var spec: VMSpec
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
            let all = [vm.spec.name] + (vm.spec.volume?.name.map { [$0] } ?? [])
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
        guard m.contains("count") else { return [base] }
        let n = try m.int("count", in: 1...maxCount)
        let width = String(n).count
        base.group = base.spec.name
        return (1...n).map { k in
            var c = base
            let digits = String(k)
            let name = "\(base.spec.name)-\(String(repeating: "0", count: width - digits.count))\(digits)"
            c.spec.name = name
            c.spec.image.name = "\(name)-image"
            if let vn = base.spec.volume?.name {
                c.spec.volume!.name = vn == "\(base.spec.name)-vol" ? "\(name)-vol" : "\(vn)-\(String(repeating: "0", count: width - digits.count))\(digits)"
            }
            return c
        }
    }

    static func vm(_ m: ConfigMapping, index: Int) throws -> VM {
        let name = try m.string("name")
        try m.check(!name.isEmpty && !name.contains("/"), "name", "a VM name must be non-empty, without '/'")
        var spec = VMSpec(name: name, image: GlanceImage(name: "\(name)-image", size: try m.size("image", default: 190_000_000)))
        try m.check(spec.image.size > 0, "image", "the image size must be positive")
        if m.contains("image_data") {
            spec.image.dataSize = try m.size("image_data")
            try m.check(spec.image.dataSize >= spec.image.size, "image_data", "image_data (flattened) must be at least the image size")
        }
        spec.host = try m.int("host", in: 0...9_999, default: 0)
        spec.ephemeralSize = try m.size("ephemeral", default: spec.ephemeralSize)
        spec.queueDepth = try m.int("queue_depth", in: 1...1024, default: 1)
        var type: VolumeType?
        var typeLocation: SourceLocation?
        spec.volume = try m.optionalMapping("volume") { v -> VolumeSpec in
            let size = try v.size("size")
            try v.check(size >= 1_048_576, "size", "a volume must be at least 1MiB")
            try v.check(size <= RunCostEstimate.maxVolumeSize, "size", "a volume may be at most 16TiB (its DRBD and allocation bitmaps take 1 bit per 4 KiB each)")
            type = try v.value("type")?.choice(VolumeType.self)
            typeLocation = v.value("type")?.location
            if type == nil { v.context.record(v.path.appending("type"), "from protection.policy, else iscsi", isDefault: true) }
            return VolumeSpec(name: try v.value("name")?.string() ?? "\(name)-vol", size: size, type: type ?? .iscsi)
        }
        spec.writes = try m.optionalMapping("writes") { try writes($0) }
        if case .traceReplay(let trace, _)? = spec.writes {
            // A write past the device's end cannot happen on a real block device.
            let capacity = spec.volume?.size ?? spec.ephemeralSize
            let end = trace.records.lazy.filter(\.isWrite).map { $0.offset + $0.size }.max() ?? 0
            if end > capacity {
                let file = m.value("writes")?.node.entries?.first { $0.key == "file" }?.value.location
                throw ScenarioError(.invalidValue, at: file ?? m.value("writes")?.location ?? m.location,
                                    keyPath: "\(m.path.appending("writes").appending("file"))",
                                    "the trace writes up to byte \(end), beyond the \(spec.volume == nil ? "ephemeral disk" : "volume")'s \(capacity) bytes")
            }
        }
        var vm = VM(spec: spec, volumeType: type, typeLocation: typeLocation, hostLocation: m.value("host")?.location)
        vm.priority = try m.value("priority")?.int(in: 1...1_000_000)
        return vm
    }

    static func placement(_ m: ConfigMapping, _ def: WritePlacement) throws -> WritePlacement {
        try m.choice("placement", of: [WritePlacement.sequential, .random], default: def)
    }

    /// Reads `writes` by the kind its `type:` names among the scenario's workload plug-ins
    /// (`Plugins.workloads`).
    static func writes(_ m: ConfigMapping) throws -> WorkloadConfig {
        let kinds = m.context.plugins.workloads
        let type = try m.choice("type", among: kinds.map(\.type))
        return try kinds.first { $0.type == type }!.decode(m)
    }

    /// The built-in kinds (`WorkloadConfig.typeNames`), read key by key.
    static func builtIn(_ m: ConfigMapping, kind: String) throws -> WorkloadConfig {
        switch kind {
        case "constant":
            let ws = try m.size("write_size", default: 1_048_576)
            try m.check(ws >= 512, "write_size", "write_size must be at least 512b")
            return .constantRate(bytesPerSecond: try m.rate("rate") / 8, writeSize: ws, placement: try placement(m, .sequential))
        case "on-off":
            let rate = try m.rate("rate") / 8
            let on = try m.duration("on"), off = try m.duration("off")
            try m.check(on > .zero, "on", "on must be positive")
            let ws = try m.size("write_size", default: 1_048_576)
            try m.check(ws >= 512, "write_size", "write_size must be at least 512b")
            return .onOff(bytesPerSecond: rate, onDuration: on, offDuration: off, writeSize: ws, placement: try placement(m, .sequential))
        case "poisson":
            let wps = try m.double("writes_per_second")
            try m.check(wps > 0, "writes_per_second", "writes_per_second must be positive")
            return .poisson(writesPerSecond: wps, size: try m.distribution("size", .size), placement: try placement(m, .random))
        case "video-transcoder":
            var c = VideoTranscoderConfig()
            c.videos = try m.int("videos", in: 1...1_000_000, default: c.videos)
            if let v = m.value("video_size") {
                let l = try v.list()
                guard l.count == 2 else { throw v.error(.invalidValue, "video_size is [min, max], e.g. [20MB, 100MB]") }
                c.minVideoSize = try l[0].size(); c.maxVideoSize = try l[1].size()
                guard c.minVideoSize > 0, c.minVideoSize <= c.maxVideoSize else { throw v.error(.invalidValue, "video_size needs 0 < min <= max") }
            } else {
                m.context.record(m.path.appending("video_size"), "[20MB, 100MB]", isDefault: true)
            }
            c.transcodeBytesPerSecond = try m.rate("transcode_rate", default: c.transcodeBytesPerSecond * 8) / 8
            c.outputRatio = try m.double("output_ratio", default: c.outputRatio)
            try m.check(c.outputRatio >= 0, "output_ratio", "output_ratio must not be negative")
            c.writeSize = try m.size("write_size", default: c.writeSize)
            try m.check(c.writeSize >= 512, "write_size", "write_size must be at least 512b")
            c.repository = try m.string("repository", default: c.repository)
            c.downloadBuffer = try m.size("download_buffer", default: c.downloadBuffer)
            try m.check(c.downloadBuffer >= 4096, "download_buffer", "download_buffer must be at least 4KiB")
            c.loop = try m.bool("loop", default: c.loop)
            c.overlapFetch = try m.bool("overlap_fetch", default: c.overlapFetch)
            return .videoTranscoder(c)
        case "diurnal":
            let mean = try m.rate("mean") / 8
            try m.check(mean > 0, "mean", "mean must be positive")
            let ratio = try m.double("peak_ratio", default: 3)
            try m.check(ratio >= 1 && ratio <= DiurnalProfile.maxPeakRatio, "peak_ratio", "peak_ratio must be between 1 and \(Int(DiurnalProfile.maxPeakRatio))")
            let period = try m.duration("period", default: .seconds(86_400 as Int64))
            try m.check(period > .zero, "period", "period must be positive")
            let phase = try m.duration("phase", default: .seconds(14 * 3600 as Int64))
            let steps = try m.duration("steps", default: .minutes(5))
            try m.check(steps >= .seconds(1 as Int64) && steps <= period, "steps", "steps must be between 1s and the period")
            let ws = try m.size("write_size", default: 65_536)
            try m.check(ws >= 512, "write_size", "write_size must be at least 512b")
            let arrivals = try m.choice("arrivals", of: [DiurnalArrivals.constant, .poisson], default: .constant)
            return .diurnal(DiurnalProfile(mean: mean, peakRatio: ratio, period: period, phase: phase, step: steps),
                            writeSize: ws, placement: try placement(m, .random), arrivals: arrivals)
        default: // trace
            let fv = try m.require("file")
            let file = try fv.string()
            let base = (m.context.file as NSString).deletingLastPathComponent
            let path = file.hasPrefix("/") ? file : (base.isEmpty ? file : (base as NSString).appendingPathComponent(file))
            let trace: BlockTrace
            do throws(BlockTraceError) { trace = try BlockTrace.load(path: path) } catch {
                throw fv.error(.invalidValue, error.description)
            }
            let scale = try m.double("time_scale", default: 1)
            try m.check(scale >= 1e-6 && scale <= 1e6, "time_scale", "time_scale must be between 1e-6 and 1e6")
            return .traceReplay(trace, timeScale: scale)
        }
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
    public func specs(policy: ProtectionSection.Policy?) -> [VMSpec] {
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
