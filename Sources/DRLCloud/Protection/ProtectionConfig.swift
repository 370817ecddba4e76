import DRLSimCore

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
    /// Only when the tenant's global container lacks the checksum. NOT what the DR engine does:
    /// a what-if option (a HEAD/ETag check Dragon's `image_copy` action never makes).
    case once
    /// At every protection action: Dragon's image copy downloads the image from Glance and PUTs
    /// every chunk again, overwriting the objects, with no HEAD/ETag check (the default).
    case everyAction = "every-action"
}

/// How Nova snapshots a VM (`nova image-create`, `nova/virt/libvirt/driver.py` `snapshot`).
public enum VMSnapshotMode: String, Sendable, Codable, CaseIterable {
    /// Kilo (2015.1) with `[workarounds] disable_libvirt_livesnapshot = True`, the default up to
    /// 16.0.0: `managedSave` stops the guest and writes its memory to disk, `qemu-img convert`
    /// flattens base + overlay into a new image, the domain is restored (memory read back),
    /// then the image is uploaded to Glance. The guest writes nothing from the save to the restore.
    case cold
    /// Live snapshot (newer releases): the disk is copied while the guest runs (at
    /// `vmSnapshotSpeed`), flattened by `qemu-img convert`, then uploaded to Glance.
    case live
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
    /// zlib level 6 speed on written (incompressible, H.264) data, B/s. Calibration: measured
    /// 48.3 MB/s with Python's `zlib.compress(data, 6)` on 50 MiB of random bytes on this
    /// project's AMD EPYC build machine; scaled by 0.7 (an estimate of the 2.0 GHz Sandy Bridge
    /// E5-2620's single-core speed relative to it) to 34 MB/s. Not compared against any figure.
    public var cpuBytesPerSecond: Double = 34e6
    /// zlib level 6 speed on never-written (zero) blocks, B/s: cinder compresses every chunk,
    /// zeros included (`chunkeddriver.py` `_prepare_output_data`). Calibration: measured
    /// 364 MB/s on 50 MiB of zeros (same machine and method), scaled by 0.7 to 255 MB/s.
    public var zeroBytesPerSecond: Double = 255e6

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
    /// Chunks of a volume backup produced ahead of the upload. 0 (default) = strictly serial,
    /// as Kilo's cinder-backup (`chunkeddriver.py` `backup`: read, sha256, compress, PUT, then
    /// the next chunk); 1 = the next chunk is read while one uploads (a pipelined option).
    /// Image uploads (VM snapshot, image copy) stream data already downloaded from Glance.
    public var pipelineDepth: Int = 0
    /// sha256 speed of cinder-backup's per-block hashes (B/s; nil: not charged). Kilo's
    /// `chunkeddriver.py` `backup` hashes every `backup_sha_block_size_bytes` = 32 KiB block of
    /// every chunk before `_backup_chunk` (the sha256 file serves later incremental backups;
    /// computed for full ones too). Calibration: OpenSSL's
    /// sha256-x86_64 AVX code runs 11.6 cycles/byte on Sandy Bridge (its perlasm table), i.e.
    /// 172 MB/s on the testbed's 2.0 GHz E5-2620 (this machine's SHA-NI does 1.6 GB/s, not
    /// representative). Not compared against any figure.
    public var sha256BytesPerSecond: Double? = 172e6
    /// Charge LVM's zero-fill of the clone's temporary snapshot: Kilo's LVM driver
    /// `create_cloned_volume` snapshots the source, copies it into the clone, then deletes the
    /// snapshot, and with `volume_clear = zero` (the default) `_delete_volume` / `clear_volume`
    /// first writes zeros over the snapshot's whole copy-on-write device (the volume's size), at
    /// the volume tier's write rate, before the clone is reported available.
    public var cloneZeroFill: Bool = true
    /// Socket send buffer of an upload (tcp_wmem max, 4 MiB).
    public var uploadBuffer: Int64 = 4 * ByteUnits.MiB
    /// Pause the VM while its snapshot image is created (the DR engine's optional pause).
    public var vmSnapshotPause: Bool = false
    /// Cold (Kilo, default) or live Nova snapshot.
    public var vmSnapshotMode: VMSnapshotMode = .cold
    /// Guest memory a cold snapshot's `managedSave` writes to disk and the restore reads back:
    /// 2 GiB, an m1.small flavour (calibration: the paper gives no flavour; not compared against).
    public var vmSnapshotMemory: Int64 = 2 * ByteUnits.GiB
    /// Rate of the Glance transfers around a VM snapshot (nova-compute's upload of the image, the
    /// DR engine's download before its Swift PUTs), B/s: 1 GbE (125 MB/s) between the compute
    /// host, the Glance API and the DR engine. Calibration: the paper does not describe the
    /// primary's LAN; not compared against. Also the image copy's download from Glance.
    public var glanceBytesPerSecond: Double = 125e6
    /// VM speed while a live snapshot copies its disk (paper §3: the snapshot "will impact the
    /// performance of the VM"). 0.5: calibration (assumed: the copy competes with the guest's
    /// I/O); not compared against. A cold snapshot stops the guest (speed 0).
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
    /// Clone rate of a volume snapshot (B/s); nil = half the volume tier's read rate: Kilo's LVM
    /// `create_cloned_volume` copies the temporary snapshot into the new LV with `dd`
    /// (`volume_utils.copy_volume`), reading and writing the same disk.
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
