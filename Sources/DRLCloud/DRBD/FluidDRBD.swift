import Foundation
import DRLSimCore
import DRLNetwork
import DequeModule

/// DRBD (primary side, one resource) as a fluid queue over a `RateFlow` (`wan.model: flow`,
/// issue 16 item 1): the writer's rate w(t), the send buffer as a fluid queue drained at the
/// allocated rate r(t), the congestion policies and the resync at rate level, and the lag
/// and recovery point computed exactly for the fluid queue. The packet-level `DRBDDevice` is
/// the reference semantics; each rule below names the DRBD function and the packet rule it
/// condenses (Docs/drbd-model.md, drbd-and-tc.md).
///
/// State between events is linear (or, for the bitmap under random writes, exponential) in
/// time; events happen only when the writer's rate changes (`setWriteRate`, at the rate
/// process's steps), when the network reallocates (`RateFlow.onRateChange`), and at the
/// computed instants where the queue reaches a threshold (send buffer full, congestion,
/// empty) or the bitmap empties.
///
/// Rules (rate level):
/// - **Stream** (drbd_req.c `drbd_send_dblock` via the sender; protocol A completes a write
///   once it is in the send buffer, drbd-and-tc.md "Protocols"): accepted writes enter the
///   queue `queuedBytes` = Q, drained at r. The flow's demand is w while Q = 0 (allocation
///   <= demand, Q stays 0 when r = w) and infinite while Q > 0 (backlogged).
/// - **Send buffer** (`sndbuf-size`, or the autotune limit tcp_wmem[2] = 4 MiB when
///   `sndbuf-size` is 0: `DRBDConfig.effectiveSendBuffer`; APPROXIMATION: the autotuned buffer
///   is taken at its limit, the packet model grows it with the window): Q <= B.
/// - **on-congestion block** (drbd.conf(5); paper §4.2 "block the I/O system when the local
///   TCP send buffer is full"): at Q = B the writer is throttled to exactly the drain rate r
///   (the packet model's writes wait in `pending` for send-buffer space). Protocols B and C
///   complete later but accept the same bytes; at rate level they differ from A only in the
///   write latency, which the fluid model does not report.
/// - **on-congestion pull-ahead** (drbd_req.c `__maybe_pull_ahead`: in-flight >=
///   congestion-fill, or activity-log extents in use >= congestion-extents; protocol A only):
///   at Q = the congestion threshold (`congestionThreshold`) the state machine goes Ahead
///   (`DRBDStateMachine`, the packet model's), writes only mark the bitmap, the queue drains;
///   once empty (`.drained`) the resync starts after `resyncDelay`, the peer is Inconsistent
///   while it runs, and Established returns when the bitmap is clean. A threshold above the
///   send buffer is never reached: the writer blocks at B (writes wait for buffer space
///   before they count as in flight).
/// - **Bitmap coverage** (4 KiB bits, drbd-and-tc.md "Pull-ahead"): X bytes absorbed by the
///   bitmap dirty min(V, D + X) bytes of a volume of V bytes under sequential writes, and
///   V − (V − D) e^(−X/V) under uniformly random writes (each 4 KiB block escapes a write with
///   probability 1 − 1/blocks; the expected coverage); the rest is coalesced.
/// - **Resync** (drbd_sender.c `drbd_rs_controller`, drbd_receiver.c
///   `drbd_rs_c_min_rate_throttle`): the target rate is `resync-rate` when fixed, else
///   c-fill-target / RTT (the controller keeps c-fill-target in flight), or c-max-rate when
///   c-fill-target is 0 (the delay target then governs only the queueing); at most c-max-rate;
///   while the application writes (w > 0) and c-min-rate > 0, at most c-min-rate (the throttle
///   holds the resync to about c-min-rate when the peer's disk sees application writes).
///   Application data has the stream first: the resync gets min(target, r − w) while Q = 0
///   and nothing while Q > 0. Mirrored writes landing on dirty blocks clear them (random
///   placement: at rate w D / V; `drbd_send_dblock` DP_MAY_SET_IN_SYNC, as the packet model).
///
/// - **Initial full sync** (`DRBDConfig.initialFullSync`, the packet model's: every bit set at
///   attach, SyncSource with the peer Inconsistent): the bitmap starts with the whole volume
///   dirty and resyncs by the rule above (FluidDRBD+Sync.swift).
/// - **max-buffers** (drbd.conf(5): the peer's buffers for data in flight; the packet model
///   caps outstanding resync requests at max-buffers × 4 KiB, `DRBDDevice.resyncStep`): at rate
///   level the resync gets at most max-buffers × 4 KiB per round trip.
///
/// Not modelled (say so): link faults, the watchdog and reconnects (a fluid device only stops
/// at `halt()`; `wan.model: flow` refuses `wan.faults`, so no scenario reaches them),
/// `on-congestion disconnect` (treated as block), the in-flight bytes of the pipe in the send
/// buffer, write latency.
///
/// Accounting identities (`conservationHolds`, `replicationConservationHolds`):
/// written = deliveredApp + queued + bitmapAbsorbed, and
/// written = peerBytes + backlog + coalesced with backlog = queued + dirty.
public final class FluidDRBD {
    /// The replicated volume.
    public unowned let volume: Volume
    /// Configuration (the packet model's).
    public let config: DRBDConfig
    /// Where the writer places its writes (bitmap coverage).
    public let placement: WritePlacement
    /// The writer's write size (congestion-extents under random placement).
    public let writeSize: Int64
    /// The connection state machine (the packet model's).
    public internal(set) var machine: DRBDStateMachine

