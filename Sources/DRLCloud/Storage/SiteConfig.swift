/// Configuration of one datacenter site (decoded from the scenario's `sites:` section).
///
/// Defaults follow the paper's testbed (section 6.1): the primary in Umeå had 6 servers with
/// SSDs and HDDs, the backup in Luleå 3 servers with HDDs only.
public struct SiteConfig: Hashable, Sendable, Codable {
    /// Site name (also the WAN endpoint name).
    public var name: String
    /// Number of hosts.
    public var hosts: Int
    /// Disk tier of Glance images and ephemeral VM disks (snapshot creation reads it).
    public var imageDisk: DiskProfile
    /// Disk tier of Cinder volumes (workload writes, clones, backups read it).
    public var volumeDisk: DiskProfile
    /// Replicas of the site's Swift ring (the backup's vault): 3, as the Kilo install guide's
    /// `swift-ring-builder create 10 3 1` (and swift's default deployments). Mechanism, not a
    /// calibration; the paper does not state its ring.
    public var swiftReplicas: Int = 3
    /// Rate of the Swift proxy's NIC towards the object servers, B/s: 1 GbE (125 MB/s).
    /// Calibration: the paper does not describe the backup's LAN; not compared against.
    public var swiftProxyBytesPerSecond: Double = 125e6

    /// A site description.
    public init(name: String, hosts: Int, imageDisk: DiskProfile, volumeDisk: DiskProfile) {
        self.name = name
        self.hosts = hosts
        self.imageDisk = imageDisk
        self.volumeDisk = volumeDisk
    }

    /// Umeå: 6 hosts, images/ephemeral on the SM843T SSDs, Cinder LVM volumes on the 2 TB HDDs.
    public static let primaryDefault = SiteConfig(name: "umea", hosts: 6, imageDisk: .enterpriseSSD,
                                                  volumeDisk: .sataHDD)
    /// Luleå: 3 hosts (HP DL320e), HGST 2 TB SATA HDDs only.
    public static let backupDefault = SiteConfig(name: "lulea", hosts: 3, imageDisk: .sataHDD,
                                                 volumeDisk: .sataHDD)
}
