import DRLSimCore

extension DRBDDevice {
    /// Starts (or restarts) sending the bitmap's dirty blocks, paced by the resync controller.
    func startResync() {
        controller.reset()
        resyncCursor = 0
        if let t = controllerTimer { sim.cancel(t) }
        resyncStep()
    }

    func resyncStep() {
        controllerTimer = nil
        guard machine.state == .syncSource, !halted else { return }
        var budget = controller.nextRequest()
        let cap = config.maxBuffers * ByteUnits.bitmapBlock
        let outstanding = resyncSentBytes + pendingResyncBytes - resyncDeliveredBytes
        budget = Swift.min(budget, Swift.max(0, cap - outstanding))
        let maxBlocks = Swift.max(1, config.resyncRequestSize / bitmap.blockSize)
        while budget > 0, let run = bitmap.nextRun(from: resyncCursor, maxBlocks: maxBlocks) {
            let take = Swift.min(run.upperBound - run.lowerBound, Int64(Swift.max(1, budget / bitmap.blockSize)))
            let blocks = run.lowerBound..<(run.lowerBound + take)
            let cleared = bitmap.clear(blocks: blocks)
            resyncCursor = blocks.upperBound
            let offset = blocks.lowerBound * bitmap.blockSize
            let length = Swift.min(take * bitmap.blockSize, volume.size - offset)
            coalescedBytes += cleared * bitmap.blockSize - length   // the volume's last partial block
            let it = Item(write: BlockWrite(offset: offset, length: length), issued: sim.now, isResync: true,
                          remaining: length, localDone: sim.now, completion: nil)
            pending.append(it)
            pendingResyncBytes += length
            controller.requested(length)
            budget -= length
        }
        pump()
        checkResyncComplete()
        if machine.state == .syncSource {
            controllerTimer = sim.schedule(after: ResyncController.step) { [self] _ in self.resyncStep() }
        }
        watch()
        notify()
    }

    func checkResyncComplete() {
        guard machine.state == .syncSource, bitmap.count == 0, pendingResyncBytes == 0,
              !undelivered.contains(where: { $0.isResync }), !pending.contains(where: { $0.isResync }) else { return }
        apply(machine.handle(.resyncComplete))
        resyncsCompleted += 1
        unsyncedSince = nil
        initialSyncActive = false
        logState()
        if let t = controllerTimer { sim.cancel(t); controllerTimer = nil }
    }
}
