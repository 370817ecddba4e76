import DRLSimCore
import DRLNetwork
import DequeModule

/// The paper's video transcoder (section 7.2): downloads videos from a remote repository over
/// the application's path (traffic class `application`), stores each in the volume as it
/// arrives, transcodes stored videos one at a time at `transcodeBytesPerSecond` (scaled by
/// the VM's speed) and writes the outputs to the volume.
///
/// By default one video at a time: fetch, store, transcode, store the output, next video
/// (`overlapFetch` fetches the next video during transcoding). The download's receive side is
/// bounded by `downloadBuffer`: when the volume writes lag (DRBD blocking), the download stalls.
public final class VideoTranscoder: Workload {
    /// The VM's name.
    public let name: String
    /// Configuration.
    public let config: VideoTranscoderConfig
    /// Bytes issued to the volume.
    @exclusivity(unchecked) public private(set) var issuedBytes: Int64 = 0
    /// Bytes whose volume write completed.
    @exclusivity(unchecked) public private(set) var completedBytes: Int64 = 0
    /// Video bytes downloaded.
    @exclusivity(unchecked) public private(set) var downloadedBytes: Int64 = 0
    /// Videos fully stored.
    @exclusivity(unchecked) public private(set) var videosStored = 0
    /// Videos transcoded.
    @exclusivity(unchecked) public private(set) var videosTranscoded = 0
    /// Sizes of the videos drawn so far.
    @exclusivity(unchecked) public private(set) var videoSizes: [Int64] = []
    /// Where the write's requested/issued/completed instants go (`writes` table), if anywhere.
    @exclusivity(unchecked) public var writeSink: WriteMonitor.Sink?

    let sim: Simulator
    let stream: RandomStream
    let vm: VirtualMachine
    let device: BlockDevice
    let network: TransferNetwork
    let site: String
    let queueDepth: Int
    @exclusivity(unchecked) var channel: TransferChannel?
    @exclusivity(unchecked) var stopped = false
    @exclusivity(unchecked) var cursor: Int64 = 0
    // download state
    @exclusivity(unchecked) var videoIndex = 0
    @exclusivity(unchecked) var currentVideoLeft: Int64 = 0     // bytes of the current video not yet offered
    @exclusivity(unchecked) var videoEnds = Deque<(end: Int64, size: Int64)>()   // download stream end of each video
    @exclusivity(unchecked) var offered: Int64 = 0
    @exclusivity(unchecked) var splitEnds = Deque<Int64>()      // video ends still to split writes at
    @exclusivity(unchecked) var received: Int64 = 0             // delivered bytes not yet turned into writes
    @exclusivity(unchecked) var writtenFromDownload: Int64 = 0
    @exclusivity(unchecked) var storedDownload: Int64 = 0
    // transcoding
    @exclusivity(unchecked) var toTranscode = Deque<Int64>()
    @exclusivity(unchecked) var transcodeLeft: Int64 = 0
    @exclusivity(unchecked) var transcodeTimer: EventID?
    // writer
    @exclusivity(unchecked) var writeQueue = Deque<(BlockWrite, Bool, SimInstant)>()  // (write, fromDownload, requested)
    @exclusivity(unchecked) var outstanding = 0

    init(config: VideoTranscoderConfig, sim: Simulator, stream: RandomStream, vm: VirtualMachine, device: BlockDevice,
         network: TransferNetwork, site: String, queueDepth: Int) {
        self.name = vm.name
        self.config = config
        self.sim = sim
        self.stream = stream
        self.vm = vm
        self.device = device
        self.network = network
        self.site = site
        self.queueDepth = Swift.max(1, queueDepth)
    }

    public func start(at time: SimInstant?) {
        sim.schedule(at: time ?? sim.now) { [self] _ in
            let ch = self.network.openChannel(from: self.config.repository, to: self.site,
                                              trafficClass: TrafficClassName.application,
                                              sendBuffer: self.config.downloadBuffer)
            ch.onSpace = { [weak self] in self?.pumpDownload() }
            ch.onDelivered = { [weak self] total in self?.arrived(total) }
            self.channel = ch
            self.nextVideo()
            self.pumpDownload()
        }
    }

    public func stop() {
        stopped = true
        channel?.abort()
        if let t = transcodeTimer { sim.cancel(t) }
    }

    private func nextVideo() {
        guard currentVideoLeft == 0 else { return }
        if videoIndex >= config.videos {
            guard config.loop else { return }
            videoIndex = 0
        }
        videoIndex += 1
        let span = Double(config.maxVideoSize - config.minVideoSize)
        let size = config.minVideoSize + Int64((stream.uniform() * span).rounded())
        videoSizes.append(size)
        currentVideoLeft = size
        videoEnds.append((offered + size, size))
        splitEnds.append(offered + size)
    }

