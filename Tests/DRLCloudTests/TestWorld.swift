import DRLSimCore
import DRLNetwork
@testable import DRLCloud
import DRLCloudTestSupport

/// Which transport a test world uses: the in-module fixed-rate pipe or DRLNetwork's TCP flows.
enum Transport: String, CaseIterable, Sendable, CustomStringConvertible {
    case pipe, wan
    var description: String { rawValue }
}

/// A small primary/backup world over a fixed-rate pipe for the data-path tests.
final class TestWorld {
    let ctx: RunContext
    let net: TransferNetwork
    var pipe: FixedRateNetwork?
    var wan: Network?
    let primary: Site
    let backup: Site
    let vault: SwiftStore
    let service: ProtectionService
    var sim: Simulator { ctx.sim }

    init(_ transport: Transport = .pipe, mbit: Double = 100, oneWayMs: Int64 = 2, seed: UInt64 = 1,
         protection: ProtectionConfig = ProtectionConfig(), segment: Int64 = 65536, repositoryMbit: Double = 1000,
         backupSite: SiteConfig = .backupDefault, replicationBin: SimDuration = .seconds(10 as Int64)) {
        ctx = RunContext(seed: seed, replication: 0)
        switch transport {
        case .pipe:
            let p = FixedRateNetwork(sim: ctx.sim, bitsPerSecond: mbit * 1e6, oneWayDelay: .milliseconds(oneWayMs),
                                     segmentBytes: segment)
            pipe = p
            net = p
        case .wan:
            var cfg = NetworkConfig.twoSites(primary: "umea", backup: "lulea", rate: .mbit(mbit),
                                             delay: .milliseconds(oneWayMs), segmentSize: Int(segment))
            cfg.sites.append(NetworkConfig.Site(name: "repository"))
            cfg.links.append(NetworkConfig.Link(from: 2, to: 0, rate: .mbit(repositoryMbit), delay: .milliseconds(5)))
            cfg.links.append(NetworkConfig.Link(from: 0, to: 2, rate: .mbit(repositoryMbit), delay: .milliseconds(5)))
            let n = try! Network(config: cfg, context: ctx)
            wan = n
            net = WANTransfer(network: n)
        }
        primary = Site(config: .primaryDefault, sim: ctx.sim)
        backup = Site(config: backupSite, sim: ctx.sim)
        vault = SwiftStore(sim: ctx.sim)
        service = ProtectionService(context: ctx, primary: primary, backup: backup, vault: vault, network: net,
                                    config: protection, replicationBin: replicationBin)
    }

    /// A VM with a volume; DRBD-attached when `drbd` is given.
    func vmWithVolume(size: Int64, type: VolumeType, drbd: DRBDConfig? = nil,
                      image: GlanceImage = GlanceImage(name: "cirros", size: 190 * ByteUnits.MB))
        -> (VirtualMachine, Volume, DRBDDevice?) {
        let vm = primary.addVM(name: "vm1", image: image)
        let v = primary.addVolume(name: "vol1", size: size, type: type, attachTo: vm)
        var d: DRBDDevice? = nil
        if let drbd { d = service.attachDRBD(to: v, config: drbd) }
        return (vm, v, d)
    }

    /// Runs `body` every `step` until `end`.
    func sample(every step: SimDuration, until end: SimInstant, _ body: () -> Void) {
        var t = sim.now
        while t < end {
            t = t + step
            sim.run(until: Swift.min(t, end))
            body()
        }
    }
}