    // Cumulative counters (bytes, fractional: the fluid is continuous).
    /// Application bytes written (accepted by the device, incl. bitmap-only).
    public internal(set) var written: Double = 0
    /// Application bytes the writer wanted to write (written + throttled away).
    public internal(set) var requested: Double = 0
    /// Application bytes accepted into the stream.
    public internal(set) var accepted: Double = 0
    /// Application bytes delivered to the peer.
    public internal(set) var deliveredApp: Double = 0
    /// Application bytes that only marked the bitmap.
    public internal(set) var bitmapAbsorbed: Double = 0
    /// Resync bytes delivered to the peer.
    public internal(set) var resyncDelivered: Double = 0
    /// Bytes the bitmap made unnecessary to send (rewrites of dirty blocks, superseded dirty blocks).
    public internal(set) var coalesced: Double = 0
    /// Bytes in the stream (send buffer), not yet delivered.
    public internal(set) var queuedBytes: Double = 0
    /// Dirty bytes in the bitmap.
    public internal(set) var dirtyBytes: Double = 0
    /// Seconds the writer was throttled (block at a full send buffer).
    public internal(set) var throttledSeconds: Double = 0
    /// Transitions into Ahead.
    public internal(set) var aheadCount = 0
    /// Completed resyncs.
    public internal(set) var resyncsCompleted = 0
    /// Events this device handled (rate changes, crossings, steps).
    public internal(set) var events = 0
    /// Called after every state change (the replication monitor's hook).
    public var observer: (() -> Void)?
    /// Called at every change of the writer's accepted rate with (requested rate, accepted
    /// rate) from now on (the `writes` table's fluid rows).
    public var onWriterRate: ((Double, Double) -> Void)?

    let sim: Simulator
    let flow: RateFlow
    /// The writer's requested rate w.
    public private(set) var writeRate: Double = 0
    var lastUpdate: SimInstant
    var crossing: EventID?
    var recalc: EventID?
    let cachedThreshold: Double
    var inChange = false
    var recordedHistory: Int64 = 0
    var lastVolumeRecord = SimInstant.zero
    var resyncTimer: EventID?
    var halted = false
    var latchFilling = false
    /// Breakpoints of the accepted curve A(t) (time, cumulative accepted bytes), from the
    /// oldest still needed: A is linear between them.
    var acceptCurve = Deque<(t: SimInstant, bytes: Double)>()
    /// The first write the bitmap holds (Ahead); nil when the bitmap is clean.
    var unsyncedSince: SimInstant?
    /// The instant the device went Ahead (the peer's state froze there).
    var behindSince: SimInstant?
    /// The flow's demand as last set.
    var demand: Double = 0
    /// The writer's requested rate last reported through `onWriterRate`.
    var reportedWriteRate: Double = 0
    /// Rates in force since `lastUpdate`.
    var rates = Rates()
    /// Bytes the initial full sync marked dirty (the volume), 0 without one.
    var initialSyncDirty: Double = 0
    /// Whether the initial full sync is still running.
    var initialSyncActive = false

