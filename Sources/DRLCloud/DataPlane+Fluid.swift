import DRLSimCore
import DRLNetwork

extension DataPlane {
    /// With a `rateNetwork`, installs `spec` at rate level when it has a DRBD volume and a
    /// workload that is a rate process: the volume, a `FluidDRBD` over the rate network and a
    /// `RateWriter` (registered with the `writes` table). Returns false (nothing installed
    /// beyond the VM) otherwise: the packet-level install follows, whose `DRBDDevice` runs
    /// over the same WAN model's channels.
    func installFluid(_ spec: VMDescription, vm: VirtualMachine) -> Bool {
        guard let rn = rateNetwork, let vs = spec.volume, vs.type == .drbd, let w = spec.writes,
              let schedule = w.rateSchedule(traceBin: writes.bin) else { return false }
        let v = primary.addVolume(name: vs.name, size: vs.sizeBytes, type: vs.type, attachTo: vm)
        let d = service.attachFluidDRBD(to: v, config: drbd, network: rn, placement: w.placement, writeSize: w.writeSize)
        let writer = RateWriter(name: spec.name, sim: context.sim, schedule: schedule, device: d, writeSize: w.writeSize)
        writes.register(vm: spec.name)
        writer.monitor = writes
        appendWorkload(writer)
        return true
    }

    /// Accounts every rate writer up to now (call at the run's end, before `writes.finish()`).
    public func flushRateWriters() {
        for case let w as RateWriter in workloads { w.flush() }
    }
}
