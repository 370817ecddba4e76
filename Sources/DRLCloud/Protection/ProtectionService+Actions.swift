import DRLSimCore

extension ProtectionService {
    /// VM snapshot (orbit-software.md §3 "Image Snapshot"): optionally pause the VM, create the
    /// image at the image tier's read rate (the VM runs at `vmSnapshotSpeed` meanwhile), upload
    /// it in 50 MiB chunks to the execution container, delete the local copy.
    func startVMSnapshot(_ r: Running, vm: VirtualMachine, container: SwiftContainer) {
        let size = vm.snapshotSize
        let captured = sim.now
        r.vm = vm
        vm.setSpeed(config.vmSnapshotPause ? 0 : config.vmSnapshotSpeed)
        let read = primary.config.imageDisk.readBytesPerSecond
        var plan = chunkPlan(size: size, readRate: read)
        let createTime = config.vmSnapshotOverhead + .transmission(bytes: size, bitsPerSecond: read * 8)
        let upload = { [unowned self] (plan: [ChunkPlan]) in
            let p = self.makePipeline(plan, trafficClass: TrafficClassName.snapshot, depth: Int.max / 2)
            r.pipeline = p
            p.onChunkStored = { [unowned self] i in
                self.vault.put("\(vm.name)/snapshot/\(String(i))", bytes: plan[i].objectBytes, in: container)
            }
            p.onDone = { [unowned self] in
                r.timer = self.sim.schedule(after: self.config.deleteLocalCopy) { [unowned self] _ in
                    self.vault.addItem(ContainerItem(resource: vm.name, action: ProtectionActionKind.vmSnapshot.rawValue,
                                                     capturedAt: captured, bytes: size, restoreSize: size), to: container)
                    self.finish(r, status: .completed)
                }
            }
            p.start()
        }
        if config.vmSnapshotStreaming {
            // the image is created at disk speed while chunks upload
            if !plan.isEmpty { plan[0].produce += config.vmSnapshotOverhead }
            r.timer = sim.schedule(after: createTime) { _ in vm.setSpeed(1); r.vm = nil }
            upload(plan)
        } else {
            // created locally, seen saved at the next status poll, then uploaded
            let polls = (createTime.nanoseconds + config.pollInterval.nanoseconds - 1) / Swift.max(1, config.pollInterval.nanoseconds)
            let seen = config.pollInterval.nanoseconds > 0 ? config.pollInterval * Swift.max(1, polls) : createTime
            r.timer = sim.schedule(after: createTime) { _ in vm.setSpeed(1); r.vm = nil }
            sim.schedule(after: seen) { [weak self] _ in
                guard let self, self.running.contains(where: { $0 === r }) else { return }
                upload(plan.map { ChunkPlan(produce: .zero, objectBytes: $0.objectBytes) })
            }
        }
    }

    /// Image copy (orbit-software.md §3 "Image Copy"): the VM's base image into the tenant's
    /// global container, keyed by checksum; re-sent per `imageCopyResend`.
    func startImageCopy(_ r: Running, vm: VirtualMachine, container: SwiftContainer) {
        let img = vm.image
        let captured = sim.now
        let item = ContainerItem(resource: vm.name, action: ProtectionActionKind.imageCopy.rawValue,
                                 capturedAt: captured, bytes: img.size, restoreSize: img.size)
        if config.imageCopyResend == .once, vault.hasImage(tenant: config.tenant, checksum: img.checksum) {
            r.timer = sim.schedule(after: .zero) { [unowned self] _ in
                self.vault.addItem(item, to: container)
                self.finish(r, status: .completed)
            }
            return
        }
        let plan = chunkPlan(size: img.size, readRate: primary.config.imageDisk.readBytesPerSecond)
        let p = makePipeline(plan, trafficClass: TrafficClassName.image, depth: config.pipelineDepth)
        r.pipeline = p
        p.onDone = { [unowned self] in
            self.vault.putImage(tenant: self.config.tenant, checksum: img.checksum, bytes: img.size, objects: plan.count)
            self.vault.addItem(item, to: container)
            self.finish(r, status: .completed)
        }
        p.start()
    }