    private func pumpDownload() {
        guard let ch = channel, !stopped else { return }
        while currentVideoLeft > 0 {
            // receive window: what arrived but is not yet on disk is bounded by the download buffer
            let window = config.downloadBuffer - (ch.deliveredBytes - storedDownload)
            let inNet = ch.acceptedBytes - ch.deliveredBytes
            let room = window - inNet
            guard room > 0 else { break }
            let n = ch.offer(Swift.min(currentVideoLeft, room))
            if n == 0 { break }
            currentVideoLeft -= n
            offered += n
            if currentVideoLeft == 0, config.overlapFetch { nextVideo() }
        }
    }

    private func arrived(_ total: Int64) {
        guard !stopped else { return }
        received += total - downloadedBytes
        downloadedBytes = total
        while received > 0 {
            let toEnd = splitEnds.first.map { $0 - writtenFromDownload } ?? Int64.max
            let n = Swift.min(received, config.writeSize, toEnd)
            if n < config.writeSize && n < toEnd { break } // a partial piece: wait for more
            received -= n
            enqueueWrite(n, fromDownload: true)
            if let e = splitEnds.first, writtenFromDownload >= e { splitEnds.removeFirst() }
        }
    }

    private func enqueueWrite(_ length: Int64, fromDownload: Bool, requested: SimInstant? = nil) {
        let len = Swift.min(length, device.capacity)
        if cursor + len > device.capacity { cursor = 0 }
        let w = BlockWrite(offset: cursor, length: len)
        cursor += len
        if fromDownload { writtenFromDownload += length }
        let req = requested ?? sim.now
        writeSink?.requested(bytes: w.length, at: req)
        writeQueue.append((w, fromDownload, req))
        issueWrites()
    }

    private func issueWrites() {
        while outstanding < queueDepth, !stopped, let (w, fromDownload, requested) = writeQueue.popFirst() {
            outstanding += 1
            issuedBytes += w.length
            let issued = sim.now
            writeSink?.issued(requested: requested, bytes: w.length, at: issued)
            device.submit(w) { [self] done in
                self.writeSink?.completed(bytes: w.length, issued: issued, at: done)
                self.outstanding -= 1
                self.completedBytes += w.length
                if fromDownload { self.downloadWriteDone(w.length) }
                else { self.transcodeWriteDone() }
                self.issueWrites()
            }
        }
    }

    private func downloadWriteDone(_ n: Int64) {
        storedDownload += n
        while let v = videoEnds.first, storedDownload >= v.end {
            videoEnds.removeFirst()
            videosStored += 1
            toTranscode.append(v.size)
            startTranscode()
        }
        pumpDownload()
    }

    private func startTranscode() {
        guard transcodeLeft == 0, transcodeTimer == nil, !stopped, let size = toTranscode.popFirst() else { return }
        // Saturating: an absurd output_ratio must not overflow Int64 (the output is cut at 2^62 bytes).
        let out = Double(size) * config.outputRatio
        transcodeLeft = out.isNaN || out < 1 ? 1 : (out >= 0x1p62 ? 1 << 62 : Int64(out))
        transcodePiece()
    }

    /// Produces the next output piece after the time its input takes to transcode.
    private func transcodePiece() {
        guard !stopped else { return }
        let asked = sim.now
        vm.whenRunning { [self] in
            let piece = Swift.min(self.config.writeSize, self.transcodeLeft)
            let input = Double(piece) / self.config.outputRatio
            let t = SimDuration.seconds(input / (self.config.transcodeBytesPerSecond * Swift.max(self.vm.speed, 1e-9)))
            // At full speed and unpaused the piece would be ready here (WriteMonitor's "requested").
            let nominal = asked + SimDuration.seconds(input / self.config.transcodeBytesPerSecond)
            self.transcodeTimer = self.sim.schedule(after: t) { [self] _ in
                self.transcodeTimer = nil
                self.enqueueWrite(piece, fromDownload: false, requested: nominal)
            }
        }
    }

    private func transcodeWriteDone() {
        transcodeLeft -= Swift.min(transcodeLeft, config.writeSize)
        if transcodeLeft == 0 {
            videosTranscoded += 1
            if !config.overlapFetch { nextVideo(); pumpDownload() }
            startTranscode()
        } else {
            transcodePiece()
        }
    }
}