    struct Rates {
        var accept = 0.0       // into the stream
        var absorb = 0.0       // into the bitmap
        var drainApp = 0.0     // app bytes leaving the queue to the peer
        var resync = 0.0       // resync bytes to the peer
        var throttled = false
    }

    /// A fluid device replicating `volume` over `network` from `source` to `destination` in
    /// the replication class.
    public init(volume: Volume, sim: Simulator, network: RateNetwork, source: String, destination: String,
                config: DRBDConfig = DRBDConfig(), placement: WritePlacement = .random, writeSize: Int64 = 64 * ByteUnits.KiB) {
        self.volume = volume
        self.sim = sim
        self.config = config
        self.placement = placement
        self.writeSize = Swift.max(1, writeSize)
        self.machine = DRBDStateMachine(policy: config.protocolKind == .A ? config.onCongestion : .block,
                                        resyncDelay: config.resyncDelay, connectInterval: config.connectInterval)
        self.lastUpdate = sim.now
        self.cachedThreshold = Self.threshold(config: config, policy: machine.policy, placement: placement,
                                              volumeSize: volume.size, writeSize: self.writeSize)
        self.flow = network.openRateFlow(from: source, to: destination, trafficClass: TrafficClassName.replication,
                                         maxWindow: config.effectiveSendBuffer)
        acceptCurve.append((sim.now, 0))
        flow.onRateChange = { [unowned self] _ in self.rateChanged() }
        if config.initialFullSync { beginInitialSync() }
    }

    /// The network reallocated: recompute now. A `RateNetwork` queues a reallocation that a
    /// callback asks for (`FlowNetwork.reallocate`), so setting a demand from here is safe;
    /// during our own `setDemand` the new rate is read right after, so the callback is ignored.
    func rateChanged() {
        guard !inChange, !halted else { return }
        changed()
    }

    /// The send buffer B in bytes.
    public var sendBuffer: Double { Double(config.effectiveSendBuffer) }

    /// Bytes sent and not yet acknowledged at the current drain rate: rate × RTT. They still
    /// occupy the send buffer (TCP frees a byte at its ACK) and still count as in flight for
    /// congestion-fill (`ap_in_flight` drops at the barrier ack), so the queue Q may hold
    /// B − inFlight before the writer blocks, and pull-ahead triggers at Q = fill − inFlight.
    var inFlight: Double { (rates.drainApp + rates.resync) * 2 * flow.oneWayDelay.seconds }

    /// The queue level at which the writer blocks: B − inFlight (at least 0).
    var queueLimit: Double { Swift.max(0, sendBuffer - inFlight) }

    /// The queue level at which `__maybe_pull_ahead` fires: the congestion threshold − inFlight.
    var queueCongestion: Double { congestionThreshold - inFlight }

    /// The queue level at which `__maybe_pull_ahead` finds the connection congested (infinite
    /// when the policy is not pull-ahead or the level lies above the send buffer): the smaller
    /// of congestion-fill (if set) and the backlog whose writes occupy congestion-extents
    /// activity-log extents (4 MiB): extents × 4 MiB for sequential writes; for random writes
    /// of size s over E = V / 4 MiB extents, the n = Q / s writes in flight touch
    /// E (1 − (1 − 1/E)^n) extents in expectation, so Q = s ln(1 − c/E) / ln(1 − 1/E) (never
    /// when c >= E).
    public var congestionThreshold: Double { cachedThreshold }

    /// `congestionThreshold` computed (once: it depends only on the configuration).
    static func threshold(config: DRBDConfig, policy: DRBDCongestionPolicy, placement: WritePlacement, volumeSize: Int64,
                          writeSize: Int64) -> Double {
        let sendBuffer = Double(config.effectiveSendBuffer)
        guard policy == .pullAhead else { return .infinity }
        var q = Double.infinity
        if config.congestionFill > 0 { q = Double(config.congestionFill) }
        let ext = Double(ByteUnits.activityLogExtent), c = Double(config.congestionExtents)
        switch placement {
        case .sequential: q = Swift.min(q, c * ext)
        case .random:
            let e = Swift.max(1, (Double(volumeSize) / ext).rounded(.up))
            if c < e { q = Swift.min(q, Double(writeSize) * log(1 - c / e) / log(1 - 1 / e)) }
        }
        return q < sendBuffer ? q : .infinity
    }

