import DRLSimCore
import DRLNetwork

extension ProtectionService {
    /// VM snapshot (orbit-software.md §3 "Image Snapshot"), as Nova 2015.1 (Kilo)
    /// `nova/virt/libvirt/driver.py` `LibvirtDriver.snapshot` and Dragon's image action run it:
    ///
    /// 1. local phase on the compute host (`localSnapshotPhases`): cold (default) =
    ///    `managedSave` (guest memory written to the image tier; the guest is stopped, speed 0,
    ///    so its writer pauses) -> `qemu-img convert` flattening base + overlay (read and write
    ///    the flattened disk on the image tier) -> the domain restarted (memory read back; the
    ///    guest runs again). Live = the disk copied and converted while the guest runs at
    ///    `vmSnapshotSpeed` (`vmSnapshotPause` stops it instead);
    /// 2. nova-compute uploads the image to Glance (`glanceBytesPerSecond`);
    /// 3. Dragon polls the image every `pollInterval` until active, downloads it whole from
    ///    Glance into memory, then PUTs it in 50 MiB objects into the execution container (one
    ///    after the other with `pipelineDepth` 0);
    /// 4. the local snapshot image is deleted (`deleteLocalCopy`).
    ///
    /// The image's size is the flattened disk (`VirtualMachine.snapshotSize`). With
    /// `vmSnapshotStreaming` (a what-if) chunks upload while a live copy is made, no Glance.
    func startVMSnapshot(_ r: ProtectionRun, vm: VirtualMachine, container: SwiftContainer) {
        let size = vm.snapshotSize
        let captured = sim.now
        r.vm = vm
        r.resumeSpeed = vm.speed
        let slowed = { (s: Double) in vm.setSpeed(Swift.min(r.resumeSpeed, s)) }
        let resume = { vm.setSpeed(r.resumeSpeed); r.vm = nil }
        let upload = { [unowned self] (plan: [ChunkPlan], depth: Int) in
            self.putChunks(r, plan, step: "swift-put", trafficClass: TrafficClassName.snapshot, depth: depth,
                           object: { "\(vm.name)/snapshot/\(String($0))" }, into: container) { [unowned self] in
                self.step(r, "delete", from: self.sim.now, self.config.deleteLocalCopy)
                r.timer = self.sim.schedule(after: self.config.deleteLocalCopy) { [unowned self] _ in
                    self.vault.addItem(ContainerItem(resource: vm.name, action: ProtectionActionName.vmSnapshot.rawValue,
                                                     capturedAt: captured, bytes: size, restoreSize: size), to: container)
                    self.finish(r, status: .completed)
                }
            }
        }
        let chunks = chunkPlan(size: size, readRate: primary.config.imageDisk.readBytesPerSecond)
        if config.vmSnapshotStreaming {
            // what-if: the image is read at disk speed while chunks upload, no Glance round trip
            var plan = chunks
            if !plan.isEmpty { plan[0].produce += config.vmSnapshotOverhead }
            let createTime = config.vmSnapshotOverhead + .transmission(bytes: size, bitsPerSecond: primary.config.imageDisk.readBytesPerSecond * 8)
            slowed(config.vmSnapshotPause ? 0 : config.vmSnapshotSpeed)
            step(r, "disk-copy", from: sim.now, createTime)
            r.timer = sim.schedule(after: createTime) { _ in resume() }
            upload(plan, Int.max / 2)
            return
        }
        let phases = localSnapshotPhases(size: size)
        slowed(config.vmSnapshotMode == .cold || config.vmSnapshotPause ? 0 : config.vmSnapshotSpeed)
        let local = phases.reduce(SimDuration.zero) { $0 + $1.duration }
        var t = sim.now
        for ph in phases where ph.duration > .zero { t = step(r, ph.name, from: t, ph.duration) }
        r.timer = sim.schedule(after: local) { _ in resume() }
        // the image turns active once uploaded to Glance; Dragon sees it at its next status poll
        let seen = polled(local + glanceTransfer(size))
        t = step(r, "glance-upload", from: t, glanceTransfer(size))
        t = step(r, "image-poll", from: t, captured + seen - t)
        step(r, "glance-download", from: t, glanceTransfer(size))
        sim.schedule(after: seen + glanceTransfer(size)) { [weak self] _ in
            guard let self, self.running.contains(where: { $0 === r }) else { return }
            upload(chunks.map { ChunkPlan(produce: .zero, objectBytes: $0.objectBytes) }, self.config.pipelineDepth)
        }
    }

