import DRLSimCore

/// Protection data paths over a `FluidLink`: an analytic stand-in for DRLCloud + DRLNetwork.
///
/// Time is modelled honestly but coarsely: a job first prepares its data locally (VM snapshot
/// or volume clone at a rate), then uploads its bytes over the fluid WAN, where concurrent jobs
/// share the capacity. Image copies are sent once per checksum by default (`imageCopyOnce`, a
/// simplification of this stand-in: Dragon re-sends the image at every action, which DRLCloud
/// models; Docs/openstack-model.md). DRBD
/// replicas trail the primary by a fixed lag (protocol A below capacity: send buffer drain plus
/// RTT, drbd-and-tc.md) and freeze when the WAN is blocked. Writes follow `WriteProfile`s.
public final class FluidDataPaths: ProtectionDataPaths {
    /// Settings.
    public struct Config: Sendable, Hashable {
        /// VM snapshot creation rate on the primary, bytes/s: 200 MB/s (SSD, estimate).
        public var snapshotCreateRate: Double = 200e6
        /// Volume clone rate on the primary, bytes/s: 400 MB/s (LVM copy on SSD, estimate).
        public var cloneRate: Double = 400e6
        /// Compression ratio of volume backups (1 = off).
        public var compressionRatio: Double = 1
        /// Volume snapshots send only the bytes written since the previous one (cinder-backup
        /// incremental); the first is full.
        public var incrementalVolumeSnapshots = false
        /// Store each image checksum once (false: re-send at every execution).
        public var imageCopyOnce = true
        /// Fixed cost of a metadata-only step (Swift PUT, DRBD status): 0.1 s.
        public var metadataLatency: SimDuration = .milliseconds(100)
        /// DRBD replica lag behind the primary: 50 ms.
        public var replicationLag: SimDuration = .milliseconds(50)
        /// Defaults.
        public init() {}
    }
    /// The primary -> backup link.
    public let link: FluidLink
    /// The backup -> primary link (failback).
    public let reverse: FluidLink
    /// Settings.
    public var config: Config
    private let sim: Simulator
    private var writes: [ResourceID: WriteProfile] = [:]
    private var storedChecksums: Set<String> = []
    private var lastPoint: [ResourceID: SimInstant] = [:]
    private var jobs: [Int: (flow: Int?, prep: EventID?, job: DataPathJob, completion: (DataPathOutcome) -> Void)] = [:]
    private var nextHandle = 0
    private var blockedAt: SimInstant?
    /// Containers deleted by cleanup, in order.
    public private(set) var deletedContainers: [String] = []
    /// Pause/resume calls (vm, paused, instant), in order.
    public private(set) var pauseLog: [(vm: ResourceID, paused: Bool, at: SimInstant)] = []

    /// Data paths over links of `capacity` bits/s each way.
    public init(sim: Simulator, capacity: Double, config: Config = Config()) {
        self.sim = sim; self.config = config
        link = FluidLink(sim: sim, capacity: capacity)
        reverse = FluidLink(sim: sim, capacity: capacity)
    }

    /// Sets the write profile of `resource`.
    public func setWrites(_ resource: ResourceID, _ profile: WriteProfile) { writes[resource] = profile }

    /// Blocks the WAN (both ways): uploads fail, replicas freeze.
    public func blockWAN() {
        if blockedAt == nil { blockedAt = sim.now }
        for id in jobs.keys.sorted() { if let p = jobs[id]?.prep { sim.cancel(p); fail(id, "wan blocked") } }
        link.block(); reverse.block()
    }

