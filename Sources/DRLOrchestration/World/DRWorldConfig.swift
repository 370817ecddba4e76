import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLDetector

/// Everything needed to build the paper's testbed with the DR layer on the real models: the
/// WAN (DRLNetwork), the sites, vault, DRBD and data paths (DRLCloud), the failure detector
/// (DRLDetector) and the DR layer (this module). Plain values with defaults; the scenario layer
/// decodes YAML into it. Defaults follow the paper's testbed (§6-7).
public struct DRWorldConfig: Sendable {
    /// One protected VM with its volume and write workload.
    public struct VMConfig: Sendable {
        /// The VM name (also its resource ID).
        public var name: String = "transcoder"
        /// Base image size: 190 MB ("less than 200MB", §7.1).
        public var imageBytes: Int64 = 190 * ByteUnits.MB
        /// Ephemeral disk size: 20 GiB.
        public var ephemeralBytes: Int64 = 20 * ByteUnits.GiB
        /// Attached volume size (nil: none): 5 GB.
        public var volumeBytes: Int64? = 5_000_000_000
        /// Volume type: DRBD => volume replication, iSCSI => volume snapshot (§4.2).
        public var volumeType: VolumeType = .drbd
        /// The write workload on the volume (nil: none). Default: the paper's transcoder (§7.2).
        public var writes: WorkloadConfig? = .videoTranscoder(VideoTranscoderConfig())
        /// The floating IP (nil: none).
        public var floatingIP: String? = "192.0.2.10"
        /// The fixed IP of its port.
        public var fixedIP: String = "10.0.0.5"
        /// Defaults.
        public init() {}
    }
    /// WAN line rate: 500 mbit (the paper's largest cap, §7.2).
    public var wanRate: Rate = .mbit(500)
    /// One-way WAN delay: 2.5 ms (interface.md's 265 km example).
    public var wanDelay: SimDuration = .microseconds(2500)
    /// Segment size: 64 KiB (GSO, architecture.md).
    public var segmentSize: Int = 65_536
    /// Root qdisc of the primary -> backup direction (the paper's tc cap), nil: none.
    public var qdisc: QdiscConfig? = nil
    /// The primary site (Umeå: 6 hosts, SSDs).
    public var primary: SiteConfig = .primaryDefault
    /// The backup site (Luleå: 3 hosts, HDDs).
    public var backup: SiteConfig = .backupDefault
    /// The protected VMs.
    public var vms: [VMConfig] = [VMConfig()]
    /// DRLCloud's protection settings (chunks, compression, image-copy resend, ...).
    public var protection = ProtectionConfig()
    /// DRBD settings of the DRBD volumes.
    public var drbd = DRBDConfig()
    /// The failure detector (nil: the fixed-delay stand-in of `RecoveryPipeline`).
    public var detector: DetectorConfig? = DetectorConfig()
    /// A witness site for the detector.
    public var witness = false
    /// The DR layer (orchestrator, engine, recovery, disaster, failback).
    public var layer = DisasterRecoveryLayer.Config()
    /// The tenant.
    public var tenant = "demo"
    /// The paper's testbed with the defaults above.
    public init() {}
}
