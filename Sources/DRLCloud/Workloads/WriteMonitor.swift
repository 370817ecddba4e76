import DRLSimCore

/// The application's cost of protection: the `writes` table, one row per VM and bin of
/// `bin` (from time 0) with what the application asked to write, what its disk completed,
/// how long its writes were held back, and their completion latency (issue 13; the paper's
/// §7.2 names the trade-off "replication vs the application's QoS").
///
/// Each workload reports three instants per write through its `WriteSink`:
/// - **requested**: when the application would have issued it unhindered (`WorkloadRunner`:
///   the previous plan instant plus the generator's gap at full VM speed; `VideoTranscoder`:
///   when a downloaded piece is ready, or when an output piece would be ready at full speed);
/// - **issued**: when it reached the device (later when the VM is paused or slowed by a VM
///   snapshot, or every queue slot is held by a write that DRBD `on_congestion: block` or
///   protocol C keeps waiting);
/// - **completed**: when the device acknowledged it (DRBD protocol C: the peer's ack).
///
/// `throttled_s` of a bin is the time within the bin during which at least one write of the
/// VM was held back: the union of the [ready, issued) intervals, so it never exceeds the bin;
/// `throttled_share` = `throttled_s` / bin. A write is *ready* at the later of its requested
/// instant and the instant an unprotected disk would have freed its queue slot: a shadow
/// FIFO disk at the device's local write rate (`DiskServer`, the volume tier's rate) serves the
/// same writes with the same queue depth, so a writer queueing behind its own writes on its
/// own disk (the transcoder's downloads) is not throttled, while one waiting because DRBD or a
/// paused VM held the previous writes is. Latency is issued ->
/// completed of the writes completing in the bin (mean and p99, nearest rank). Rows are
/// emitted by `finish()` at the run's end, ordered by bin then VM; a VM without writes in a
/// bin has no row for it.
public final class WriteMonitor {
    /// Table name.
    public static let table = "writes"
    /// Columns after `run, point, replication`.
    public static let columns = ["t_s", "vm", "requested_bytes", "completed_bytes", "writes", "throttled_s",
                                 "throttled_share", "latency_mean_s", "latency_p99_s"]

    /// One VM's reporting end.
    public final class Sink {
        let monitor: WriteMonitor
        let vm: String
        @exclusivity(unchecked) var coveredUntil: SimInstant = .zero
        /// The shadow unprotected disk (nil: unknown device, every wait counts).
        @exclusivity(unchecked) var shadow: DiskServer?
        let queueDepth: Int
        /// Shadow completions of the last `queueDepth` writes (oldest first).
        @exclusivity(unchecked) var shadowDone: [SimInstant] = []
        init(monitor: WriteMonitor, vm: String, localBytesPerSecond: Double?, queueDepth: Int) {
            self.monitor = monitor; self.vm = vm
            self.shadow = localBytesPerSecond.flatMap { $0 > 0 ? DiskServer(bytesPerSecond: $0) : nil }
            self.queueDepth = Swift.max(1, queueDepth)
        }

        /// A write of `bytes` the application requested at `at` (may lie in the future of
        /// the report when the VM is slowed: the nominal instant at full speed).
        public func requested(bytes: Int64, at: SimInstant) {
            monitor.bin(vm, at).requested += bytes
        }
        /// A write of `bytes` requested at `requested` was issued now (`at`): the time it was
        /// held back beyond what an unprotected disk would have imposed is added.
        public func issued(requested: SimInstant, bytes: Int64, at: SimInstant) {
            var ready = requested
            if shadow != nil {
                if shadowDone.count == queueDepth { ready = Swift.max(ready, shadowDone.removeFirst()) }
                shadowDone.append(shadow!.reserve(bytes: bytes, at: ready))
            }
            let a = Swift.max(ready, coveredUntil)
            guard at > a else { return }
            coveredUntil = at
            monitor.addThrottle(vm, from: a, to: at)
        }
        /// A write of `bytes` issued at `issued` completed at `at`.
        public func completed(bytes: Int64, issued: SimInstant, at: SimInstant) {
            let b = monitor.bin(vm, at)
            b.completed += bytes
            b.latencies.append((at - issued).nanoseconds)
        }
    }

