import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLDetector

/// The paper's testbed with the DR layer, assembled on the real models for one run.
///
/// Sites `primary` (index 0) and `backup` (1) on DRLNetwork, plus a `repository` site (2,
/// 1 gbit, 5 ms) the transcoder fetches its videos from; DRLCloud's protection service over
/// `WANTransfer` with DRBD on the DRBD volumes and the VMs' workloads started at time zero;
/// DRLDetector's deployment (or the stand-in); the `DisasterRecoveryLayer` over
/// DRLCloud's `ProtectionService` as its data paths; the disaster also blocks the WAN and tells the detector. DRLCloud emits
/// `protection` and `rpo`; this module `recovery`, `recovery_steps` and the overlap markers.
public final class DRWorld {
    /// The WAN.
    public let network: Network
    /// The transfer seam over it.
    public let transfer: WANTransfer
    /// The primary site.
    public let primary: Site
    /// The backup site.
    public let backup: Site
    /// DRLCloud's protection service.
    public let service: ProtectionService
    /// The failure detector, if installed.
    public let detector: DetectorDeployment?
    /// The running workloads, one per VM with writes.
    public let workloads: [Workload]
    /// The DR layer.
    public let layer: DisasterRecoveryLayer
    /// The tenant's workload as the orchestrator sees it.
    public let tenantWorkload: TenantWorkload

    /// Builds and starts everything on `context`.
    public init(context: RunContext, config: DRWorldConfig) throws {
        var net = NetworkConfig.twoSites(primary: config.primary.name, backup: config.backup.name, rate: config.wanRate,
                                         delay: config.wanDelay, segmentSize: config.segmentSize, qdisc: config.qdisc)
        net.links[1].qdisc = nil
        net.sites.append(NetworkConfig.Site(name: "repository"))
        net.links.append(NetworkConfig.Link(from: 2, to: 0, rate: .gbit(1), delay: .milliseconds(5)))
        net.links.append(NetworkConfig.Link(from: 0, to: 2, rate: .gbit(1), delay: .milliseconds(5)))
        network = try Network(config: net, context: context)
        transfer = WANTransfer(network: network)
        primary = Site(config: config.primary, sim: context.sim)
        backup = Site(config: config.backup, sim: context.sim)
        var pc = config.protection
        pc.tenant = config.tenant
        service = ProtectionService(context: context, primary: primary, backup: backup, vault: SwiftStore(sim: context.sim),
                                    network: transfer, config: pc)
        let privateNet = TenantWorkload.Network(id: "net-1", name: "private", cidr: "10.0.0.0/24")
        var vms: [VMDescription] = [], volumes: [VolumeDescription] = []
        var running: [Workload] = []
        for v in config.vms {
            let vm = primary.addVM(name: v.name, image: GlanceImage(name: "\(v.name)-image", size: v.imageBytes),
                                   ephemeralSize: v.ephemeralBytes)
            vms.append(VMDescription(id: ResourceID(v.name), name: v.name, image: ResourceID("\(v.name)-image"),
                                      imageBytes: v.imageBytes, imageChecksum: vm.image.checksum, keyName: "\(config.tenant)-key",
                                      securityGroups: ["default"],
                                      ports: [.init(id: ResourceID("\(v.name)-port"), network: privateNet.id, fixedIP: v.fixedIP)],
                                      floatingIP: v.floatingIP))
            var device: BlockDevice = vm.ephemeral.device
            if let size = v.volumeBytes {
                let name = "\(v.name)-volume"
                let vol = primary.addVolume(name: name, size: size, type: v.volumeType, attachTo: vm)
                device = v.volumeType == .drbd ? service.attachDRBD(to: vol, config: config.drbd) : vol.device
                volumes.append(VolumeDescription(id: ResourceID(name), name: name, sizeBytes: size,
                                      type: v.volumeType == .drbd ? .drbd : .iscsi, attachedTo: ResourceID(v.name)))
            }
            if let w = v.writes {
                let env = WorkloadEnvironment(context: context, vm: vm, device: device, network: transfer, site: config.primary.name)
                let wl = try w.makeWorkload(env)
                wl.start(at: nil)
                running.append(wl)
            }
        }
        workloads = running
        tenantWorkload = TenantWorkload(tenant: config.tenant, vms: vms, volumes: volumes,
                                        keyPairs: [.init(name: "\(config.tenant)-key")],
                                        securityGroups: [.init(id: "sg-1", name: "default", rules: ["tcp:80:0.0.0.0/0"])],
                                        networks: [privateNet])
        var targets: [DisasterTargets] = [WANDisasterTarget(network: network, primary: 0, backup: 1)]
        var lc = config.layer
        if let dc = config.detector {
            let d = try DetectorDeployment.install(in: context, config: dc,
                                                   topology: .primaryBackup(primaryHosts: config.primary.hosts,
                                                                            backupHosts: config.backup.hosts, witness: config.witness))
            targets.append(DetectorDisasterTarget(deployment: d))
            lc.recovery.detection = nil
            detector = d
        } else {
            detector = nil
        }
        layer = try DisasterRecoveryLayer(context: context, dataPaths: service, workloads: [tenantWorkload], config: lc,
                                          extraTargets: targets)
        if let d = detector { layer.recovery.listen(to: d) }
        if config.layer.disaster != nil {
            let wl = running
            layer.injector?.listeners.append { e in if e.spec.hostsOff == .all { for w in wl { w.stop() } } }
        }
    }

    /// The Heat template of the protected workload (what `drlsim describe` can show).
    public var templateYAML: String { layer.engine.generator.template(for: tenantWorkload).yaml }
}