    /// The writer's requested rate changed (a step of its rate process), from now on.
    public func setWriteRate(_ bytesPerSecond: Double) {
        advance()
        writeRate = Swift.max(0, bytesPerSecond)
        changed()
    }

    /// Brings every counter to now (they are integrated lazily, at events and reads of the
    /// replication view); call before reading the stored counters directly.
    public func sync() { advance() }

    /// The site failed: nothing more reaches the peer; the state freezes.
    public func halt() {
        guard !halted else { return }
        advance()
        noteHistory(at: sim.now, force: true)
        halted = true
        writeRate = 0
        rates = Rates()
        if let c = crossing { sim.cancel(c); crossing = nil }
        if let t = resyncTimer { sim.cancel(t); resyncTimer = nil }
        if let t = recalc { sim.cancel(t); recalc = nil }
        flow.close()
        onWriterRate?(0, 0)
        observer?()
    }

    // MARK: Dynamics

    /// Integrates every quantity from `lastUpdate` to now with the rates in force.
    func advance() {
        let now = sim.now
        guard now > lastUpdate else { return }
        let dt = (now - lastUpdate).seconds
        lastUpdate = now
        guard !halted else { return }
        let r = rates
        requested += writeRate * dt
        if r.throttled { throttledSeconds += dt }
        // Stream.
        accepted += r.accept * dt
        let q = queuedBytes + (r.accept - r.drainApp) * dt
        let drained = r.drainApp * dt + Swift.min(0, q)   // never more than was there
        deliveredApp += drained
        queuedBytes = Swift.min(sendBuffer, Swift.max(0, q))
        // Bitmap: absorption (Ahead) or resync and mirrored clears (SyncSource).
        let v = Double(volume.size)
        if r.absorb > 0 {
            let x = r.absorb * dt
            let d1: Double
            switch placement {
            case .sequential: d1 = Swift.min(v, dirtyBytes + x)
            case .random: d1 = v - (v - dirtyBytes) * exp(-x / v)
            }
            bitmapAbsorbed += x
            coalesced += x - (d1 - dirtyBytes)
            dirtyBytes = d1
        }
        if machine.state == .syncSource, dirtyBytes > 0 {
            let (d1, sent) = Self.resyncDirty(d0: dirtyBytes, rho: r.resync, clearRate: placement == .random ? r.accept / v : 0, dt: dt)
            coalesced += dirtyBytes - d1 - sent
            resyncDelivered += sent
            dirtyBytes = d1
        }
        written += (r.accept + r.absorb) * dt
    }

    /// The bitmap under resync at `rho` B/s with mirrored writes clearing dirty blocks at
    /// `clearRate` × D per second: D' = −ρ − k D, so D(t) = (D0 + ρ/k) e^(−k t) − ρ/k (k > 0),
    /// D0 − ρ t (k = 0), floored at 0. Returns (D(dt), resync bytes sent).
    static func resyncDirty(d0: Double, rho: Double, clearRate k: Double, dt: Double) -> (Double, Double) {
        if k <= 0 {
            let sent = Swift.min(d0, rho * dt)
            return (d0 - sent, sent)
        }
        let tEnd = rho > 0 ? log(1 + d0 * k / rho) / k : Double.infinity   // D reaches 0
        let t = Swift.min(dt, tEnd)
        let d1 = t >= tEnd ? 0 : Swift.max(0, (d0 + rho / k) * exp(-k * t) - rho / k)
        return (d1, rho * t)
    }

