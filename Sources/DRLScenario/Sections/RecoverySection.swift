import DRLSimCore
import DRLOrchestration

/// The `recovery:` section: service times of the backup site's recovery pipeline
/// (DRLOrchestration `RecoveryTimings`; calibrated to paper §7.3 Fig. 11, see
/// Docs/orchestration.md "Recovery pipeline").
///
/// ```yaml
/// recovery:
///   start_latency: 2s          # notification -> recovery starts (token, list policies, newest container)
///   metadata_read: 500ms
///   image_import: { overhead: 2s, rate: 320mbit }     # Glance import from Swift (40 MB/s)
///   volume_restore: { overhead: 3s, rate: 200mbit }   # cinder-backup restore (25 MB/s)
///   drbd_manage: 3s            # promote + cinder manage, size independent
///   key_pair: 300ms
///   template_remap: 200ms
///   stack: { base: 1s, server: 4.5s, port: 500ms, network: 300ms, subnet: 300ms,
///            security_group: 200ms, key_pair: 200ms, floating_ip_association: 1s, volume_attachment: 2s,
///            volume: 3s }      # Heat creates ready resources in parallel: the critical path counts
///   heat_poll: 1s              # Heat's TaskRunner step (each resource's completion seen at a step)
///   restore_in_stack: true     # volume restores run as stack resources (Dragon + Heat); false: a step before
///   backup_import: 1s          # Dragon's failover of a volume snapshot when the restore runs in the stack
///   stack_timeout: 15min       # over the whole stack (Dragon's first release; 2min in its DRBD version)
///   vm_boot: { type: lognormal, median: 5.97s, sigma: 0.0998 }   # default: mean 6 s, cv 10 %
///   floating_ip_restore: 500ms
///   bgp_convergence: 1s
///   first_response: 10ms
///   concurrency: 10            # per-VM recovery: VMs recovering at once within a priority group
///                              # (absent: the policy-wide pipeline, unless a VM has a priority)
///   max_concurrent_builds: 10  # per-VM recovery: Nova builds at once per backup compute host (nova.conf)
/// ```
public struct RecoverySection: ScenarioSection {
    public static let key = "recovery"
    public static let summary = "service times of the recovery pipeline at the backup site (Fig. 11 breakdown)"

    /// The decoded timings.
    public var timings: RecoveryTimings
    /// `concurrency`: VMs recovering at once within a priority group (nil: not written).
    public var concurrency: Int? = nil
    /// `max_concurrent_builds`: Nova's instance builds at once per backup compute host in
    /// per-VM recovery (nil: not written, Nova's default 10; `BuildSlots`).
    public var maxConcurrentBuilds: Int? = nil