    /// The compute host's part of a VM snapshot of `size` bytes (flattened), in order, with the
    /// guest stopped (cold) or slowed (live) throughout: cold = `managed-save` (memory written),
    /// `qemu-img-convert` (flattened disk read and written), `domain-restore` (memory read);
    /// live = `disk-copy` (the disk read while the guest runs) and `qemu-img-convert`. Every
    /// phase runs on the image tier (`SiteConfig.imageDisk`); `vmSnapshotOverhead` (API calls)
    /// comes first.
    func localSnapshotPhases(size: Int64) -> [(name: String, duration: SimDuration)] {
        let disk = primary.config.imageDisk
        func at(_ bytes: Int64, _ rate: Double) -> SimDuration { .transmission(bytes: bytes, bitsPerSecond: rate * 8) }
        let convert = at(size, disk.readBytesPerSecond) + at(size, disk.writeBytesPerSecond)
        switch config.vmSnapshotMode {
        case .cold:
            return [("overhead", config.vmSnapshotOverhead),
                    ("managed-save", at(config.vmSnapshotMemory, disk.writeBytesPerSecond)),
                    ("qemu-img-convert", convert),
                    ("domain-restore", at(config.vmSnapshotMemory, disk.readBytesPerSecond))]
        case .live:
            return [("overhead", config.vmSnapshotOverhead), ("disk-copy", at(size, disk.readBytesPerSecond)),
                    ("qemu-img-convert", convert)]
        }
    }

    /// One whole-image transfer between the compute host / DR engine and Glance.
    func glanceTransfer(_ bytes: Int64) -> SimDuration {
        .transmission(bytes: bytes, bitsPerSecond: config.glanceBytesPerSecond * 8)
    }

    /// Image copy (orbit-software.md §3 "Image Copy"): Dragon downloads the VM's base image
    /// whole from Glance, then PUTs it in 50 MiB objects named by its checksum into the tenant's
    /// global container, overwriting the previous copy (`imageCopyResend`: every action, no
    /// HEAD/ETag check in Dragon; `once` is a what-if).
    func startImageCopy(_ r: ProtectionRun, vm: VirtualMachine, container: SwiftContainer) {
        let img = vm.image
        let captured = sim.now
        let item = ContainerItem(resource: vm.name, action: ProtectionActionName.imageCopy.rawValue,
                                 capturedAt: captured, bytes: img.size, restoreSize: img.size)
        if config.imageCopyResend == .once, vault.hasImage(tenant: config.tenant, checksum: img.checksum) {
            r.timer = sim.schedule(after: .zero) { [unowned self] _ in
                self.vault.addItem(item, to: container)
                self.finish(r, status: .completed)
            }
            return
        }
        let plan = chunkPlan(size: img.size, readRate: primary.config.imageDisk.readBytesPerSecond)
            .map { ChunkPlan(produce: .zero, objectBytes: $0.objectBytes) }
        step(r, "glance-download", from: sim.now, glanceTransfer(img.size))
        r.timer = sim.schedule(after: glanceTransfer(img.size)) { [unowned self] _ in
            r.timer = nil
            self.putChunks(r, plan, step: "swift-put", trafficClass: TrafficClassName.image, depth: self.config.pipelineDepth,
                           object: nil, into: container) { [unowned self] in
                self.vault.putImage(tenant: self.config.tenant, checksum: img.checksum, bytes: img.size, objects: plan.count)
                self.vault.addItem(item, to: container)
                self.finish(r, status: .completed)
            }
        }
    }

