import DRLSimCore
import DRLCloud

/// The `sites:` section: the primary and backup datacenters (and an optional witness site), with
/// their host counts and disk tiers (DRLCloud `SiteConfig`; paper §6.1 testbed).
///
/// ```yaml
/// sites:
///   primary: { name: umea,  hosts: 6 }      # SSD image tier 500/400 MB/s, HDD volume tier 150 MB/s
///   backup:  { name: lulea, hosts: 3, image_disk: { read: 150mbps, write: 150mbps },
///              swift_replicas: 3, swift_proxy_rate: 1gbit }   # the vault's ring and proxy NIC
///   witness: { name: witness, hosts: 1 }    # optional third site (detector witness)
/// ```
/// Disk rates are rates in tc spelling; `mbps` is megaBYTES per second (`150mbps` = 150 MB/s).
/// Defaults: `SiteConfig.primaryDefault` / `.backupDefault` (Umeå 6 hosts SSD+HDD, Luleå 3 hosts HDD).
public struct SitesSection: ScenarioSection {
    public static let key = "sites"
    public static let summary = "primary and backup sites (name, hosts, disk rates) and an optional witness site"

    /// The primary site.
    public var primary: SiteConfig
    /// The backup site.
    public var backup: SiteConfig
    /// The witness site (name, hosts), if any.
    public var witness: (name: String, hosts: Int)?

    /// The defaults used when a scenario has no `sites:` section.
    public static let standard = SitesSection(primary: .primaryDefault, backup: .backupDefault, witness: nil)

    public static func decode(_ m: ConfigMapping) throws -> SitesSection? {
        guard m.isPresent else { return nil }
        let p = try m.mapping("primary") { try site($0, .primaryDefault) }
        let b = try m.mapping("backup") { b -> SiteConfig in
            var s = try site(b, .backupDefault)
            s.swiftReplicas = try b.int("swift_replicas", in: 1...16, default: s.swiftReplicas)
            s.swiftProxyBytesPerSecond = try b.rate("swift_proxy_rate", default: s.swiftProxyBytesPerSecond * 8) / 8
            try b.check(s.swiftProxyBytesPerSecond > 0, "swift_proxy_rate", "swift_proxy_rate must be positive")
            return s
        }
        let w = try m.optionalMapping("witness") { w -> (String, Int) in
            (try w.string("name", default: "witness"), try w.int("hosts", in: 1...10_000, default: 1))
        }
        try m.check(p.name != b.name, "backup", "the backup site needs a name different from the primary's")
        if let w { try m.check(w.0 != p.name && w.0 != b.name, "witness", "the witness site needs its own name") }
        return SitesSection(primary: p, backup: b, witness: w.map { (name: $0.0, hosts: $0.1) })
    }

    static func site(_ m: ConfigMapping, _ def: SiteConfig) throws -> SiteConfig {
        var s = def
        s.name = try m.string("name", default: def.name)
        try m.check(!s.name.isEmpty, "name", "a site name must not be empty")
        s.hosts = try m.int("hosts", in: 1...10_000, default: def.hosts)
        s.imageDisk = try m.mapping("image_disk") { try disk($0, def.imageDisk) }
        s.volumeDisk = try m.mapping("volume_disk") { try disk($0, def.volumeDisk) }
        return s
    }

    static func disk(_ m: ConfigMapping, _ def: DiskProfile) throws -> DiskProfile {
        DiskProfile(readBytesPerSecond: try bytesRate(m, "read", def.readBytesPerSecond),
                    writeBytesPerSecond: try bytesRate(m, "write", def.writeBytesPerSecond))
    }

    /// A rate in bytes per second; the default is shown in `mbps` (megabytes per second).
    static func bytesRate(_ m: ConfigMapping, _ key: String, _ def: Double) throws -> Double {
        if let v = m.value(key) { return try v.rate() / 8 }
        m.context.record(m.path.appending(key), "\(Units.formatNumber(def / 1e6))mbps", isDefault: true)
        return def
    }

    /// Nothing to build: the WAN, detector and workload sections read the sites.
    public func install(into run: RunAssembly) throws {}

    /// The site names in network order: primary 0, backup 1, witness 2.
    public var names: [String] { [primary.name, backup.name] + (witness.map { [$0.name] } ?? []) }
}

extension ScenarioSpec {
    /// The point's sites (the defaults when the scenario has no `sites:`).
    public var sites: SitesSection { section(SitesSection.self) ?? .standard }
}
