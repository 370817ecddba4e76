/// The addresses a scenario's tenant gets: the one place they are derived (scenarios do not
/// write addresses; the Heat template and the floating-IP restore need them, paper §6.2).
extension TenantWorkload {
    /// The tenant's private network: `10.0.0.0/24` (a /24 per tenant, as a default Neutron
    /// tenant network; the template only records it).
    public static let privateCIDR = "10.0.0.0/24"

    /// The fixed IP of the `index`-th VM's port: `10.0.<index / 250>.<5 + index % 250>`
    /// (hosts from .5 up, as DHCP hands them out after the gateway and service ports; the
    /// third octet moves on every 250 VMs, beyond the /24 the network records).
    public static func fixedIP(ofVM index: Int) -> String { "10.0.\(index / 250).\(5 + index % 250)" }

    /// The floating IP of the `index`-th VM: `192.0.<2 + index / 250>.<10 + index % 240>`
    /// (TEST-NET-1, RFC 5737, from .10). Kept as the scenario layer has always written it:
    /// VMs 240 apart within a block of 250 share an address (e.g. 0 and 240); no scenario has
    /// that many VMs.
    public static func floatingIP(ofVM index: Int) -> String { "192.0.\(2 + index / 250).\(10 + index % 240)" }
}