    /// Recomputes the regime now (after `advance()`): state-machine inputs at thresholds, the
    /// flow's demand, the rates, the next crossing.
    func changed() {
        advance()
        events += 1
        guard !halted else { return }
        if let c = crossing { sim.cancel(c); crossing = nil }
        inChange = true
        defer { inChange = false }
        let eps = 0.5   // half a byte: a queue within it of a threshold is at it
        let w = writeRate
        // Congestion (pull-ahead) is checked where DRBD checks it: at a write's submission.
        if w > 0, queuedBytes >= queueCongestion - eps,
           machine.state == .established || machine.state == .syncSource {
            apply(machine.handle(.write(congested: true)))
        }
        // An Ahead device whose queue emptied is drained (the resync timer starts).
        if machine.state == .ahead, queuedBytes <= eps {
            queuedBytes = 0
            apply(machine.handle(.drained))
        }
        if machine.state == .syncSource, dirtyBytes <= eps {
            dirtyBytes = 0
            apply(machine.handle(.resyncComplete))
            resyncsCompleted += 1
            unsyncedSince = nil
            initialSyncActive = false
        }
        var nr = Rates()
        let mirroring = machine.state == .established || machine.state == .syncSource
        let resyncTarget = machine.state == .syncSource ? resyncTargetRate(writing: w > 0) : 0
        if queuedBytes > eps { setDemand(.infinity) } else {
            queuedBytes = 0
            setDemand(mirroring ? w + resyncTarget : 0)
        }
        let rate = flow.rate
        // An allocation within 1e-9 of the demand is the demand (the WAN model's floating point).
        if queuedBytes <= eps { nr.drainApp = mirroring ? (rate >= w * (1 - 1e-9) ? w : rate) : 0 } else { nr.drainApp = rate }
        if mirroring {
            nr.accept = w   // throttled below when the buffer is full
            if queuedBytes <= eps { nr.resync = Swift.min(resyncTarget, Swift.max(0, rate - nr.drainApp)) }
        } else {
            nr.absorb = w
            if w > 0, unsyncedSince == nil { unsyncedSince = sim.now }
        }
        // The send buffer is full at B − inFlight with the new rates.
        if mirroring, queuedBytes > eps, queuedBytes >= Swift.max(0, sendBuffer - (nr.drainApp + nr.resync) * 2 * flow.oneWayDelay.seconds) - eps,
           w > nr.drainApp {
            nr.accept = nr.drainApp; nr.throttled = true
        }
        if nr.accept != rates.accept || acceptCurve.count == 1 { acceptCurve.append((sim.now, accepted)) }
        if nr.accept + nr.absorb != rates.accept + rates.absorb { noteHistory(at: sim.now) }
        // The writer's requested rate counts too: a held writer whose demand changes (a rate step
        // while throttled) must report its new requested rate to the `writes` rows.
        let writerChanged = nr.accept != rates.accept || nr.absorb != rates.absorb || nr.throttled != rates.throttled
            || w != reportedWriteRate
        reportedWriteRate = w
        rates = nr
        trimAcceptCurve()
        if writerChanged { onWriterRate?(w, nr.accept + nr.absorb) }
        scheduleCrossing()
        observer?()
    }

    func setDemand(_ d: Double) {
        guard d != demand else { return }
        demand = d
        flow.setDemand(d)
    }

    /// The resync's target rate (see the type's doc, "Resync").
    func resyncTargetRate(writing: Bool) -> Double {
        var rho: Double
        switch config.resync {
        case .fixed(let rate): rho = rate
        case .dynamic:
            let rtt = 2 * flow.oneWayDelay.seconds
            rho = config.cFillTarget > 0 && rtt > 0 ? Double(config.cFillTarget) / rtt : config.cMaxRate
        }
        rho = Swift.min(rho, config.cMaxRate)
        if writing, config.cMinRate > 0 { rho = Swift.min(rho, config.cMinRate) }
        return Swift.min(rho, maxBuffersRate)
    }

