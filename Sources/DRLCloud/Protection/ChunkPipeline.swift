import DRLSimCore
import DRLNetwork

/// One chunk of a pipeline: how long producing it takes (read, compress) and its object size.
public struct ChunkPlan: Hashable, Sendable {
    /// Production time (disk read + compression).
    public var produce: SimDuration
    /// Bytes of the resulting object (after compression).
    public var objectBytes: Int64
}

/// A producer/uploader pipeline: chunks are produced one after another, uploaded in order over
/// one transfer channel, and each object is stored once its last byte arrived.
///
/// `depth` = 0 is strictly serial, as cinder-backup 2015.1 (Kilo) runs
/// `cinder/backup/chunkeddriver.py` `ChunkedBackupDriver.backup`: one green thread reads a
/// chunk, sha256-hashes its 32 KiB blocks, and `_backup_chunk` compresses and PUTs it (the PUT
/// returns once the object is stored); only then is the next chunk read. Nothing overlaps.
///
/// `depth` >= 1 is the pipelined option (newer drivers, issue 4): at most `depth` chunks are
/// produced but not yet uploading, so chunks upload while later ones are produced. Used for
/// the DR engine's image uploads (Dragon's `image_copy`), which stream a file already read.
final class ChunkPipeline {
    let sim: Simulator
    let chunks: [ChunkPlan]
    let depth: Int
    let channel: TransferChannel
    /// Called when chunk `i` is stored (its last byte arrived).
    @exclusivity(unchecked) var onChunkStored: ((Int) -> Void)?
    /// Called once every chunk was stored.
    @exclusivity(unchecked) var onDone: (() -> Void)?
    /// Called once every chunk was produced.
    @exclusivity(unchecked) var onProduced: (() -> Void)?

    @exclusivity(unchecked) var produced = 0          // chunks fully produced
    @exclusivity(unchecked) var producing = false
    @exclusivity(unchecked) var uploadIndex = 0       // next chunk to offer
    @exclusivity(unchecked) var uploadRemaining: Int64 = 0
    @exclusivity(unchecked) var chunkEnds: [Int64] = [] // stream end of each offered chunk
    @exclusivity(unchecked) var stored = 0
    @exclusivity(unchecked) var offered: Int64 = 0
    @exclusivity(unchecked) var timer: EventID?
    @exclusivity(unchecked) var aborted = false
    /// The backup's Swift proxy: an object is stored once its replicas are written (nil: when
    /// its last byte arrived).
    @exclusivity(unchecked) var proxy: SwiftProxy?
    @exclusivity(unchecked) private var accounted: Int64 = 0   // bytes handed to the proxy
    @exclusivity(unchecked) private var arrivedChunks = 0      // chunks whose last byte arrived

    init(sim: Simulator, chunks: [ChunkPlan], depth: Int, channel: TransferChannel) {
        self.sim = sim
        self.chunks = chunks
        self.depth = Swift.max(0, depth)
        self.channel = channel
    }

    /// Bytes delivered to the store so far.
    var deliveredBytes: Int64 { channel.deliveredBytes }
    /// Total object bytes.
    var totalBytes: Int64 { chunks.reduce(0) { $0 + $1.objectBytes } }

    func start() {
        channel.onSpace = { [weak self] in self?.pumpUpload() }
        channel.onDelivered = { [weak self] total in self?.delivered(total) }
        if chunks.isEmpty {
            sim.schedule(after: .zero) { [self] _ in self.onProduced?(); self.onDone?() }
            return
        }
        produceNext()
    }

    func abort() {
        aborted = true
        if let t = timer { sim.cancel(t); timer = nil }
        channel.abort()
    }

    private func produceNext() {
        guard !aborted, !producing, produced < chunks.count else { return }
        if depth == 0 { guard stored == produced else { return } } // serial: the previous PUT returned
        else { guard produced - uploadIndex < depth else { return } }
        producing = true
        timer = sim.schedule(after: chunks[produced].produce) { [self] _ in
            self.timer = nil
            self.producing = false
            self.produced += 1
            if self.produced == self.chunks.count { self.onProduced?() }
            self.pumpUpload()
            self.produceNext()
        }
    }

    private func pumpUpload() {
        guard !aborted else { return }
        while true {
            if uploadRemaining == 0 {
                guard uploadIndex < produced else { break }
                uploadRemaining = chunks[uploadIndex].objectBytes
                offered += uploadRemaining
                chunkEnds.append(offered)
                uploadIndex += 1
                produceNext()
                if uploadRemaining == 0 { continue }
            }
            let n = channel.offer(uploadRemaining)
            if n == 0 { break }
            uploadRemaining -= n
        }
        arrive(channel.deliveredBytes)
    }

    private func delivered(_ total: Int64) { arrive(total) }

    private func arrive(_ total: Int64) {
        guard !aborted else { return }
        while arrivedChunks < chunkEnds.count, chunkEnds[arrivedChunks] <= total {
            let end = chunkEnds[arrivedChunks]
            arrivedChunks += 1
            if let proxy {
                proxy.receive(end - accounted) { [weak self] in self?.storeNext() }
                accounted = end
            } else {
                storeNext()
            }
        }
        if let proxy, total > accounted {
            proxy.receive(total - accounted, objectComplete: nil)
            accounted = total
        }
    }

    private func storeNext() {
        guard !aborted else { return }
        stored += 1
        onChunkStored?(stored - 1)
        if depth == 0 { produceNext() }
        if stored == chunks.count, !aborted {
            aborted = true // done: ignore further callbacks
            onDone?()
        }
    }
}