    /// The section's keys, declared once (defaults are `RecoveryTimings()`'s, the calibrated
    /// values of paper Fig. 11; Docs/orchestration.md "Recovery pipeline").
    public static let schema: ParameterSchema = {
        let t = RecoveryTimings()
        func d(_ name: String, _ v: SimDuration, _ doc: String) -> ParameterSpec {
            ParameterSpec(name, .duration, default: .duration(v), doc: doc)
        }
        func step(_ o: SimDuration, _ r: Double, _ what: String) -> ParameterSchema {
            [d("overhead", o, "fixed cost of each \(what)"),
             ParameterSpec("rate", .rate, default: .rate(r * 8), doc: "throughput of the \(what) (bytes follow at this rate)")]
        }
        let s = t.stack
        return [
            d("start_latency", t.recoveryStartLatency, "notification -> recovery starts (token, list policies, newest container)"),
            d("metadata_read", t.metadataRead, "reading the protection metadata from the vault"),
            ParameterSpec("image_import", .mapping(step(t.imageImportOverhead, t.imageImportRate, "Glance image import from Swift")),
                          doc: "Glance image import from Swift"),
            ParameterSpec("volume_restore", .mapping(step(t.volumeRestoreOverhead, t.volumeRestoreRate, "cinder-backup restore")),
                          doc: "cinder-backup volume restore"),
            d("drbd_manage", t.drbdManage, "promote + cinder manage of a DRBD volume, size independent"),
            d("key_pair", t.keyPair, "key pair import"),
            d("template_remap", t.templateRemap, "Heat template remapping"),
            ParameterSpec("stack", .mapping([
                d("base", s.base, "stack creation overhead"),
                d("server", s.server, "OS::Nova::Server"),
                d("port", s.port, "OS::Neutron::Port"),
                d("network", s.network, "OS::Neutron::Net"),
                d("subnet", s.subnet, "OS::Neutron::Subnet"),
                d("security_group", s.securityGroup, "OS::Neutron::SecurityGroup"),
                d("key_pair", s.keyPair, "OS::Nova::KeyPair"),
                d("floating_ip_association", s.floatingIPAssociation, "OS::Neutron::FloatingIPAssociation"),
                d("volume_attachment", s.volumeAttachment, "OS::Cinder::VolumeAttachment"),
                d("volume", s.volume, "OS::Cinder::Volume"),
            ]), doc: "Heat resource creation times (ready resources in parallel: the critical path counts)"),
            ParameterSpec("heat_poll", .duration, default: .duration(t.heatPoll), minimum: 0, message: "heat_poll must not be negative",
                          doc: "Heat's TaskRunner step (each resource's completion seen at a step)"),
            ParameterSpec("restore_in_stack", .bool, default: .bool(t.restoreInStack),
                          doc: "volume restores run as stack resources (Dragon + Heat); false: a step before"),
            d("backup_import", t.backupImport, "Dragon's failover of a volume snapshot when the restore runs in the stack"),
            ParameterSpec("stack_timeout", .duration, default: .duration(t.stackTimeout), minimum: 0, excluding: true,
                          doc: "over the whole stack (Dragon's first release; 2min in its DRBD version)"),
            ParameterSpec("vm_boot", .custom("distribution of durations"),
                          doc: "VM boot time (default lognormal, mean 6 s, cv 10 %)"),
            d("floating_ip_restore", t.floatingIPRestore, "floating IP re-association"),
            d("bgp_convergence", t.bgpConvergence, "BGP announcement of the backup site"),
            d("first_response", t.firstResponse, "first response of the recovered service"),
            ParameterSpec("concurrency", .count, minimum: 1, maximum: 1_000_000,
                          doc: "per-VM recovery: VMs recovering at once within a priority group (absent: the policy-wide pipeline, unless a VM has a priority)"),
            ParameterSpec("max_concurrent_builds", .count, minimum: 1, maximum: 1_000_000,
                          doc: "per-VM recovery: Nova instance builds at once per backup compute host (absent: Nova's default 10, nova.conf max_concurrent_builds)"),
        ]
    }()

    public static func decode(_ m: ConfigMapping) throws -> RecoverySection? {
        guard m.isPresent else { return nil }
        let p = try m.values(of: schema)
        var t = RecoveryTimings()
        t.recoveryStartLatency = p.duration("start_latency")!
        t.metadataRead = p.duration("metadata_read")!
        let image = try m.values(of: schema, in: "image_import")
        t.imageImportOverhead = image.duration("overhead")!
        t.imageImportRate = image.rate("rate")! / 8
        let restore = try m.values(of: schema, in: "volume_restore")
        t.volumeRestoreOverhead = restore.duration("overhead")!
        t.volumeRestoreRate = restore.rate("rate")! / 8
        t.drbdManage = p.duration("drbd_manage")!
        t.keyPair = p.duration("key_pair")!
        t.templateRemap = p.duration("template_remap")!
        let stack = try m.values(of: schema, in: "stack")
        t.stack.base = stack.duration("base")!
        t.stack.server = stack.duration("server")!
        t.stack.port = stack.duration("port")!
        t.stack.network = stack.duration("network")!
        t.stack.subnet = stack.duration("subnet")!
        t.stack.securityGroup = stack.duration("security_group")!
        t.stack.keyPair = stack.duration("key_pair")!
        t.stack.floatingIPAssociation = stack.duration("floating_ip_association")!
        t.stack.volumeAttachment = stack.duration("volume_attachment")!
        t.stack.volume = stack.duration("volume")!
        t.heatPoll = p.duration("heat_poll")!
        t.restoreInStack = p.bool("restore_in_stack")!
        t.backupImport = p.duration("backup_import")!
        t.stackTimeout = p.duration("stack_timeout")!
        t.vmBoot = try m.distribution("vm_boot", .time, default: t.vmBoot)
        t.floatingIPRestore = p.duration("floating_ip_restore")!
        t.bgpConvergence = p.duration("bgp_convergence")!
        t.firstResponse = p.duration("first_response")!
        var r = RecoverySection(timings: t)
        r.concurrency = p.count("concurrency")
        r.maxConcurrentBuilds = p.count("max_concurrent_builds")
        return r
    }

    public func install(into run: RunAssembly) throws {}
}
