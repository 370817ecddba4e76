import DRLSimCore

/// A write workload run as a rate process against a fluid DRBD device (`wan.model: flow`):
/// at every step of its `RateSchedule` it sets the device's write rate; nothing happens per
/// write. It reports the `writes` table's rows by rate (`WriteMonitor.addFluid`): requested =
/// ∫ w, completed = ∫ (what the device accepted), throttled = time the device held the writer
/// below w (on-congestion block at a full send buffer), writes = completed / write size;
/// latencies are not modelled (NaN).
///
/// Simplifications (say so): the VM's speed and pause (VM snapshots) do not slow a rate
/// writer; the writer is open loop below the send buffer (the packet writer's queue depth
/// caps its rate at write size / local-disk time, irrelevant at the estate's rates).
public final class RateWriter: Workload {
    public let name: String
    /// The schedule.
    public let schedule: RateSchedule
    /// The device written.
    public let device: FluidDRBD
    /// The write size (the `writes` column of the rows).
    public let writeSize: Int64
    /// Where the rows go (nil: nowhere).
    public var monitor: WriteMonitor?
    /// A closed-loop writer (`FluidTranscoder`: the next write follows the previous one's
    /// completion): its requested rate w is the rate of its unthrottled cycle, so held to an
    /// accepted rate a < w each cycle stretches by the wait for buffer space, and the writer
    /// waits a share 1 − a/w of the time (the packet writer's `throttled_s`: time a write waited
    /// for send-buffer space). False (open loop, the default): all of a throttled interval.
    public var closedLoop = false

    let sim: Simulator
    var timer: EventID?
    var stopped = false
    var since: SimInstant = .zero
    var requestedRate = 0.0
    var completedRate = 0.0
    var throttled = false
    var binCache = WriteMonitor.FluidBinCache()
    /// Bytes requested so far (Double: the fluid is continuous).
    public private(set) var requestedBytes = 0.0
    /// Bytes written (accepted by the device) so far.
    public private(set) var writtenBytes = 0.0

    /// A writer following `schedule` into `device`.
    public init(name: String, sim: Simulator, schedule: RateSchedule, device: FluidDRBD, writeSize: Int64) {
        self.name = name; self.sim = sim; self.schedule = schedule; self.device = device; self.writeSize = writeSize
        device.onWriterRate = { [unowned self] w, a in self.rateChanged(requested: w, completed: a) }
    }

    public func start(at time: SimInstant?) {
        let t = time ?? sim.now
        timer = sim.schedule(at: t) { [unowned self] _ in self.step() }
    }

    public func stop() {
        guard !stopped else { return }
        stopped = true
        if let t = timer { sim.cancel(t); timer = nil }
        device.setWriteRate(0)
        rateChanged(requested: 0, completed: 0)
    }

    public var issuedBytes: Int64 { account(); return Int64(writtenBytes.rounded()) }
    public var completedBytes: Int64 { account(); return Int64(writtenBytes.rounded()) }

    func step() {
        timer = nil
        guard !stopped else { return }
        let s = schedule.segment(at: sim.now)
        device.setWriteRate(s.rate)
        if let u = s.until { timer = sim.schedule(at: u) { [unowned self] _ in self.step() } }
    }

    /// The device's accepted rate (or the writer's) changed now.
    func rateChanged(requested w: Double, completed a: Double) {
        account()
        requestedRate = w; completedRate = a; throttled = a < w - 1e-9
    }

    /// Adds the interval since the last change to the totals and the rows.
    func account() {
        let now = sim.now
        guard now > since else { return }
        requestedBytes += requestedRate * (now - since).seconds
        writtenBytes += completedRate * (now - since).seconds
        monitor?.addFluid(vm: name, from: since, to: now, requestedRate: requestedRate, completedRate: completedRate,
                          throttled: throttled, writeSize: writeSize, cache: &binCache,
                          throttledShare: closedLoop && requestedRate > 0 ? Swift.max(0, 1 - completedRate / requestedRate) : 1)
        since = now
    }

    /// Accounts up to now (the run's end, before the rows are emitted).
    public func flush() { account() }
}
