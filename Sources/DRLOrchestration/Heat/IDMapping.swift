/// The backup site's counterparts of the primary site's IDs, gathered during failover.
///
/// Images imported into Glance, volumes restored or managed into Cinder, floating IPs found by
/// address, the external network (orbit-software.md §3: "new image IDs, imported volume IDs,
/// floating-IP IDs found by address").
public struct IDMapping: Sendable, Hashable {
    /// Primary image ID -> backup image ID.
    public var images: [String: String]
    /// Primary volume ID -> backup volume ID.
    public var volumes: [String: String]
    /// Floating IP address -> backup floating IP ID.
    public var floatingIPsByAddress: [String: String]
    /// The backup's external network ID.
    public var externalNetwork: String?

    /// A mapping.
    public init(images: [String: String] = [:], volumes: [String: String] = [:],
                floatingIPsByAddress: [String: String] = [:], externalNetwork: String? = "ext-net-backup") {
        self.images = images; self.volumes = volumes; self.floatingIPsByAddress = floatingIPsByAddress
        self.externalNetwork = externalNetwork
    }
}
