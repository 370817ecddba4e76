import DRLSimCore
import DRLCloud
import DRLOrchestration

/// The `protection:` section's keys, declared once: decoding (`ProtectionSection.decode`),
/// range errors, `drlsim describe --plugins` and Docs/plugin-reference.md follow from here.
/// Defaults are the models' own (`OrchestratorConfig()`, `DREngine.Config()`,
/// `ProtectionConfig()`), where each calibrated number cites its source.
extension ProtectionSection {
    /// The keys of one `protection.policies.<name>` entry.
    public static let policySchema: ParameterSchema = [
        ParameterSpec("vms", .names, required: true, doc: "VM names of workload.vms (a name also selects its copies <name>-<k>)"),
        ParameterSpec("interval", .duration, minimum: 1, message: "interval must be at least 1s", doc: "this policy's protection interval (default: protection.interval)"),
        ParameterSpec("vm_action", .choice(["vm-snapshot", "image-copy"]), doc: "this policy's VM action (default: protection.vm_action)"),
        ParameterSpec("concurrency", .count, minimum: 1, maximum: 100_000, doc: "actions of one execution at once (default: protection.concurrency)"),
        ParameterSpec("logic", .custom("DR-Logic driver: type and its keys"), doc: "this policy's DR-Logic driver (not one that shapes traffic)"),
    ]

    /// The keys of `protection.retention`.
    public static let retentionSchema: ParameterSchema = [
        ParameterSpec("count", .count, doc: "recovery points kept per VM (at least 1; replaces cleanup.keep)"),
        ParameterSpec("age", .duration, doc: "recovery points younger than this are kept (positive)"),
    ]

