import DRLSimCore
import DRLNetwork

extension ProtectionService {
    /// Makes `volume` a DRBD volume replicated as a fluid queue (`FluidDRBD`) over `network`
    /// (`wan.model: flow`); its writer must be a `RateWriter`. The volume keeps its local
    /// device (writes that are not rate processes do not replicate: `DataPlane.install` only
    /// attaches a fluid device when the workload is one). Sampled into `replication.csv`.
    @discardableResult
    public func attachFluidDRBD(to volume: Volume, config drbdConfig: DRBDConfig = DRBDConfig(), network: RateNetwork,
                                placement: WritePlacement, writeSize: Int64) -> FluidDRBD {
        let d = FluidDRBD(volume: volume, sim: sim, network: network, source: primary.name, destination: backup.name,
                          config: drbdConfig, placement: placement, writeSize: writeSize)
        fluidDRBD[volume.name] = d
        replicationMonitor.add(resource: volume.name, device: d)
        return d
    }

    /// The DRBD replica of volume `name`, packet-level or fluid (nil: not DRBD-replicated).
    public func replica(for name: String) -> (any ReplicationSource)? { drbdDevice(for: name) ?? fluidDRBD[name] }

    /// The fluid DRBD device of volume `name`, if any.
    public func fluidDRBDDevice(for name: String) -> FluidDRBD? { fluidDRBD[name] }

    /// Bytes the backup lacks over every fluid DRBD volume.
    var fluidBacklogBytes: Int64 { fluidDRBD.values.reduce(0) { $0 + $1.backlogBytes } }

    /// Halts every fluid DRBD device (disaster, end of run), in volume-name order.
    func haltFluid() {
        for name in fluidDRBD.keys.sorted() { fluidDRBD[name]!.halt() }
    }
}