    final class Bin {
        @exclusivity(unchecked) var requested: Int64 = 0
        @exclusivity(unchecked) var completed: Int64 = 0
        @exclusivity(unchecked) var throttled: Int64 = 0   // ns
        @exclusivity(unchecked) var latencies: [Int64] = []
        // Rate writers' shares (`addFluid`), rounded when the row is emitted.
        var fluidRequested = 0.0
        var fluidCompleted = 0.0
        var fluidWrites = 0.0
    }

    /// Bin width.
    public let bin: SimDuration
    let context: RunContext
    @exclusivity(unchecked) var vms: [String] = []
    @exclusivity(unchecked) var bins: [String: [Int64: Bin]] = [:]
    @exclusivity(unchecked) var finished = false

    /// A monitor emitting to `context.recorder` (table declared now).
    public init(context: RunContext, bin: SimDuration) {
        precondition(bin > .zero, "writes bin must be positive")
        self.context = context
        self.bin = bin
        context.recorder.declare(Self.table, columns: Self.columns)
    }

    /// The sink of VM `vm` writing `device` with `queueDepth` outstanding writes (one per VM).
    /// The shadow disk takes the device's local write rate (a plain disk's, or a DRBD device's
    /// local disk).
    public func sink(for vm: String, device: BlockDevice? = nil, queueDepth: Int = 1) -> Sink {
        if !vms.contains(vm) { vms.append(vm) }
        return Sink(monitor: self, vm: vm, localBytesPerSecond: device.flatMap(Self.localRate), queueDepth: queueDepth)
    }

    /// The local write rate of `device` (B/s): a plain disk's, a DRBD device's local disk.
    static func localRate(_ device: BlockDevice) -> Double? {
        if let d = device as? LocalBlockDevice { return d.disk.bytesPerSecond }
        if let d = device as? DRBDDevice { return d.localDisk.bytesPerSecond }
        return nil
    }

    func index(_ t: SimInstant) -> Int64 { t.nanoseconds / bin.nanoseconds }

    func bin(_ vm: String, _ t: SimInstant) -> Bin {
        let i = index(t)
        if let b = bins[vm]?[i] { return b }
        let b = Bin()
        bins[vm, default: [:]][i] = b
        return b
    }

    func addThrottle(_ vm: String, from a: SimInstant, to b: SimInstant) {
        var t = a
        while t < b {
            let i = index(t)
            let binEnd = SimInstant(nanoseconds: (i + 1) * bin.nanoseconds)
            let e = Swift.min(b, binEnd)
            self.bin(vm, t).throttled += (e - t).nanoseconds
            t = e
        }
    }

    /// Emits every bin up to now (call once, when the run ends). Bins after the run's end
    /// (requests planned beyond it) are not rows.
    public func finish() {
        guard !finished else { return }
        finished = true
        let end = context.sim.now
        let lastIndex = index(end) - (end.nanoseconds % bin.nanoseconds == 0 ? 1 : 0)
        let all = Set(bins.values.flatMap(\.keys)).filter { $0 <= lastIndex }.sorted()
        for i in all {
            for vm in vms {
                guard let b = bins[vm]?[i] else { continue }
                let t0 = SimInstant(nanoseconds: i * bin.nanoseconds)
                let width = Swift.min(bin, end - t0)
                let lat = b.latencies.sorted()
                let mean = lat.isEmpty ? Double.nan : Double(lat.reduce(0, +)) / Double(lat.count) / 1e9
                let p99 = lat.isEmpty ? Double.nan : Double(lat[Swift.max(0, Int((0.99 * Double(lat.count)).rounded(.up)) - 1)]) / 1e9
                let th = Double(b.throttled) / 1e9
                context.recorder.emit(Self.table, [
                    .double(t0.seconds), .text(vm), .int(b.requested + Int64(b.fluidRequested.rounded())),
                    .int(b.completed + Int64(b.fluidCompleted.rounded())), .int(Int64(lat.count) + Int64(b.fluidWrites.rounded())),
                    .double(th), .double(width > .zero ? th / width.seconds : 0), .double(mean), .double(p99)])
            }
        }
    }
}