    /// The section's keys.
    public static let schema: ParameterSchema = {
        let o = OrchestratorConfig(), e = DREngine.Config(), p = ProtectionConfig()
        let c = p.compression
        return [
            ParameterSpec("policy", .choice(Policy.allCases.map(\.rawValue)),
                          doc: "snapshot (vm-snapshot, iscsi volumes) or replication (image-copy, drbd volumes)"),
            // No declared default: it follows `policy` (recorded by the decoder).
            ParameterSpec("vm_action", .custom("name of a vm protection action"),
                          doc: "the VM protection action (default: the policy's, else \(o.vmAction.rawValue))"),
            ParameterSpec("interval", .duration, default: .duration(o.protectionInterval), minimum: 1, message: "interval must be at least 1s",
                          doc: "protection interval (the paper's T)"),
            ParameterSpec("first_after", .duration, doc: "first protection (default: one interval)"),
            ParameterSpec("tick", .duration, default: .duration(o.tick), minimum: 0.01, message: "tick must be at least 10ms",
                          doc: "the orchestrator's evaluation cadence"),
            ParameterSpec("overlap", .choice(OverlapPolicy.allCases.map(\.rawValue)), default: .text(o.overlap.rawValue),
                          doc: "what a due protection does while the previous one runs"),
            ParameterSpec("recent_window", .count, default: .number(Double(o.recentWindow)), minimum: 1, maximum: 1000,
                          doc: "recent executions the DR-Logic input averages over"),
            ParameterSpec("logic", .custom("DR-Logic driver: type (default fixed) and its keys (Docs/plugin-reference.md)"),
                          doc: "the DR-Logic driver deciding when to protect"),
            ParameterSpec("actions", .custom("map action name: its keys (Docs/plugin-reference.md)"), doc: "protection actions' own keys"),
            ParameterSpec("cleanup", .mapping([
                ParameterSpec("interval", .duration, default: .duration(o.cleanupInterval), minimum: 1, message: "cleanup interval must be at least 1s",
                              doc: "period of the vault cleanup"),
                ParameterSpec("keep", .count, minimum: 1, maximum: 1000, doc: "newest recovery points kept (default 1; not with retention.count)"),
            ]), doc: "vault cleanup"),
            ParameterSpec("retention", .mapping(retentionSchema), doc: "retention of recovery points (a count, an age or both; replaces cleanup.keep)"),
            ParameterSpec("consistent_pause", .duration, default: .duration(e.consistentPause), doc: "pause for a consistent recovery point"),
            ParameterSpec("concurrency", .count, minimum: 1, maximum: 100_000, doc: "actions of one execution at once (default \(e.concurrency))"),
            ParameterSpec("chunk", .size, default: .size(p.chunkSize), minimum: 4096, message: "chunk must be at least 4KiB", doc: "Swift upload chunk"),
            ParameterSpec("pipeline_depth", .count, default: .number(Double(p.pipelineDepth)), minimum: 0, maximum: 64,
                          doc: "chunks read ahead of the upload (0: read, then upload)"),
            ParameterSpec("upload_buffer", .size, default: .size(p.uploadBuffer), minimum: 4096, message: "upload_buffer must be at least 4KiB",
                          doc: "TCP send buffer of an upload"),
            ParameterSpec("poll_interval", .duration, default: .duration(p.pollInterval), doc: "status polling of snapshots and copies"),
            ParameterSpec("delete_local_copy", .duration, default: .duration(p.deleteLocalCopy), doc: "deleting the local copy after upload"),
            ParameterSpec("image_copy_resend", .choice([ImageCopyResend.everyAction, .once].map(\.rawValue)), default: .text(p.imageCopyResend.rawValue),
                          doc: "image-copy uploads the image at every action, or once"),
            ParameterSpec("vm_snapshot", .mapping([
                ParameterSpec("mode", .choice(VMSnapshotMode.allCases.map(\.rawValue)), default: .text(p.vmSnapshotMode.rawValue), doc: "snapshot mode"),
                ParameterSpec("memory", .size, default: .size(p.vmSnapshotMemory), minimum: 0, message: "memory must not be negative",
                              doc: "guest memory saved by a live snapshot"),
                ParameterSpec("glance_rate", .rate, default: .rate(p.glanceBytesPerSecond * 8), minimum: 0, excluding: true,
                              message: "glance_rate must be positive", doc: "Glance upload rate of the snapshot"),
                ParameterSpec("pause", .bool, default: .bool(p.vmSnapshotPause), doc: "the VM pauses during the snapshot"),
                ParameterSpec("speed", .number, default: .number(p.vmSnapshotSpeed), minimum: 0, maximum: 1, message: "speed must be in [0, 1]",
                              doc: "share of the disk rate the snapshot reads at"),
                ParameterSpec("streaming", .bool, default: .bool(p.vmSnapshotStreaming), doc: "upload while reading"),
                ParameterSpec("overhead", .duration, default: .duration(p.vmSnapshotOverhead), doc: "fixed cost per snapshot"),
            ]), doc: "the vm-snapshot action"),
            ParameterSpec("clone_rate", .rate, absent: "half the volume tier's read rate", doc: "cinder clone rate (LVM dd on the same disk)"),
            ParameterSpec("clone_zero_fill", .bool, default: .bool(p.cloneZeroFill), doc: "a clone also writes the volume's zeros"),
            ParameterSpec("sha256", .mapping([
                ParameterSpec("enabled", .bool, default: .bool(true), doc: "hash uploaded chunks"),
                ParameterSpec("rate", .rate, default: .rate((p.sha256BytesPerSecond ?? 172e6) * 8), minimum: 0, excluding: true,
                              message: "rate must be positive", doc: "hashing rate"),
            ]), doc: "SHA-256 of uploaded data"),
            ParameterSpec("compression", .mapping([
                ParameterSpec("enabled", .bool, default: .bool(c.enabled), doc: "compress uploads"),
                ParameterSpec("data_ratio", .number, default: .number(c.dataRatio), minimum: 0, excluding: true, maximum: 1,
                              message: "data_ratio must be in (0, 1]", doc: "compressed / original size of written data"),
                ParameterSpec("zero_ratio", .number, default: .number(c.zeroRatio), minimum: 0, excluding: true, maximum: 1,
                              message: "zero_ratio must be in (0, 1]", doc: "compressed / original size of zeros"),
                ParameterSpec("cpu_rate", .rate, default: .rate(c.cpuBytesPerSecond * 8), minimum: 0, excluding: true,
                              message: "cpu_rate must be positive", doc: "compression rate of data"),
                ParameterSpec("zero_cpu_rate", .rate, default: .rate(c.zeroBytesPerSecond * 8), minimum: 0, excluding: true,
                              message: "zero_cpu_rate must be positive", doc: "compression rate of zeros"),
            ]), doc: "compression of uploads"),
            ParameterSpec("metadata", .size, default: .size(p.metadataBytes), doc: "protection metadata per execution"),
            ParameterSpec("template_per_resource", .size, default: .size(p.templateBytesPerResource), doc: "Heat template bytes per resource"),
            ParameterSpec("replication_metadata", .size, default: .size(p.replicationMetadataBytes), doc: "metadata per replication action"),
            ParameterSpec("policies", .mapping([ParameterSpec("<name>", .mapping(policySchema), doc: "one named policy")]),
                          doc: "named policies over groups of VMs (absent: one policy over every VM)"),
        ]
    }()
}
