import DRLSimCore
import DRLNetwork

/// Everything DRLCloud builds for one run: both sites, the backup's vault (and its `storage`
/// rows), DRBD devices, workloads and the protection service. The orchestration layer creates one per run, calls
/// `install` per VM, `startWorkloads`, drives `service` (protect, finishExecution, cleanup),
/// and calls `disaster()` at the disaster instant.
public final class DataPlane {
    /// The run.
    public let context: RunContext
    /// Primary site.
    public let primary: Site
    /// Backup site.
    public let backup: Site
    /// The backup's Swift store.
    public let vault: SwiftStore
    /// The vault's `storage` rows (call `storage.flush()` when the run ends).
    public let storage: VaultRecorder
    /// The protection service (protect/abort, recovery points, rows).
    public let service: ProtectionService
    /// The transfer seam (WANTransfer over DRLNetwork in runs).
    public let network: TransferNetwork
    /// DRBD settings for DRBD volumes.
    public let drbd: DRBDConfig
    /// Installed workloads, in installation order.
    public private(set) var workloads: [Workload] = []
    /// The application's writes per VM and bin (`writes` table; call `writes.finish()` when the run ends).
    public let writes: WriteMonitor
    /// The flow-level WAN's fluid seam (`wan.model: flow`), nil with the packet model: when set,
    /// a DRBD volume whose workload is a rate process (`WriteWorkload.rateSchedule`) is
    /// replicated by a `FluidDRBD` and written by a `RateWriter` (DataPlane+Fluid.swift).
    public var rateNetwork: RateNetwork?

    /// A data plane for one run; `storageBin` is the bin of the `storage` rows (`VaultRecorder`);
    /// DRBD volumes are sampled into `replication.csv`, and the application's writes binned into
    /// `writes.csv`, every `replicationBin`.
    public init(context: RunContext, primary: SiteConfig = .primaryDefault, backup: SiteConfig = .backupDefault,
                network: TransferNetwork, protection: ProtectionConfig = ProtectionConfig(),
                drbd: DRBDConfig = DRBDConfig(), storageBin: SimDuration = .seconds(10 as Int64),
                replicationBin: SimDuration = .seconds(10 as Int64)) {
        self.context = context
        self.primary = Site(config: primary, sim: context.sim)
        self.backup = Site(config: backup, sim: context.sim)
        self.vault = SwiftStore(sim: context.sim, replicas: backup.swiftReplicas, lanBytesPerSecond: backup.swiftProxyBytesPerSecond)
        self.storage = VaultRecorder(vault: vault, site: backup.name, recorder: context.recorder, bin: storageBin)
        self.network = network
        self.drbd = drbd
        self.service = ProtectionService(context: context, primary: self.primary, backup: self.backup, vault: vault,
                                         network: network, config: protection, replicationBin: replicationBin)
        self.writes = WriteMonitor(context: context, bin: replicationBin)
    }

    /// Creates the VM, its volume (DRBD-attached when `drbd`) and its workload (not started).
    /// Returns the VM; the volume is `vm.volume`.
    @discardableResult
    public func install(_ spec: VMDescription) throws(WorkloadError) -> VirtualMachine {
        let vm = primary.addVM(name: spec.name, image: spec.glanceImage, ephemeralSize: spec.ephemeralSize, host: spec.host)
        if installFluid(spec, vm: vm) { return vm }
        if let vs = spec.volume {
            let v = primary.addVolume(name: vs.name, size: vs.sizeBytes, type: vs.type, attachTo: vm)
            if vs.type == .drbd { service.attachDRBD(to: v, config: drbd) }
        }
        if let writes = spec.writes {
            let device: BlockDevice = vm.volume?.device ?? vm.ephemeral.device
            let wl = try writes.makeWorkload(WorkloadEnvironment(context: context, vm: vm, device: device, network: network,
                                                                 site: primary.name, queueDepth: spec.queueDepth))
            let sink = self.writes.sink(for: spec.name, device: device, queueDepth: spec.queueDepth)
            (wl as? WorkloadRunner)?.writeSink = sink
            (wl as? VideoTranscoder)?.writeSink = sink
            workloads.append(wl)
        }
        return vm
    }

    func appendWorkload(_ w: Workload) { workloads.append(w) }

    /// Starts every installed workload at `time` (now when nil).
    public func startWorkloads(at time: SimInstant? = nil) {
        for w in workloads { w.start(at: time) }
    }

    /// The disaster, now: emits the `rpo` rows (evaluated at this instant), aborts every
    /// running protection action (`aborted` rows), halts DRBD, stops the workloads and turns
    /// the primary's hosts off. The WAN cut itself is the network's (block the links).
    @discardableResult
    public func disaster() -> [RecoveryPointRecord] {
        let rows = service.emitRecoveryPoints()
        service.abortAll()
        for w in workloads { w.stop() }
        primary.setAllHosts(up: false)
        return rows
    }
}
