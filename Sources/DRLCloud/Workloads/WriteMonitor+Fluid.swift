import DRLSimCore

extension WriteMonitor {
    /// Registers a VM whose rows come from `addFluid` (row order: registration order).
    public func register(vm: String) {
        if !vms.contains(vm) { vms.append(vm) }
    }

    /// Adds a rate writer's interval [from, to) at constant rates to the bins it spans:
    /// requested and completed bytes pro rata, the whole interval as throttled time when
    /// `throttled`, completed / `writeSize` writes. No latencies (the row's latency columns
    /// are NaN for a bin with only fluid writes).
    public func addFluid(vm: String, from: SimInstant, to: SimInstant, requestedRate: Double, completedRate: Double,
                         throttled: Bool, writeSize: Int64) {
        var cache = FluidBinCache()
        addFluid(vm: vm, from: from, to: to, requestedRate: requestedRate, completedRate: completedRate,
                 throttled: throttled, writeSize: writeSize, cache: &cache)
    }

    /// The bin a rate writer wrote last (saves the per-change lookup of its bin).
    public struct FluidBinCache {
        var index: Int64 = -1
        var bin: Bin?
        /// An empty cache.
        public init() {}
    }

    /// `addFluid` with the writer's cache of its current bin; `throttledShare` is the fraction
    /// of a throttled interval counted as throttled time (1: all of it; a closed-loop writer,
    /// `RateWriter.closedLoop`, waits only part of each cycle).
    public func addFluid(vm: String, from: SimInstant, to: SimInstant, requestedRate: Double, completedRate: Double,
                         throttled: Bool, writeSize: Int64, cache: inout FluidBinCache, throttledShare: Double = 1) {
        guard requestedRate > 0 || completedRate > 0 || throttled else { return }
        var t = from
        while t < to {
            let i = index(t)
            let e = Swift.min(to, SimInstant(nanoseconds: (i + 1) * bin.nanoseconds))
            let b: Bin
            if i == cache.index, let c = cache.bin { b = c } else { b = self.bin(vm, t); cache.index = i; cache.bin = b }
            let dt = (e - t).seconds
            b.fluidRequested += requestedRate * dt
            b.fluidCompleted += completedRate * dt
            b.fluidWrites += completedRate * dt / Double(writeSize)
            if throttled {
                b.throttled += throttledShare == 1 ? (e - t).nanoseconds : Int64((Double((e - t).nanoseconds) * throttledShare).rounded())
            }
            t = e
        }
    }
}
