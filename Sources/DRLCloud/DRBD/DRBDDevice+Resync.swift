import DRLSimCore

/// The resync: when the controller runs, how much it asks for, and c-min-rate.
///
/// The model pushes resync data from the source; in DRBD the sync target requests it
/// (`make_resync_request`) and the source answers. The decisions below are the target's,
/// taken on what it would see: resync data "comes in" when the source sees it acknowledged
/// (one round trip after it was requested, as in DRBD), application I/O on the target's disk is
/// the mirrored writes delivered to the peer.
extension DRBDDevice {
    /// DRBD_SYNC_MARKS (8) and DRBD_SYNC_MARK_STEP (3 s), drbd_int.h: the resync-progress marks
    /// the c-min-rate throttle averages over.
    static let syncMarks = 8
    static let syncMarkStep = SimDuration.seconds(3 as Int64)
    /// "More than 64 sectors" of disk activity the resync cannot account for means the
    /// application is busy (`drbd_rs_c_min_rate_throttle`, after MD RAID's is_mddev_idle).
    static let busyDiskBytes: Int64 = 64 * 512
    /// 9.2 kickstart latency bound: RS_MAKE_REQS_INTV / 2 (`drbd_rs_all_in_flight_came_back`).
    static let kickstartLatency = SimDuration.milliseconds(50)

    /// Bytes the sync target still has to receive: the bitmap plus resync data requested or in
    /// the stream (DRBD's `drbd_bm_total_weight` on the target, whose bits clear on arrival).
    var resyncLeftBytes: Int64 { bitmap.setBytes + resyncOutstandingBytes }

    /// Starts (or restarts) sending the bitmap's dirty blocks, paced by the resync controller.
    func startResync() {
        controller.reset()
        resyncCursor = 0
        if let t = controllerTimer { sim.cancel(t) }
        // drbd_start_resync: every mark starts at (now, bits left).
        resyncMarks.start(count: Self.syncMarks, at: sim.now, left: resyncLeftBytes, events: statistics.deliveredAppBytes)
        lastStepAt = sim.now
        resyncStep()
    }

    /// `drbd_advance_rs_marks`: a new mark every DRBD_SYNC_MARK_STEP while the resync progresses.
    func advanceResyncMarks() { resyncMarks.advance(at: sim.now, left: resyncLeftBytes, step: Self.syncMarkStep) }

    /// `drbd_rs_c_min_rate_throttle` (drbd_receiver.c, 9.2; same rule in 8.4's drbd_receiver.c
    /// called through `drbd_try_rs_begin_io`): throttle when the peer's disk is busy with
    /// application writes (more than 64 sectors since the last busy check) and the resync rate
    /// averaged from the second newest mark (3 to 6 s ago) to now, in whole seconds (at least
    /// 1) and whole 4 KiB bits, exceeds c-min-rate. A resync that is not shrinking (db <= 0)
    /// is never throttled (9.2's signed `db`).
    func cMinRateThrottle() -> Bool {
        guard config.cMinRate > 0 else { return false }
        let events = statistics.deliveredAppBytes
        guard events - resyncMarks.lastEvents > Self.busyDiskBytes else { return false }
        resyncMarks.lastEvents = events
        let mark = resyncMarks.previous
        var dt = (sim.now - mark.0).nanoseconds / 1_000_000_000
        if dt == 0 { dt = 1 }
        let db = mark.1 - resyncLeftBytes
        guard db > 0 else { return false }
        let kibPerSecond = (db / ByteUnits.bitmapBlock) / dt * (ByteUnits.bitmapBlock / 1024)
        return Double(kibPerSecond) > config.cMinRate / 1024
    }