    /// Volume snapshot (orbit-software.md §3 "Volume Snapshot"): clone the volume at the clone
    /// rate, back the clone up (read at the volume tier's rate, compress, upload 50 MiB
    /// objects), delete the clone. The captured state is the volume at the action's start.
    func startVolumeSnapshot(_ r: Running, volume: Volume, container: SwiftContainer) {
        let captured = sim.now
        let allocated = volume.allocated
        let cloneRate = config.cloneBytesPerSecond ?? primary.config.volumeDisk.readBytesPerSecond / 2
        let cloneTime = SimDuration.transmission(bytes: volume.size, bitsPerSecond: cloneRate * 8)
        r.timer = sim.schedule(after: cloneTime) { [unowned self] _ in
            r.timer = nil
            let plan = self.backupPlan(size: volume.size, allocated: allocated)
            let p = self.makePipeline(plan, trafficClass: TrafficClassName.snapshot)
            r.pipeline = p
            p.onChunkStored = { [unowned self] i in
                self.vault.put("\(volume.name)/backup/\(String(i))", bytes: plan[i].objectBytes, in: container)
            }
            p.onDone = { [unowned self] in
                r.timer = self.sim.schedule(after: self.config.deleteLocalCopy) { [unowned self] _ in
                    let bytes = plan.reduce(0) { $0 + $1.objectBytes }
                    self.vault.addItem(ContainerItem(resource: volume.name, action: ProtectionActionKind.volumeSnapshot.rawValue,
                                                     capturedAt: captured, bytes: bytes, restoreSize: volume.size),
                                       to: container)
                    self.finish(r, status: .completed)
                }
            }
            p.start()
        }
    }

    /// Volume replication (orbit-software.md §3): DRBD already replicates; protect records
    /// the volume's metadata in the container. The recoverable state is the DRBD peer's.
    func startReplicationMetadata(_ r: Running, volume: Volume, container: SwiftContainer) {
        let bytes = config.replicationMetadataBytes
        let ch = network.openChannel(from: primary.name, to: backup.name, trafficClass: TrafficClassName.metadata,
                                     sendBuffer: config.uploadBuffer)
        r.channel = ch
        upload(objects: [("\(volume.name)/replication.json", bytes)], into: container, channel: ch) { [unowned self] in
            self.vault.addItem(ContainerItem(resource: volume.name, action: ProtectionActionKind.volumeReplication.rawValue,
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

    /// cinder-backup chunks of a volume: read every chunk at the volume tier's read rate,
    /// compress its written part at the CPU rate (zero blocks shrink ~1000:1).
    func backupPlan(size: Int64, allocated: BlockBitmap) -> [ChunkPlan] {
        let read = primary.config.volumeDisk.readBytesPerSecond
        let c = config.compression
        var out: [ChunkPlan] = []
        var off: Int64 = 0
        while off < size {
            let n = Swift.min(config.chunkSize, size - off)
            var t = SimDuration.transmission(bytes: n, bitsPerSecond: read * 8)
            var obj = n
            if c.enabled {
                let data = Swift.min(n, allocated.count(in: allocated.blocks(offset: off, length: n)) * allocated.blockSize)
                t += .transmission(bytes: Swift.max(0, data), bitsPerSecond: c.cpuBytesPerSecond * 8)
                obj = Swift.max(1, Int64((Double(data) * c.dataRatio + Double(n - data) * c.zeroRatio).rounded(.up)))
            }
            out.append(ChunkPlan(produce: t, objectBytes: obj))
            off += n
        }
        return out
    }

    func makePipeline(_ plan: [ChunkPlan], trafficClass: String, depth: Int? = nil) -> ChunkPipeline {
        let ch = network.openChannel(from: primary.name, to: backup.name, trafficClass: trafficClass,
                                     sendBuffer: config.uploadBuffer)
        return ChunkPipeline(sim: sim, chunks: plan, depth: depth ?? config.pipelineDepth, channel: ch)
    }

    /// Uploads small objects in order over a fresh channel (or `channel`), storing each when it arrived.
    func upload(objects: [(String, Int64)], into c: SwiftContainer, trafficClass: String = TrafficClassName.metadata,
                channel: TransferChannel? = nil, done: @escaping () -> Void) {
        let ch = channel ?? network.openChannel(from: primary.name, to: backup.name, trafficClass: trafficClass,
                                                sendBuffer: config.uploadBuffer)
        let plan = objects.map { ChunkPlan(produce: .zero, objectBytes: $0.1) }
        let p = ChunkPipeline(sim: sim, chunks: plan, depth: objects.count, channel: ch)
        p.onChunkStored = { [unowned self] i in self.vault.put(objects[i].0, bytes: objects[i].1, in: c) }
        p.onDone = { [unowned self, unowned p] in
            self.auxiliary.removeAll { $0 === p }
            done()
        }
        auxiliary.append(p)
        p.start()
    }
}
