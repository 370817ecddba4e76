import DRLSimCore

/// Drives a `WriteGenerator` against a block device on behalf of a VM, closed loop.
///
/// At most `queueDepth` writes are outstanding. A write is issued when its think time has
/// passed (the gap divided by the VM's speed), the VM is not paused and a slot is free; there
/// is no catching up after a stall, so a device that completes writes late (DRBD blocking,
/// paper section 4.2: "block the I/O system when the local TCP send buffer is full") lowers
/// the application's throughput, as on the testbed.
public final class WorkloadRunner {
    /// The workload's name (usually the VM name).
    public let name: String
    /// The VM whose speed and pause state govern the workload (nil: always full speed).
    public let vm: VirtualMachine?
    /// The device written.
    public let device: BlockDevice
    /// Outstanding-write limit.
    public let queueDepth: Int
    /// Writes issued so far.
    @exclusivity(unchecked) public private(set) var issuedWrites: Int64 = 0
    /// Bytes issued so far.
    @exclusivity(unchecked) public private(set) var issuedBytes: Int64 = 0
    /// Bytes whose write completed.
    @exclusivity(unchecked) public private(set) var completedBytes: Int64 = 0
    /// Writes completed.
    @exclusivity(unchecked) public private(set) var completedWrites: Int64 = 0
    /// Sum of completion latencies (ns), for the mean.
    @exclusivity(unchecked) public private(set) var totalLatencyNanos: Int64 = 0
    /// Largest completion latency seen.
    @exclusivity(unchecked) public private(set) var maxLatency: SimDuration = .zero
    /// Whether the generator is exhausted (or the runner stopped).
    @exclusivity(unchecked) public private(set) var finished = false
    /// Called when every issued write has completed after the generator ran out.
    @exclusivity(unchecked) public var onFinished: (() -> Void)?
    /// Where the write's requested/issued/completed instants go (`writes` table), if anywhere.
    @exclusivity(unchecked) public var writeSink: WriteMonitor.Sink?

    let sim: Simulator
    let generator: WriteGenerator
    @exclusivity(unchecked) var outstanding = 0
    @exclusivity(unchecked) var planned: PlannedWrite?
    @exclusivity(unchecked) var plannedNominal: SimInstant = .zero
    @exclusivity(unchecked) var dueAt: SimInstant = .zero
    @exclusivity(unchecked) var waitingForSlot = false
    @exclusivity(unchecked) var timer: EventID?
    @exclusivity(unchecked) var stopped = false

    /// A runner writing `generator`'s writes to `device`.
    public init(name: String, sim: Simulator, generator: WriteGenerator, device: BlockDevice,
                vm: VirtualMachine? = nil, queueDepth: Int = 1) {
        precondition(queueDepth >= 1)
        self.name = name
        self.sim = sim
        self.generator = generator
        self.device = device
        self.vm = vm
        self.queueDepth = queueDepth
    }

    /// Starts issuing at `time` (now by default).
    public func start(at time: SimInstant? = nil) {
        let t = time ?? sim.now
        sim.schedule(at: t) { [self] _ in self.planNext() }
    }

    /// Stops issuing (a disaster); outstanding writes still complete locally.
    public func stop() {
        stopped = true
        finished = true
        if let t = timer { sim.cancel(t); timer = nil }
    }

    /// Mean completion latency.
    public var meanLatency: SimDuration {
        completedWrites == 0 ? .zero : .nanoseconds(totalLatencyNanos / completedWrites)
    }

    private func planNext() {
        guard !stopped else { return }
        guard let p = generator.next() else {
            finished = true
            if outstanding == 0 { onFinished?() }
            return
        }
        planned = p
        plannedNominal = sim.now + p.gap   // when it is due at full speed, unhindered
        writeSink?.requested(bytes: p.write.length, at: plannedNominal)
        let speed = vm?.speed ?? 1
        let g = speed > 0 ? SimDuration.seconds(p.gap.seconds / speed) : p.gap
        timer = sim.schedule(after: g) { [self] _ in self.timer = nil; self.tryIssue() }
    }

    private func tryIssue() {
        guard !stopped, let p = planned else { return }
        if let vm, vm.isPaused { vm.whenRunning { [self] in self.tryIssue() }; return }
        guard outstanding < queueDepth else { waitingForSlot = true; return }
        planned = nil
        outstanding += 1
        issuedWrites += 1
        issuedBytes += p.write.length
        let issued = sim.now
        writeSink?.issued(requested: plannedNominal, bytes: p.write.length, at: issued)
        device.submit(p.write) { [self] done in
            self.writeSink?.completed(bytes: p.write.length, issued: issued, at: done)
            self.outstanding -= 1
            self.completedWrites += 1
            self.completedBytes += p.write.length
            let lat = done - issued
            self.totalLatencyNanos += lat.nanoseconds
            if lat > self.maxLatency { self.maxLatency = lat }
            if self.waitingForSlot { self.waitingForSlot = false; self.tryIssue() }
            if self.finished, self.outstanding == 0, !self.stopped { self.onFinished?() }
        }
        planNext()
    }
}
