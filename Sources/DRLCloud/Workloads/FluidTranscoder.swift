import DRLSimCore

/// The paper's video transcoder (`VideoTranscoder`, section 7.2) as a rate process over a fluid
/// DRBD device (`wan.model: flow`, issue 16 items 1 and 6): the same videos (sizes drawn from the
/// same stream `workload.<vm>`, in the same order), the same two phases per video, but each
/// phase is a constant write *demand* whose end depends on what the device accepts, so the run
/// has events per phase and per rate change instead of per 1 MiB write.
///
/// Phases (one video at a time, `overlapFetch` false, as the default transcoder):
/// - **store** the downloaded video (S bytes): the packet transcoder writes what the download
///   delivered in `writeSize` pieces, `queueDepth` at a time, each through the volume's disk
///   (`LocalBlockDevice`, a FIFO server at the tier's write rate), while the download keeps
///   its 4 MiB buffer full. The repository sits on the primary's LAN (`WANTransfer`: a source
///   that is not a site), 10 Gbit/s by default, faster than the volume disk, so the demand is
///   the disk's write rate d (`downloadRate` caps it when given).
/// - **transcode** (outputRatio × S bytes): one piece at a time, the piece's input transcoded
///   in `input / transcodeRate` seconds, then written (one disk service, `writeSize / d`),
///   then the next piece: demand = writeSize / (writeSize / (outputRatio × transcodeRate) +
///   writeSize / d) (the packet writer's cycle, `VideoTranscoder.transcodePiece`).
///
/// A phase ends when the device has accepted its bytes: A(t) = ∫ a (a = the device's accepted
/// rate, `FluidDRBD` throttles the writer to the drain rate at a full send buffer under
/// on-congestion block). APPROXIMATION (documented in Docs/flow-model.md): the per-write
/// sequence is replaced by its mean rate; a throttled transcode piece in the packet model
/// waits for buffer space after its transcoding time, i.e. its cycle is max(piece time + disk,
/// writeSize / r), which the fluid min(demand, r) reproduces; the last, partial piece of a
/// video is written at the same mean rate. The VM's speed and pauses (VM snapshots) are not
/// applied: the replication policy this runs under takes no VM snapshots. Write latencies are
/// not modelled (NaN in `writes.csv`, as for every rate writer).
public final class FluidTranscoder: Workload {
    /// The phases of one video.
    public enum Phase: Equatable, Sendable {
        /// Not started, or stopped.
        case idle
        /// Storing the downloaded video (bytes of the phase).
        case store(Double)
        /// Writing the transcoded output (bytes of the phase).
        case transcode(Double)
    }

    public var name: String { writer.name }
    /// The transcoder's parameters.
    public let config: VideoTranscoderConfig
    /// The rows and the device (its `schedule` is unused: this type sets the rate).
    public let writer: RateWriter
    /// Write demand while storing a download (B/s).
    public let storeRate: Double
    /// Write demand while transcoding (B/s).
    public let transcodeRate: Double
    /// The current phase.
    public private(set) var phase: Phase = .idle
    /// Bytes of the current phase the device accepted so far.
    public private(set) var phaseDone = 0.0
    /// Videos fully stored.
    public private(set) var videosStored = 0
    /// Videos transcoded.
    public private(set) var videosTranscoded = 0
    /// Sizes of the videos drawn so far.
    public private(set) var videoSizes: [Int64] = []
    /// Phase changes and rate changes handled.
    public private(set) var events = 0

    let sim: Simulator
    let stream: RandomStream
    var videoIndex = 0
    var since: SimInstant
    var rate = 0.0
    var end: EventID?
    var stopped = false