    /// Volume snapshot (orbit-software.md §3 "Volume Snapshot"): clone the volume
    /// (`cloneTime`: Kilo LVM `create_cloned_volume`, copy + zero-fill of the temporary
    /// snapshot), back the clone up with cinder-backup (`backupPlan`, serial by default), delete
    /// the clone. Always a full backup of a fresh clone. The captured state is the volume at the
    /// action's start.
    func startVolumeSnapshot(_ r: ProtectionRun, volume: Volume, container: SwiftContainer) {
        let captured = sim.now
        let allocated = volume.allocated
        // Dragon polls the clone's status every second (`volume_snapshot_action.py`
        // `_replicate_volume_to_DR`): the backup starts at the first poll that sees it available
        let copy = cloneTime(size: volume.size, zeroFill: false)
        var t = step(r, "clone", from: captured, copy)
        if config.cloneZeroFill { t = step(r, "zero-fill", from: t, cloneTime(size: volume.size) - copy) }
        step(r, "clone-poll", from: t, captured + polled(cloneTime(size: volume.size)) - t)
        r.timer = sim.schedule(after: polled(cloneTime(size: volume.size))) { [unowned self] _ in
            r.timer = nil
            let plan = self.backupPlan(size: volume.size, allocated: allocated)
            let backupStart = self.sim.now
            self.putChunks(r, plan, step: "backup", trafficClass: TrafficClassName.snapshot, depth: self.config.pipelineDepth,
                           object: { "\(volume.name)/backup/\(String($0))" }, into: container) { [unowned self] in
                // the backup is seen available at Dragon's next status poll, then exported and
                // the clone deleted
                let seen = self.polled(self.sim.now - backupStart) - (self.sim.now - backupStart)
                let t = self.step(r, "backup-poll", from: self.sim.now, seen)
                self.step(r, "export-delete", from: t, self.config.deleteLocalCopy)
                r.timer = self.sim.schedule(after: seen + self.config.deleteLocalCopy) { [unowned self] _ in
                    let bytes = plan.reduce(0) { $0 + $1.objectBytes }
                    self.vault.addItem(ContainerItem(resource: volume.name, action: ProtectionActionName.volumeSnapshot.rawValue,
                                                     capturedAt: captured, bytes: bytes, restoreSize: volume.size),
                                       to: container)
                    self.finish(r, status: .completed)
                }
            }
        }
    }

    /// When a status poll loop started `elapsed` ago sees an operation that took `elapsed`: the
    /// DR engine checks at once and then every `pollInterval` (`while status == "creating":
    /// sleep(1)`), so at the first multiple of the interval not before it (at least one).
    func polled(_ elapsed: SimDuration) -> SimDuration {
        let q = config.pollInterval.nanoseconds
        guard q > 0 else { return elapsed }
        return config.pollInterval * Swift.max(1, (elapsed.nanoseconds + q - 1) / q)
    }

    /// Volume replication (orbit-software.md §3): DRBD already replicates; protect records
    /// the volume's metadata in the container. The recoverable state is the DRBD peer's.
    func startReplicationMetadata(_ r: ProtectionRun, volume: Volume, container: SwiftContainer) {
        let bytes = config.replicationMetadataBytes
        r.steps.append(("metadata-put", sim.now, .distantFuture))
        upload(for: r, objects: [("\(volume.name)/replication.json", bytes)], into: container,
               trafficClass: TrafficClassName.metadata) { [unowned self] in
            r.steps[r.steps.count - 1].end = self.sim.now
            self.vault.addItem(ContainerItem(resource: volume.name, action: ProtectionActionName.volumeReplication.rawValue,
                                             capturedAt: self.sim.now, bytes: 0, restoreSize: volume.size), to: container)
            self.finish(r, status: .completed)
        }
    }

    // MARK: Plans

    /// Chunks of a plain image read at `readRate`, uncompressed.
    func chunkPlan(size: Int64, readRate: Double) -> [ChunkPlan] {
        var out: [ChunkPlan] = []
        var left = size
        while left > 0 {
            let n = Swift.min(config.chunkSize, left)
            out.append(ChunkPlan(produce: .transmission(bytes: n, bitsPerSecond: readRate * 8), objectBytes: n))
            left -= n
        }
        return out
    }

    /// Time to clone a volume of `size` bytes (Kilo `cinder/volume/drivers/lvm.py`
    /// `create_cloned_volume`): copy the temporary LVM snapshot into the new volume at the clone
    /// rate, then, with `cloneZeroFill` (`volume_clear = zero`), zero the snapshot's
    /// copy-on-write device (the whole size) at the volume tier's write rate while deleting it.
    func cloneTime(size: Int64, zeroFill: Bool? = nil) -> SimDuration {
        let cloneRate = config.cloneBytesPerSecond ?? primary.config.volumeDisk.readBytesPerSecond / 2
        var t = SimDuration.transmission(bytes: size, bitsPerSecond: cloneRate * 8)
        if zeroFill ?? config.cloneZeroFill {
            t += .transmission(bytes: size, bitsPerSecond: primary.config.volumeDisk.writeBytesPerSecond * 8)
        }
        return t
    }

