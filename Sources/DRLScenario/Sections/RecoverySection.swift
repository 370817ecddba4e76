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

    public static func decode(_ m: ConfigMapping) throws -> RecoverySection? {
        guard m.isPresent else { return nil }
        var t = RecoveryTimings()
        t.recoveryStartLatency = try m.duration("start_latency", default: t.recoveryStartLatency)
        t.metadataRead = try m.duration("metadata_read", default: t.metadataRead)
        try m.mapping("image_import") { i in
            t.imageImportOverhead = try i.duration("overhead", default: t.imageImportOverhead)
            t.imageImportRate = try i.rate("rate", default: t.imageImportRate * 8) / 8
        }
        try m.mapping("volume_restore") { i in
            t.volumeRestoreOverhead = try i.duration("overhead", default: t.volumeRestoreOverhead)
            t.volumeRestoreRate = try i.rate("rate", default: t.volumeRestoreRate * 8) / 8
        }
        t.drbdManage = try m.duration("drbd_manage", default: t.drbdManage)
        t.keyPair = try m.duration("key_pair", default: t.keyPair)
        t.templateRemap = try m.duration("template_remap", default: t.templateRemap)
        try m.mapping("stack") { s in
            t.stack.base = try s.duration("base", default: t.stack.base)
            t.stack.server = try s.duration("server", default: t.stack.server)
            t.stack.port = try s.duration("port", default: t.stack.port)
            t.stack.network = try s.duration("network", default: t.stack.network)
            t.stack.subnet = try s.duration("subnet", default: t.stack.subnet)
            t.stack.securityGroup = try s.duration("security_group", default: t.stack.securityGroup)
            t.stack.keyPair = try s.duration("key_pair", default: t.stack.keyPair)
            t.stack.floatingIPAssociation = try s.duration("floating_ip_association", default: t.stack.floatingIPAssociation)
            t.stack.volumeAttachment = try s.duration("volume_attachment", default: t.stack.volumeAttachment)
            t.stack.volume = try s.duration("volume", default: t.stack.volume)
        }
        t.heatPoll = try m.duration("heat_poll", default: t.heatPoll)
        try m.check(t.heatPoll >= .zero, "heat_poll", "heat_poll must not be negative")
        t.restoreInStack = try m.bool("restore_in_stack", default: t.restoreInStack)
        t.backupImport = try m.duration("backup_import", default: t.backupImport)
        t.stackTimeout = try m.duration("stack_timeout", default: t.stackTimeout)
        try m.check(t.stackTimeout > .zero, "stack_timeout", "stack_timeout must be positive")
        t.vmBoot = try m.distribution("vm_boot", .time, default: t.vmBoot)
        t.floatingIPRestore = try m.duration("floating_ip_restore", default: t.floatingIPRestore)
        t.bgpConvergence = try m.duration("bgp_convergence", default: t.bgpConvergence)
        t.firstResponse = try m.duration("first_response", default: t.firstResponse)
        var r = RecoverySection(timings: t)
        r.concurrency = try m.value("concurrency")?.int(in: 1...1_000_000)
        r.maxConcurrentBuilds = try m.value("max_concurrent_builds")?.int(in: 1...1_000_000)
        return r
    }

    /// Nothing to build: the protection section's recovery pipeline uses these timings.
    public func install(into run: RunAssembly) throws {}
}