    /// One run of the resync request generator (`make_resync_request`).
    func resyncStep() {
        controllerTimer = nil
        guard machine.state == .syncSource, !halted else { return }
        let duration = sim.now - lastStepAt
        lastStepAt = sim.now
        statistics.controllerRuns += 1
        advanceResyncMarks()
        var budget = controller.nextRequest(duration: duration)
        let cap = config.maxBuffers * ByteUnits.bitmapBlock
        let outstanding = statistics.resyncSentBytes + pendingResyncBytes - statistics.resyncDeliveredBytes
        budget = Swift.min(budget, Swift.max(0, cap - outstanding))
        // Whole 4 KiB bitmap blocks, rounded down (`sect_to_bit` in drbd_rs_number_requests);
        // at least one, so that a fixed rate under 40 KiB/s still progresses.
        if budget > 0 { budget = Swift.max(1, budget / bitmap.blockSize) * bitmap.blockSize }
        let wanted = budget
        if budget > 0, bitmap.count > 0, cMinRateThrottle() {
            budget = 0
            statistics.throttledSteps += 1
        }
        let maxBlocks = Swift.max(1, config.resyncRequestSize / bitmap.blockSize)
        var issued: Int64 = 0
        while budget > 0, let run = bitmap.nextRun(from: resyncCursor, maxBlocks: maxBlocks) {
            let take = Swift.min(run.upperBound - run.lowerBound, budget / bitmap.blockSize)
            let blocks = run.lowerBound..<(run.lowerBound + take)
            let cleared = bitmap.clear(blocks: blocks)
            resyncCursor = blocks.upperBound
            let offset = blocks.lowerBound * bitmap.blockSize
            let length = Swift.min(take * bitmap.blockSize, volume.size - offset)
            statistics.coalescedBytes += cleared * bitmap.blockSize - length   // the volume's last partial block
            let it = Item(write: BlockWrite(offset: offset, length: length), issued: sim.now, isResync: true,
                          remaining: length, localDone: sim.now, completion: nil)
            pending.append(it)
            pendingResyncBytes += length
            controller.requested(length)
            budget -= take * bitmap.blockSize
            issued += take * bitmap.blockSize
        }
        pump()
        checkResyncComplete()
        if machine.state == .syncSource {
            controllerTimer = sim.schedule(after: nextStepDelay(number: wanted, done: issued)) { [self] _ in self.resyncStep() }
        }
        watch()
        notify()
    }

    /// When the generator runs next: 100 ms; in 9.2 scaled by what was done (`resync_delay`:
    /// RS_MAKE_REQS_INTV x done / number when requests went out).
    func nextStepDelay(number: Int64, done: Int64) -> SimDuration {
        guard config.version == .v9, number > 0, done > 0 else { return ResyncController.step }
        let ns = ResyncController.step.nanoseconds * Swift.min(done, number) / number
        return .nanoseconds(Swift.max(1, ns))
    }

    /// DRBD 9.2 (`rs_sectors_came_in` -> `drbd_rs_all_in_flight_came_back`, drbd_sender.c):
    /// once every requested resync byte is back, run the generator now if the controller was
    /// clearly asking too little (kickstart: less than half of c-max-rate x 100 ms came back
    /// within 50 ms) or if the ideal pace for a max-bio-size request at c-max-rate has already
    /// passed; otherwise, if that pace is under 100 ms, run at it. Only for the dynamic
    /// controller: the fixed resync-rate keeps its 100 ms step (simplification: 9.2 does not
    /// check c-plan-ahead here, so a real fixed-rate resync may run faster than resync-rate).
    func resyncCameBack() {
        guard config.version == .v9, case .dynamic = config.resync, machine.state == .syncSource, !halted,
              controller.allInFlightCameBack else { return }
        let kibIn = Swift.max(1, controller.ackedSinceStep / 1024)
        let maxBioKiB = Swift.max(1, config.resyncRequestSize / 1024)
        let m = maxBioKiB > kibIn ? maxBioKiB / kibIn : 1
        let cMaxKiB = config.cMaxRate / 1024
        let latency = sim.now - lastStepAt
        let interval: SimDuration = cMaxKiB > 0 ? .seconds(Double(kibIn * m) / cMaxKiB) : .zero
        let amountKiB = cMaxKiB / 10
        let kickstart = Double(kibIn) < amountKiB / 2 && latency < Self.kickstartLatency
        var at: SimInstant
        if kickstart || interval <= latency { at = sim.now }
        else if interval < ResyncController.step { at = lastStepAt + interval }
        else { return }
        if let t = controllerTimer { sim.cancel(t) }
        at = Swift.max(at, sim.now)
        if at == sim.now { statistics.earlyRuns += 1 }
        controllerTimer = sim.schedule(at: at) { [self] _ in self.resyncStep() }
    }

    func checkResyncComplete() {
        guard machine.state == .syncSource, bitmap.count == 0, pendingResyncBytes == 0,
              !undelivered.contains(where: { $0.isResync }), !pending.contains(where: { $0.isResync }) else { return }
        apply(machine.handle(.resyncComplete))
        statistics.resyncsCompleted += 1
        unsyncedSince = nil
        initialSyncActive = false
        logState()
        if let t = controllerTimer { sim.cancel(t); controllerTimer = nil }
    }
}