    /// cinder-backup chunks of a volume, as Kilo's `chunkeddriver.py` `backup` and
    /// `_backup_chunk` produce each: read the chunk at the volume tier's read rate, sha256 every 32 KiB block
    /// (`sha256BytesPerSecond`), zlib-compress the whole chunk (written data at
    /// `cpuBytesPerSecond`, zero blocks at `zeroBytesPerSecond`; zeros shrink ~1000:1).
    func backupPlan(size: Int64, allocated: BlockBitmap) -> [ChunkPlan] {
        let read = primary.config.volumeDisk.readBytesPerSecond
        let c = config.compression
        var out: [ChunkPlan] = []
        var off: Int64 = 0
        while off < size {
            let n = Swift.min(config.chunkSize, size - off)
            var t = SimDuration.transmission(bytes: n, bitsPerSecond: read * 8)
            if let h = config.sha256BytesPerSecond { t += .transmission(bytes: n, bitsPerSecond: h * 8) }
            var obj = n
            if c.enabled {
                let data = Swift.max(0, Swift.min(n, allocated.count(in: allocated.blocks(offset: off, length: n)) * allocated.blockSize))
                t += .transmission(bytes: data, bitsPerSecond: c.cpuBytesPerSecond * 8)
                t += .transmission(bytes: n - data, bitsPerSecond: c.zeroBytesPerSecond * 8)
                obj = Swift.max(1, Int64((Double(data) * c.dataRatio + Double(n - data) * c.zeroRatio).rounded(.up)))
            }
            out.append(ChunkPlan(produce: t, objectBytes: obj))
            off += n
        }
        return out
    }

    /// Runs upload step `step` of `r`: `plan` through a chunk pipeline of its own
    /// (`makePipeline`), each stored chunk `i` put into `container` as `object(i)` (nil: the
    /// caller stores the whole at the end), the step ended when the last chunk is stored, then
    /// `done`. Shared by the VM snapshot, image copy and volume backup uploads.
    func putChunks(_ r: ProtectionRun, _ plan: [ChunkPlan], step: String, trafficClass: String, depth: Int,
                   object: ((Int) -> String)?, into container: SwiftContainer, done: @escaping () -> Void) {
        let p = makePipeline(plan, trafficClass: trafficClass, depth: depth)
        r.pipeline = p
        if let object {
            p.onChunkStored = { [unowned self] i in self.vault.put(object(i), bytes: plan[i].objectBytes, in: container) }
        }
        r.steps.append((step, sim.now, .distantFuture))
        p.onDone = { [unowned self] in
            r.steps[r.steps.count - 1].end = self.sim.now
            done()
        }
        p.start()
    }

    func makePipeline(_ plan: [ChunkPlan], trafficClass: String, depth: Int? = nil) -> ChunkPipeline {
        let ch = network.openChannel(from: primary.name, to: backup.name, trafficClass: trafficClass,
                                     sendBuffer: config.uploadBuffer)
        let p = ChunkPipeline(sim: sim, chunks: plan, depth: depth ?? config.pipelineDepth, channel: ch)
        p.proxy = vault.proxy
        return p
    }

    /// Uploads small objects for `r` in order over a channel of its own (primary -> backup,
    /// send buffer `uploadBuffer`), so the bytes count as the action's (`bytes` column) and an
    /// abort stops them; stores each in `c` when it arrived; `done` runs after the last.
    public func upload(for r: ProtectionRun, objects: [(String, Int64)], into c: SwiftContainer, trafficClass: String,
                       done: @escaping () -> Void) {
        let ch = network.openChannel(from: primary.name, to: backup.name, trafficClass: trafficClass, sendBuffer: config.uploadBuffer)
        r.channel = ch
        upload(objects: objects, into: c, trafficClass: trafficClass, channel: ch, done: done)
    }

    /// Uploads small objects in order over a fresh channel (or `channel`) from the primary to
    /// the backup's vault, storing each in `c` when it arrived; `done` runs after the last.
    public func upload(objects: [(String, Int64)], into c: SwiftContainer, trafficClass: String = TrafficClassName.metadata,
                channel: TransferChannel? = nil, done: @escaping () -> Void) {
        let ch = channel ?? network.openChannel(from: primary.name, to: backup.name, trafficClass: trafficClass,
                                                sendBuffer: config.uploadBuffer)
        let plan = objects.map { ChunkPlan(produce: .zero, objectBytes: $0.1) }
        let p = ChunkPipeline(sim: sim, chunks: plan, depth: objects.count, channel: ch)
        p.proxy = vault.proxy
        p.onChunkStored = { [unowned self] i in self.vault.put(objects[i].0, bytes: objects[i].1, in: c) }
        p.onDone = { [unowned self, unowned p] in
            self.auxiliary.removeAll { $0 === p }
            done()
        }
        auxiliary.append(p)
        p.start()
    }
}
