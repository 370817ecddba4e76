import DRLSimCore

extension FluidDRBD {
    /// The initial full sync (`DRBDConfig.initialFullSync`; the packet model's `DRBDDevice.init`
    /// sets every bitmap bit and enters SyncSource with the peer Inconsistent, drbdsetup(8)
    /// `new-current-uuid`-less first connect): the whole volume is dirty from now, the state
    /// machine takes `.initialSync`, and the resync starts at once (no resync-after delay: the
    /// packet model's `.initialSync` transition starts it directly). With no writer the sync
    /// takes volume / resync rate; mirrored random writes clear dirty blocks on the way
    /// (`resyncDirty`).
    func beginInitialSync() {
        let v = Double(volume.size)
        dirtyBytes = v
        initialSyncDirty = v
        initialSyncActive = true
        unsyncedSince = sim.now
        apply(machine.handle(.initialSync))
        // The flow's demand and the resync rate are set at the first regime computation, now.
        sim.schedule(after: .zero) { [unowned self] _ in self.changed() }
    }

    /// The resync's ceiling from max-buffers (drbd.conf(5) `max-buffers`, default 2048 pages of
    /// 4 KiB: the packet model's cap on resync bytes outstanding, `DRBDDevice.resyncStep`): at
    /// most that many bytes per round trip, B/s (infinite without a round trip).
    var maxBuffersRate: Double {
        let rtt = 2 * flow.oneWayDelay.seconds
        return rtt > 0 ? Double(config.maxBuffers * ByteUnits.bitmapBlock) / rtt : .infinity
    }
}
