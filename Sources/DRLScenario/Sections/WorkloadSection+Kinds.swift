import Foundation
import DRLSimCore
import DRLCloud

/// The built-in write workload kinds (`workload.vms[].writes.type`) as `WorkloadKindPlugin`s:
/// each declares its keys once (decoding, ranges, `describe --plugins`) and decodes into
/// DRLCloud's `WorkloadConfig`. Keys whose values are not a single quantity are declared by
/// their structured kind (`size`: a distribution of sizes, `video_size`: a `[low, high]` size
/// interval, `file`: a path relative to the scenario file), so the schema reads them too.
extension WorkloadSection {
    /// Write size, at least one 512-byte sector.
    static func writeSize(_ def: Int64) -> ParameterSpec {
        ParameterSpec("write_size", .size, default: .size(def), minimum: 512, doc: "size of each write")
    }
    /// Placement of successive writes.
    static func placement(_ def: WritePlacement) -> ParameterSpec {
        ParameterSpec("placement", .choice([WritePlacement.sequential.rawValue, WritePlacement.random.rawValue]), default: .text(def.rawValue),
                      doc: "sequential (wrapping at the device end) or random 4 KiB-aligned offsets")
    }

    static let constantSchema: ParameterSchema = [
        ParameterSpec("rate", .rate, required: true, doc: "write rate"),
        writeSize(ByteUnits.MiB), placement(.sequential),
    ]
    static let onOffSchema: ParameterSchema = [
        ParameterSpec("rate", .rate, required: true, doc: "write rate while on"),
        ParameterSpec("on", .duration, required: true, minimum: 0, excluding: true, doc: "length of a burst"),
        ParameterSpec("off", .duration, required: true, doc: "idle time between bursts"),
        writeSize(ByteUnits.MiB), placement(.sequential),
    ]
    static let poissonSchema: ParameterSchema = [
        ParameterSpec("writes_per_second", .number, required: true, minimum: 0, excluding: true, doc: "mean arrival rate of writes"),
        ParameterSpec("size", .distribution(.size), required: true,
                      doc: "size distribution of a write (a size, or e.g. {type: uniform, low: 4KiB, high: 64KiB}; Docs/scenario-reference.md), rounded up to 4 KiB"),
        placement(.random),
    ]
    /// Defaults are `VideoTranscoderConfig()`'s (where each number's source is given).
    static let videoTranscoderSchema: ParameterSchema = {
        let d = VideoTranscoderConfig()
        return [
        ParameterSpec("videos", .count, default: .number(Double(d.videos)), minimum: 1, maximum: 1_000_000, doc: "videos fetched (the paper: 50)"),
        ParameterSpec("video_size", .interval(.size), default: .interval(.size(d.minVideoSize), .size(d.maxVideoSize)),
                      doc: "[min, max] size of a video, uniform, min > 0 (the paper: 20-100 MB)"),
        ParameterSpec("transcode_rate", .rate, default: .rate(d.transcodeBytesPerSecond * 8), doc: "input transcoded per second (20 MB/s: an assumption, VideoTranscoderConfig)"),
        ParameterSpec("output_ratio", .number, default: .number(d.outputRatio), minimum: 0, doc: "output size as a share of the input (an assumption)"),
        writeSize(d.writeSize),
        ParameterSpec("repository", .text, default: .text(d.repository), doc: "site name of the remote video repository"),
        ParameterSpec("download_buffer", .size, default: .size(d.downloadBuffer), minimum: 4096, doc: "socket buffer of the download"),
        ParameterSpec("loop", .bool, default: .bool(d.loop), doc: "start over after the last video"),
        ParameterSpec("overlap_fetch", .bool, default: .bool(d.overlapFetch), doc: "fetch the next video while earlier ones are transcoded"),
        ]
    }()
    static let traceSchema: ParameterSchema = [
        ParameterSpec("file", .path, required: true, doc: "block trace CSV (BlockTrace), relative to the scenario file"),
        ParameterSpec("time_scale", .number, default: .number(1), minimum: 1e-6, maximum: 1e6, doc: "factor on the trace's timestamps"),
    ]
    static let diurnalSchema: ParameterSchema = [
        ParameterSpec("mean", .rate, required: true, doc: "mean write rate over the period"),
        ParameterSpec("peak_ratio", .number, default: .number(3), minimum: 1, maximum: DiurnalProfile.maxPeakRatio, doc: "peak rate over the mean"),
        ParameterSpec("period", .duration, default: .duration(.seconds(86_400 as Int64)), minimum: 0, excluding: true, doc: "length of the cycle"),
        ParameterSpec("phase", .duration, default: .duration(.seconds(14 * 3600 as Int64)), doc: "the peak's instant in the period"),
        ParameterSpec("steps", .duration, default: .duration(.minutes(5)), minimum: 1, doc: "length of a constant-rate step (at most the period)"),
        writeSize(64 * ByteUnits.KiB), placement(.random),
        ParameterSpec("arrivals", .choice([DiurnalArrivals.constant.rawValue, DiurnalArrivals.poisson.rawValue]), default: .text("constant"),
                      doc: "constant (evenly spaced) or poisson (DiurnalGenerator)"),
    ]