    /// Schedules the next instant a threshold is reached with the current rates.
    func scheduleCrossing() {
        var dt = Double.infinity
        let net = rates.accept - rates.drainApp
        if net > 0 {
            let target = Swift.min(queueLimit, queueCongestion)
            if target.isFinite, queuedBytes < target { dt = (target - queuedBytes) / net }
        } else if net < 0, queuedBytes > 0 {
            dt = queuedBytes / -net
        }
        if machine.state == .syncSource, dirtyBytes > 0, rates.resync > 0 {
            let k = placement == .random ? rates.accept / Double(volume.size) : 0
            let t = k > 0 ? log(1 + dirtyBytes * k / rates.resync) / k : dirtyBytes / rates.resync
            dt = Swift.min(dt, t)
        }
        guard dt.isFinite, dt < 1e9 else { return }   // beyond 30 years: never
        let at = sim.now + .nanoseconds(Swift.max(1, Int64((dt * 1e9).rounded(.up))))
        crossing = sim.schedule(at: at) { [unowned self] _ in
            self.crossing = nil
            self.advance()
            // Snap to the threshold the crossing was computed for (rounding to whole ns).
            let net = self.rates.accept - self.rates.drainApp
            if net > 0 {
                let target = Swift.min(self.queueLimit, self.queueCongestion)
                if abs(self.queuedBytes - target) < 1 + net * 1e-9 { self.queuedBytes = target }
            } else if net < 0, self.queuedBytes < 1 - net * 1e-9 { self.queuedBytes = 0 }
            if self.machine.state == .syncSource, self.dirtyBytes < 1 + self.rates.resync * 1e-9 { self.dirtyBytes = 0 }
            self.changed()
        }
    }

    func apply(_ actions: [DRBDAction]) {
        for a in actions {
            switch a {
            case .markBitmap:
                if machine.state == .ahead, behindSince == nil {
                    behindSince = sim.now
                    aheadCount += 1
                }
            case .schedule(.resync, let d):
                // Drained means nothing unacknowledged (the packet model's `checkDrained`): the
                // queue's last byte is acknowledged one round trip after it left.
                if let t = resyncTimer { sim.cancel(t) }
                resyncTimer = sim.schedule(after: d + flow.oneWayDelay + flow.oneWayDelay) { [unowned self] _ in
                    self.resyncTimer = nil
                    self.advance()
                    self.apply(self.machine.handle(.resyncTimer))
                    self.changed()
                }
            case .startResync:
                behindSince = nil
            case .replicate, .schedule(.reconnect, _), .dropConnection, .openConnection:
                break
            }
        }
    }

    /// Drops accept-curve breakpoints wholly before the oldest undelivered byte.
    func trimAcceptCurve() {
        while acceptCurve.count >= 2, acceptCurve[acceptCurve.startIndex + 1].bytes <= deliveredApp {
            acceptCurve.removeFirst()
        }
    }

    // MARK: Write history (lost bytes)

    /// The written curve's breakpoints (time, cumulative bytes): exact, linear in between.
    var history: [(t: SimInstant, bytes: Double)] = [(.zero, 0)]

    /// Appends a breakpoint of the written curve (where the writer's total rate changes), and
    /// the whole bytes written since the last record to the volume's `WriteHistory` at most
    /// once a second, and always when `force`d (halt). The DR-Logic's dirty-bytes input reads it,
    /// so its resolution is the writer's breakpoints (its steps; every reallocation while
    /// throttled), at most 1 s; `rpo.csv`'s lost bytes use the exact `bytesWritten(after:)`.
    func noteHistory(at t: SimInstant, force: Bool = false) {
        if let last = history.last, last.t == t { history[history.count - 1].bytes = written } else { history.append((t, written)) }
        guard force || t >= lastVolumeRecord + .seconds(1 as Int64) else { return }
        lastVolumeRecord = t
        let whole = Int64(written.rounded(.down))
        if whole > recordedHistory {
            volume.history.record(bytes: whole - recordedHistory, at: t)
            recordedHistory = whole
        }
    }

    /// Bytes written strictly after `t` (exact: the written curve is linear between its
    /// breakpoints, and since the last one at the current rate).
    public func bytesWritten(after t: SimInstant) -> Double {
        advance()
        var lo = 0, hi = history.count - 1
        if t >= sim.now { return 0 }
        if t >= history[hi].t { return written - (history[hi].bytes + (rates.accept + rates.absorb) * (t - history[hi].t).seconds) }
        if t <= history[0].t { return written - history[0].bytes }
        while hi - lo > 1 { let m = (lo + hi) / 2; if history[m].t <= t { lo = m } else { hi = m } }
        let a = history[lo], b = history[hi]
        let f = Double((t - a.t).nanoseconds) / Double((b.t - a.t).nanoseconds)
        return written - (a.bytes + f * (b.bytes - a.bytes))
    }
}
