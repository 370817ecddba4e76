import DRLSimCore

/// The built-in write workload kinds (a `WriteWorkload` each; other kinds conform to the
/// protocol themselves) as a scenario's `writes: { type: ... }` describes them.
///
/// Every workload draws from its own stream `workload.<vm>` (RunContext.stream). Rates are
/// bytes per second; sizes bytes. `queueDepth` is the number of writes the application keeps
/// outstanding: the workload is closed loop, so when the device completes writes late (DRBD
/// blocking on a full send buffer, a snapshot slowing the VM) the application slows down.
public enum WorkloadConfig: Hashable, Sendable {
    /// Writes of `writeSize` bytes at a constant `bytesPerSecond`.
    case constantRate(bytesPerSecond: Double, writeSize: Int64 = ByteUnits.MiB,
                      placement: WritePlacement = .sequential)
    /// Alternating bursts: `onDuration` at `bytesPerSecond`, then `offDuration` idle.
    case onOff(bytesPerSecond: Double, onDuration: SimDuration, offDuration: SimDuration,
               writeSize: Int64 = ByteUnits.MiB, placement: WritePlacement = .sequential)
    /// Poisson arrivals (`writesPerSecond`) with sizes drawn from `size` (bytes, rounded up to 4 KiB).
    case poisson(writesPerSecond: Double, size: Distribution, placement: WritePlacement = .random)
    /// The paper's video transcoder (section 7.2).
    case videoTranscoder(VideoTranscoderConfig)
    /// Replay of a block trace (see `BlockTrace`).
    case traceReplay(BlockTrace, timeScale: Double = 1)
    /// A daily profile (`DiurnalProfile`): writes of `writeSize` whose rate follows the
    /// profile's steps, evenly spaced (`arrivals: constant`) or Poisson (`arrivals: poisson`).
    case diurnal(DiurnalProfile, writeSize: Int64 = 64 * ByteUnits.KiB, placement: WritePlacement = .random,
                 arrivals: DiurnalArrivals = .constant)

    /// The built-in kinds' `type:` names, in documentation order (the scenario layer registers
    /// one `WorkloadKindPlugin` each; `Plugins.workloads` may add more).
    public static let typeNames = ["constant", "on-off", "poisson", "video-transcoder", "trace", "diurnal"]

    /// The scenario `type:` string of this workload.
    public var typeName: String {
        switch self {
        case .constantRate: return "constant"
        case .onOff: return "on-off"
        case .poisson: return "poisson"
        case .videoTranscoder: return "video-transcoder"
        case .traceReplay: return "trace"
        case .diurnal: return "diurnal"
        }
    }
}

/// The paper's transcoder (section 7.2): it fetches `videos` videos of `videoSize` bytes from a
/// remote repository over the application's network path, stores them in its volume, transcodes
/// them and stores the outputs in the volume.
///
/// Defaults: 50 videos of 20-100 MB (uniform), as in the paper. The transcoding rate and output
/// ratio are not given by the paper: 20 MB/s of input per VM (a few x264 fast-preset 720p
/// streams on the 12-core E5-2620 hosts) and outputs half the input size are assumptions;
/// both are parameters.
public struct VideoTranscoderConfig: Hashable, Sendable {
    /// Number of videos fetched.
    public var videos: Int = 50
    /// Smallest video (bytes, SI: 20 MB).
    public var minVideoSize: Int64 = 20 * ByteUnits.MB
    /// Largest video (bytes, 100 MB).
    public var maxVideoSize: Int64 = 100 * ByteUnits.MB
    /// Input bytes transcoded per second.
    public var transcodeBytesPerSecond: Double = 20e6
    /// Output size as a fraction of the input.
    public var outputRatio: Double = 0.5
    /// Size of the volume writes the transcoder issues.
    public var writeSize: Int64 = ByteUnits.MiB
    /// Site name of the remote video repository (WAN endpoint).
    public var repository: String = "repository"
    /// Socket buffer of the download.
    public var downloadBuffer: Int64 = 4 * ByteUnits.MiB
    /// Start over with the first video after the last one (keeps writing for the whole run).
    public var loop: Bool = true
    /// Fetch the next video while earlier ones are transcoded. Default false: the paper
    /// describes one video at a time (fetch, store, transcode, store the output), which also
    /// keeps the write rate bounded by the repository path and the transcoding speed.
    public var overlapFetch: Bool = false

    /// The defaults above.
    public init() {}
}