    /// A transcoder writing `device` through `writer`; `diskWriteRate` is the volume disk's
    /// write rate (B/s), `downloadRate` the repository path's payload rate (nil: faster than the disk).
    public init(config: VideoTranscoderConfig, sim: Simulator, stream: RandomStream, writer: RateWriter,
                diskWriteRate: Double, downloadRate: Double? = nil) {
        self.config = config
        self.sim = sim
        self.stream = stream
        self.writer = writer
        self.since = sim.now
        let rates = Self.demands(config: config, diskWriteRate: diskWriteRate, downloadRate: downloadRate)
        self.storeRate = rates.store
        self.transcodeRate = rates.transcode
        let inner = writer.device.onWriterRate
        writer.device.onWriterRate = { [unowned self] w, a in
            inner?(w, a)
            self.accepted(rate: a)
        }
    }

    /// The two demands (B/s) for the packet transcoder's parameters (see the type's doc).
    public static func demands(config: VideoTranscoderConfig, diskWriteRate d: Double, downloadRate: Double?) -> (store: Double, transcode: Double) {
        let store = Swift.min(d, downloadRate ?? .infinity)
        let piece = Double(config.writeSize)
        let cycle = piece / (config.outputRatio * config.transcodeBytesPerSecond) + piece / d
        return (store, piece / cycle)
    }

    public func start(at time: SimInstant?) {
        sim.schedule(at: time ?? sim.now) { [unowned self] _ in
            guard !self.stopped else { return }
            self.since = self.sim.now
            self.nextVideo()
        }
    }

    public func stop() {
        guard !stopped else { return }
        account()
        stopped = true
        phase = .idle
        if let e = end { sim.cancel(e); end = nil }
        writer.stop()
    }

    public var issuedBytes: Int64 { writer.issuedBytes }
    public var completedBytes: Int64 { writer.completedBytes }

    /// Draws the next video (`VideoTranscoder.nextVideo`'s draw) and starts storing it.
    func nextVideo() {
        if videoIndex >= config.videos {
            guard config.loop else { enter(.idle); return }
            videoIndex = 0
        }
        videoIndex += 1
        let span = Double(config.maxVideoSize - config.minVideoSize)
        let size = config.minVideoSize + Int64((stream.uniform() * span).rounded())
        videoSizes.append(size)
        enter(.store(Double(size)))
    }

    /// Starts `p`: the device's demand, then the end instant at the rate it accepts.
    func enter(_ p: Phase) {
        events += 1
        phase = p
        phaseDone = 0
        since = sim.now
        switch p {
        case .idle: writer.device.setWriteRate(0)
        case .store: writer.device.setWriteRate(storeRate)
        case .transcode: writer.device.setWriteRate(transcodeRate)
        }
        rate = writer.device.acceptedRate
        reschedule()
    }

    /// The device's accepted rate changed (throttling began or ended, the send buffer drained).
    func accepted(rate a: Double) {
        guard !stopped, phase != .idle else { return }
        account()
        events += 1
        rate = a
        reschedule()
    }

    func account() {
        let now = sim.now
        if now > since { phaseDone += rate * (now - since).seconds; since = now }
    }

    var phaseBytes: Double {
        switch phase {
        case .idle: return 0
        case .store(let b), .transcode(let b): return b
        }
    }

    func reschedule() {
        if let e = end { sim.cancel(e); end = nil }
        guard phase != .idle, rate > 0 else { return }
        let left = Swift.max(0, phaseBytes - phaseDone)
        let dt = SimDuration.nanoseconds(Swift.max(1, Int64((left / rate * 1e9).rounded(.up))))
        end = sim.schedule(after: dt) { [unowned self] _ in
            self.end = nil
            self.account()
            self.phaseEnded()
        }
    }

    func phaseEnded() {
        guard !stopped else { return }
        switch phase {
        case .idle: return
        case .store(let s):
            videosStored += 1
            // Saturating as the packet transcoder (an absurd output_ratio is cut at 2^62 bytes).
            enter(.transcode(Swift.max(1, Swift.min(s * config.outputRatio, 0x1p62))))
        case .transcode:
            videosTranscoded += 1
            nextVideo()
        }
    }
}
