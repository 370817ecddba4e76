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

    /// The keys of a site mapping with `def`'s values as defaults (`SiteConfig.primaryDefault`,
    /// `.backupDefault`: paper §6.1's testbed); the backup adds the vault's Swift ring and proxy.
    static func siteSchema(_ def: SiteConfig, backup: Bool) -> ParameterSchema {
        func disk(_ d: DiskProfile, _ what: String) -> ParameterSchema {
            [ParameterSpec("read", .rate, default: .rate(d.readBytesPerSecond * 8), doc: "\(what) read rate (`mbps` = MB/s)"),
             ParameterSpec("write", .rate, default: .rate(d.writeBytesPerSecond * 8), doc: "\(what) write rate")]
        }
        var s: ParameterSchema = [
            ParameterSpec("name", .text, default: .text(def.name), doc: "site name (referenced by detector and workload keys)"),
            ParameterSpec("hosts", .count, default: .number(Double(def.hosts)), minimum: 1, maximum: 10_000, doc: "compute hosts"),
            ParameterSpec("image_disk", .mapping(disk(def.imageDisk, "image tier")), doc: "image (Glance/Swift) disk tier"),
            ParameterSpec("volume_disk", .mapping(disk(def.volumeDisk, "volume tier")), doc: "volume (Cinder) disk tier"),
        ]
        if backup {
            s.parameters += [
                ParameterSpec("swift_replicas", .count, default: .number(Double(def.swiftReplicas)), minimum: 1, maximum: 16,
                              doc: "replicas of the vault's Swift ring"),
                ParameterSpec("swift_proxy_rate", .rate, default: .rate(def.swiftProxyBytesPerSecond * 8), minimum: 0, excluding: true,
                              message: "swift_proxy_rate must be positive", doc: "the Swift proxy's NIC"),
            ]
        }
        return s
    }

    /// The section's keys, declared once.
    public static let schema: ParameterSchema = [
        ParameterSpec("primary", .mapping(siteSchema(.primaryDefault, backup: false)), doc: "the protected site"),
        ParameterSpec("backup", .mapping(siteSchema(.backupDefault, backup: true)), doc: "the backup site, home of the vault"),
        ParameterSpec("witness", .mapping([
            ParameterSpec("name", .text, default: .text("witness"), doc: "witness site name"),
            ParameterSpec("hosts", .count, default: .number(1), minimum: 1, maximum: 10_000, doc: "hosts at the witness"),
        ]), doc: "optional third site (detector witness), absent by default"),
    ]

    public static func decode(_ m: ConfigMapping) throws -> SitesSection? {
        guard m.isPresent else { return nil }
        _ = try m.values(of: schema)
        let p = try m.mapping("primary") { try site($0, .primaryDefault, backup: false) }
        let b = try m.mapping("backup") { try site($0, .backupDefault, backup: true) }
        let w = try m.optionalMapping("witness") { w -> (String, Int) in
            let q = try w.values(of: schema.nested("witness")!)
            return (q.text("name")!, q.count("hosts")!)
        }
        try m.check(p.name != b.name, "backup", "the backup site needs a name different from the primary's")
        if let w { try m.check(w.0 != p.name && w.0 != b.name, "witness", "the witness site needs its own name") }
        return SitesSection(primary: p, backup: b, witness: w.map { (name: $0.0, hosts: $0.1) })
    }

    static func site(_ m: ConfigMapping, _ def: SiteConfig, backup: Bool) throws -> SiteConfig {
        let schema = siteSchema(def, backup: backup)
        let q = try m.values(of: schema)
        var s = def
        s.name = q.text("name")!
        try m.check(!s.name.isEmpty, "name", "a site name must not be empty")
        s.hosts = q.count("hosts")!
        for (key, path) in [("image_disk", \SiteConfig.imageDisk), ("volume_disk", \SiteConfig.volumeDisk)] {
            let d = try m.values(of: schema, in: key)
            s[keyPath: path] = DiskProfile(readBytesPerSecond: d.rate("read")! / 8, writeBytesPerSecond: d.rate("write")! / 8)
        }
        if backup {
            s.swiftReplicas = q.count("swift_replicas")!
            s.swiftProxyBytesPerSecond = q.rate("swift_proxy_rate")! / 8
        }
        return s
    }

    public func install(into run: RunAssembly) throws {}

    /// The site names in network order: primary 0, backup 1, witness 2.
    public var names: [String] { [primary.name, backup.name] + (witness.map { [$0.name] } ?? []) }
}

extension ScenarioSpec {
    /// The point's sites (the defaults when the scenario has no `sites:`).
    public var sites: SitesSection { section(SitesSection.self) ?? .standard }
}
