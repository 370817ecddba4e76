/// One resource of a Heat template (`resources: name: {type:, properties:}`).
///
/// Resource names follow the flame tool's scheme (`server_0`, `volume_0`, `port_0`, ...;
/// orbit-software.md §3).
public struct HeatResource: Sendable, Hashable {
    /// The HOT resource types the flame tool emits for a protected workload.
    public enum ResourceType: String, Sendable, Hashable, CaseIterable {
        /// A Nova server.
        case server = "OS::Nova::Server"
        /// A Nova key pair.
        case keyPair = "OS::Nova::KeyPair"
        /// A Neutron network.
        case network = "OS::Neutron::Net"
        /// A Neutron subnet.
        case subnet = "OS::Neutron::Subnet"
        /// A Neutron port with fixed IPs.
        case port = "OS::Neutron::Port"
        /// A Neutron security group.
        case securityGroup = "OS::Neutron::SecurityGroup"
        /// The association of an existing floating IP with a port.
        case floatingIPAssociation = "OS::Neutron::FloatingIPAssociation"
        /// A Cinder volume attachment.
        case volumeAttachment = "OS::Cinder::VolumeAttachment"
        /// A Cinder volume; with `backup_id` Heat restores it from a cinder-backup
        /// (Kilo `heat/engine/resources/openstack/cinder/volume.py` `handle_create` calls
        /// `restores.restore(backup_id)`, then polls the volume until available).
        case volume = "OS::Cinder::Volume"
    }
    /// The resource name in the template.
    public var name: String
    /// The HOT type.
    public var type: ResourceType
    /// The properties, in emission order.
    public var properties: [HeatProperty]
    /// Names of resources this one must wait for (`depends_on`).
    public var dependsOn: [String]

    /// A resource.
    public init(name: String, type: ResourceType, properties: [HeatProperty], dependsOn: [String] = []) {
        self.name = name; self.type = type; self.properties = properties; self.dependsOn = dependsOn
    }

    /// The value of property `key`, if present.
    public func property(_ key: String) -> HeatValue? { properties.first { $0.key == key }?.value }
}

/// A template parameter; the flame tool puts the primary site's IDs in the defaults.
public struct HeatParameter: Sendable, Hashable {
    /// What a parameter identifies, which decides how it is remapped at the backup site.
    public enum Role: String, Sendable, Hashable {
        /// A Glance image ID: remapped to the image imported at the backup.
        case image
        /// A Cinder volume ID: remapped to the volume restored or managed at the backup.
        case volume
        /// A floating IP ID: remapped to the backup's floating IP with the same address.
        case floatingIP = "floating_ip"
        /// The external network of floating IPs: remapped to the backup's external network.
        case externalNetwork = "external_network"
        /// A value valid at both sites (flavor names, ...): never remapped.
        case plain
    }
    /// The parameter name.
    public var name: String
    /// The HOT parameter type (`string`).
    public var type: String
    /// The default value (the primary's ID, or after remapping the backup's).
    public var defaultValue: String
    /// The role, which drives remapping.
    public var role: Role
    /// For floating IPs: the address by which the backup's IP is found.
    public var address: String?
    /// A description (the flame tool writes one per parameter).
    public var description: String

    /// A parameter.
    public init(name: String, defaultValue: String, role: Role, address: String? = nil, description: String, type: String = "string") {
        self.name = name; self.type = type; self.defaultValue = defaultValue; self.role = role
        self.address = address; self.description = description
    }
}