    /// The built-in kinds, in `WorkloadConfig.typeNames` order.
    static var builtInKinds: [WorkloadKindPlugin] {
        [
            WorkloadKindPlugin(type: "constant", summary: "writes of write_size at a constant rate", schema: constantSchema) { p, _ in
                WorkloadConfig.constantRate(bytesPerSecond: p.rate("rate")! / 8, writeSize: p.size("write_size")!,
                                            placement: WritePlacement(rawValue: p.text("placement")!)!)
            },
            WorkloadKindPlugin(type: "on-off", summary: "bursts at rate for on, idle for off", schema: onOffSchema) { p, _ in
                WorkloadConfig.onOff(bytesPerSecond: p.rate("rate")! / 8, onDuration: p.duration("on")!, offDuration: p.duration("off")!,
                                     writeSize: p.size("write_size")!, placement: WritePlacement(rawValue: p.text("placement")!)!)
            },
            WorkloadKindPlugin(type: "poisson", summary: "Poisson arrivals with sizes from a distribution", schema: poissonSchema) { p, _ in
                WorkloadConfig.poisson(writesPerSecond: p.number("writes_per_second")!, size: p.distribution("size")!,
                                       placement: WritePlacement(rawValue: p.text("placement")!)!)
            },
            WorkloadKindPlugin(type: "video-transcoder", summary: "the paper's transcoder (§7.2): fetch, store, transcode, store",
                               schema: videoTranscoderSchema) { p, m in try videoTranscoder(p, m) },
            WorkloadKindPlugin(type: "trace", summary: "replay of a block trace (CSV)", schema: traceSchema) { p, m in try trace(p, m) },
            WorkloadKindPlugin(type: "diurnal", summary: "a daily profile of rate steps (DiurnalProfile)", schema: diurnalSchema) { p, m in
                try diurnal(p, m)
            },
        ]
    }

    static func videoTranscoder(_ p: ParameterValues, _ m: ConfigMapping) throws -> WorkloadConfig {
        var c = VideoTranscoderConfig()
        c.videos = Int(p.number("videos")!)
        (c.minVideoSize, c.maxVideoSize) = p.sizeInterval("video_size")!
        try m.check(c.minVideoSize > 0, "video_size", "video_size needs 0 < min <= max")
        c.transcodeBytesPerSecond = p.rate("transcode_rate")! / 8
        c.outputRatio = p.number("output_ratio")!
        c.writeSize = p.size("write_size")!
        c.repository = p.text("repository")!
        c.downloadBuffer = p.size("download_buffer")!
        c.loop = p.bool("loop")!
        c.overlapFetch = p.bool("overlap_fetch")!
        return .videoTranscoder(c)
    }

    static func diurnal(_ p: ParameterValues, _ m: ConfigMapping) throws -> WorkloadConfig {
        let period = p.duration("period")!, steps = p.duration("steps")!
        try m.check(steps <= period, "steps", "steps must be between 1s and the period")
        return .diurnal(DiurnalProfile(mean: p.rate("mean")! / 8, peakRatio: p.number("peak_ratio")!, period: period,
                                       phase: p.duration("phase")!, step: steps),
                        writeSize: p.size("write_size")!, placement: WritePlacement(rawValue: p.text("placement")!)!,
                        arrivals: DiurnalArrivals(rawValue: p.text("arrivals")!)!)
    }

    static func trace(_ p: ParameterValues, _ m: ConfigMapping) throws -> WorkloadConfig {
        let trace: BlockTrace
        do throws(BlockTraceError) { trace = try BlockTrace.load(path: p.path("file")!) } catch {
            throw m.error("file", .invalidValue, error.description)
        }
        return .traceReplay(trace, timeScale: p.number("time_scale")!)
    }
}
