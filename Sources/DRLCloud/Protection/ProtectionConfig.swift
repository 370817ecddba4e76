import DRLSimCore

/// The protection actions of the DR engine (orbit-software.md section 3; names as in `protection.csv`).
public enum ProtectionActionKind: String, Sendable, Codable, CaseIterable {
    /// Snapshot the VM's disk into an image and upload it to the execution container.
    case vmSnapshot = "vm-snapshot"
    /// Copy the VM's base image into the tenant's global container.
    case imageCopy = "image-copy"
    /// Clone the volume and back the clone up (cinder-backup) into the execution container.
    case volumeSnapshot = "volume-snapshot"
    /// DRBD replication runs continuously; protect only records metadata.
    case volumeReplication = "volume-replication"

    /// `vm` or `volume` (the `kind` column).
    public var resourceKind: String {
        switch self {
        case .vmSnapshot, .imageCopy: return "vm"
        case .volumeSnapshot, .volumeReplication: return "volume"
        }
    }
}

/// Outcome of a protection action (the `status` column).
public enum ProtectionStatus: String, Sendable {
    /// Finished normally.
    case completed
    /// Cut off by a disaster or an explicit abort.
    case aborted
    /// Finished, but only after the next action on the same resource had started.
    case overlapped
    /// Still running when the run ended (Docs/statistics.md): `end_s` is the run's end and
    /// `duration_s` the elapsed time, a lower bound of the action's duration (right-censored).
    case censored
}

/// When the image copy re-sends the base image.
public enum ImageCopyResend: String, Sendable, Codable {
    /// Only when the tenant's global container lacks the checksum (what the DR engine's code does).
    case once
    /// At every protection action.
    case everyAction = "every-action"
}

/// Compression applied by cinder-backup (`backup_compression_algorithm`, default zlib).
public struct CompressionConfig: Hashable, Sendable {
    /// Whether chunks are compressed.
    public var enabled: Bool = true
    /// Output/input size for written data. Default 1.0: the paper's transcoder stores videos,
    /// which are already compressed (H.264), so zlib gains nothing.
    public var dataRatio: Double = 1.0
    /// Output/input for never-written (zero) blocks: zlib shrinks runs of zeros about 1000:1.
    public var zeroRatio: Double = 0.001
    /// Compression speed on written data (B/s). zlib level 6 compresses 20-60 MB/s per core on
    /// a 2 GHz Sandy Bridge (lzbench-class figures); 50 MB/s assumed. Zero blocks cost no CPU
    /// time beyond the read.
    public var cpuBytesPerSecond: Double = 50e6

    /// The defaults above.
    public init() {}
    /// No compression.
    public static var off: CompressionConfig { var c = CompressionConfig(); c.enabled = false; return c }
}

/// Parameters of the snapshot and image pipelines (decoded from the scenario's `protection:`).
public struct ProtectionConfig: Hashable, Sendable {
    /// Tenant owning the protected resources (container names, global container).
    public var tenant: String = "demo"
    /// Swift object size (50 MiB = 52428800 B, the DR engine's chunk size).
    public var chunkSize: Int64 = ByteUnits.swiftChunk
    /// Chunks produced ahead of the upload for volume backups and image copies (1 = the next
    /// chunk is read while one uploads). A VM snapshot's image is created locally at disk
    /// speed regardless of the upload.
    public var pipelineDepth: Int = 1
    /// Socket send buffer of an upload (tcp_wmem max, 4 MiB).
    public var uploadBuffer: Int64 = 4 * ByteUnits.MiB
    /// Pause the VM while its snapshot image is created (the DR engine's optional pause).
    public var vmSnapshotPause: Bool = false
    /// VM speed while its snapshot is created (paper §3: the snapshot "will impact the
    /// performance of the VM"). 0.5 assumed: the qemu-img read competes with the guest's I/O.
    public var vmSnapshotSpeed: Double = 0.5
    /// Stream the VM snapshot while it is created. Default false, as the DR engine does it:
    /// create the image, poll its status every `pollInterval` until saved, then upload it
    /// (orbit-software.md section 3, "Image Snapshot").
    public var vmSnapshotStreaming: Bool = false
    /// The DR engine's status poll period while a snapshot or clone is being created (1 s).
    public var pollInterval: SimDuration = .seconds(1 as Int64)
    /// Fixed cost of a VM snapshot before the image is read (nova API, libvirt, Glance
    /// registration). Default 0: the paper gives no figure; a calibration knob.
    public var vmSnapshotOverhead: SimDuration = .zero
    /// Time to delete the local snapshot image / clone after the upload.
    public var deleteLocalCopy: SimDuration = .seconds(1 as Int64)
    /// Image copy resend policy. Default every action: the paper's Figs 9-10 show an
    /// image-copy burst at every protection action of the replication policy ("large jumps
    /// coinciding with the protection actions ... due to the image-copy"; "the average
    /// bandwidth required for the replication policy is higher since the VM image needs to be
    /// copied"), which a once-only copy would not produce.
    public var imageCopyResend: ImageCopyResend = .everyAction
    /// Clone rate of a volume snapshot (B/s); nil = half the volume tier's read rate (an LVM
    /// thick clone reads and writes the same disk).
    public var cloneBytesPerSecond: Double? = nil
    /// cinder-backup compression.
    public var compression = CompressionConfig()
    /// Bytes of the execution's `metadata` object.
    public var metadataBytes: Int64 = 4 * ByteUnits.KiB
    /// Bytes of the Heat template per protected resource (flame output, a few KiB).
    public var templateBytesPerResource: Int64 = 2 * ByteUnits.KiB
    /// Bytes of the per-volume metadata recorded by volume replication's protect.
    public var replicationMetadataBytes: Int64 = 1 * ByteUnits.KiB

    /// The defaults above.
    public init() {}
}