    /// Starts `job`; `completion` runs once when it ends.
    public func start(_ job: DataPathJob, completion: @escaping (DataPathOutcome) -> Void) -> DataPathHandle {
        let h = nextHandle; nextHandle += 1
        let now = sim.now
        jobs[h] = (nil, nil, job, completion)
        var bytes = job.bytes
        var prep = SimDuration.zero
        switch job.kind {
        case .vmSnapshot:
            prep = .transmission(bytes: job.bytes, bitsPerSecond: config.snapshotCreateRate * 8)
        case .volumeSnapshot:
            prep = .transmission(bytes: job.bytes, bitsPerSecond: config.cloneRate * 8)
            if config.incrementalVolumeSnapshots, let last = lastPoint[job.resource] {
                bytes = min(job.bytes, bytesWritten(to: job.resource, by: now) - bytesWritten(to: job.resource, by: last))
            }
            bytes = Int64((Double(bytes) / config.compressionRatio).rounded())
        case .imageCopy:
            if config.imageCopyOnce, let c = job.checksum, storedChecksums.contains(c) { bytes = 0 }
        case .volumeReplication, .metadata:
            prep = config.metadataLatency
            if job.kind == .volumeReplication { bytes = 0 }
        case .failbackSync:
            break
        }
        let point = job.kind == .volumeReplication ? now - config.replicationLag : now
        let upload: () -> Void = { [weak self] in
            guard let self else { return }
            let l = job.kind == .failbackSync ? self.reverse : self.link
            let f = l.send(bytes, trafficClass: job.trafficClass) { [weak self] ok, sent in
                guard let self, let j = self.jobs.removeValue(forKey: h) else { return }
                if ok {
                    if job.kind == .imageCopy, let c = job.checksum { self.storedChecksums.insert(c) }
                    if job.kind == .volumeSnapshot { self.lastPoint[job.resource] = point }
                    j.completion(.completed(bytes: sent, pointInTime: point))
                } else {
                    j.completion(.aborted(bytes: sent, reason: "wan blocked"))
                }
            }
            if self.jobs[h] != nil { self.jobs[h]?.flow = f }
        }
        if prep > .zero {
            let e = sim.schedule(after: prep) { [weak self] _ in self?.jobs[h]?.prep = nil; upload() }
            jobs[h]?.prep = e
        } else {
            upload()
        }
        return DataPathHandle(h)
    }

    private func fail(_ h: Int, _ reason: String) {
        guard let j = jobs.removeValue(forKey: h) else { return }
        j.completion(.aborted(bytes: 0, reason: reason))
    }

    /// Aborts a running job.
    public func abort(_ handle: DataPathHandle) {
        guard let j = jobs[handle.raw] else { return }
        if let p = j.prep { sim.cancel(p); fail(handle.raw, "aborted") }
        else if let f = j.flow { (j.job.kind == .failbackSync ? reverse : link).abort(f) }
    }

    /// The backup-site state of a DRBD volume's replica.
    public func replicaState(of volume: ResourceID, at instant: SimInstant) -> ReplicaState {
        let frozen = blockedAt.map { min($0, instant) } ?? instant
        let point = frozen - config.replicationLag
        let p = point < .zero ? SimInstant.zero : point
        return ReplicaState(consistent: true, recoveryPoint: p,
                            lostBytes: bytesWritten(to: volume, by: instant) - bytesWritten(to: volume, by: p))
    }

    /// Cumulative bytes written to `resource` up to `instant`.
    public func bytesWritten(to resource: ResourceID, by instant: SimInstant) -> Int64 {
        writes[resource]?.bytesWritten(by: instant) ?? 0
    }

    /// Deletes an execution container (cleanup).
    public func deleteContainer(_ name: String) { deletedContainers.append(name) }

    /// Pauses or resumes a VM (consistent mode).
    public func setPaused(_ vm: ResourceID, _ paused: Bool) { pauseLog.append((vm, paused, sim.now)) }
}

extension FluidDataPaths: DisasterTargets {
    /// Blocks the WAN when the disaster does, and fails running jobs when every host goes off.
    public func apply(_ event: DisasterEvent) {
        if event.spec.blocksWAN || event.spec.hostsOff == .all { blockWAN() }
    }
    /// Unblocks both directions (the primary operates again).
    public func restore(at instant: SimInstant) { link.unblock(); reverse.unblock() }
}
