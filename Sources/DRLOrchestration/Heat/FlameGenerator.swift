import DRLCloud

/// Writes the Heat template of a protected workload the way the flame tool does.
///
/// Servers, key pairs, networks and subnets, ports with the same fixed IPs, security groups,
/// floating-IP associations and volume attachments, named `server_N`, `port_N`, ...; the
/// primary site's IDs (images, volumes, floating IPs, the external network) become parameter
/// defaults so that the backup site can remap them (flame, github.com/openstack/flame;
/// orbit-software.md §3). Volumes are not created by the stack: they are restored or managed by
/// the volume actions' failover and attached by ID.
public struct FlameGenerator: Sendable {
    /// The external network ID at the primary site (parameter default).
    public var externalNetwork: String
    /// A generator.
    public init(externalNetwork: String = "ext-net-primary") { self.externalNetwork = externalNetwork }

    /// The template of the resources of `workload` named in `include` (all when nil).
    ///
    /// Key pairs, security groups and networks used by an included server come along.
    public func template(for workload: TenantWorkload, include: Set<ResourceID>? = nil) -> HeatTemplate {
        let vms = workload.vms.filter { include?.contains($0.id) ?? true }
        let volumes = workload.volumes.filter { include?.contains($0.id) ?? true }
        var params: [HeatParameter] = []
        var resources: [HeatResource] = []

        let keyIndex = Self.named(workload.keyPairs, \.name, used: Set(vms.compactMap(\.keyName)), prefix: "key",
                                  type: .keyPair, into: &resources) { kp in
            [HeatProperty("name", .string(kp.name)), HeatProperty("public_key", .string(kp.publicKey))]
        }
        let groupIndex = Self.named(workload.securityGroups, \.name, used: Set(vms.flatMap(\.securityGroups)),
                                    prefix: "security_group", type: .securityGroup, into: &resources) { sg in
            [HeatProperty("name", .string(sg.name)),
             HeatProperty("rules", .list(sg.rules.map { rule in
                 let parts = rule.split(separator: ":").map(String.init)
                 return .map([HeatProperty("protocol", .string(parts.first ?? "tcp")),
                              HeatProperty("port_range", .string(parts.count > 1 ? parts[1] : "")),
                              HeatProperty("remote_ip_prefix", .string(parts.count > 2 ? parts[2] : "0.0.0.0/0"))])
             }))]
        }
        let usedNets = Set(vms.flatMap { $0.ports.map(\.network) })
        var netIndex: [ResourceID: (net: String, subnet: String)] = [:]
        for net in workload.networks where usedNets.contains(net.id) {
            let i = netIndex.count
            netIndex[net.id] = ("network_\(i)", "subnet_\(i)")
            resources.append(HeatResource(name: "network_\(i)", type: .network, properties: [
                HeatProperty("name", .string(net.name))]))
            resources.append(HeatResource(name: "subnet_\(i)", type: .subnet, properties: [
                HeatProperty("network_id", .resource("network_\(i)")), HeatProperty("cidr", .string(net.cidr))]))
        }
        let hasFloating = vms.contains { $0.floatingIP != nil }
        if hasFloating {
            params.append(HeatParameter(name: "external_network_for_floating_ip", defaultValue: externalNetwork,
                                        role: .externalNetwork, description: "Network to allocate floating IPs from"))
        }
        var portCount = 0, fipCount = 0
        var serverIndex: [ResourceID: String] = [:]
        for (i, vm) in vms.enumerated() {
            let server = "server_\(i)"
            serverIndex[vm.id] = server
            params.append(HeatParameter(name: "\(server)_image", defaultValue: vm.image.raw, role: .image,
                                        description: "Image to use to boot server \(server)"))
            params.append(HeatParameter(name: "\(server)_flavor", defaultValue: vm.flavor, role: .plain,
                                        description: "Flavor to use for server \(server)"))
            var portNames: [String] = []
            for port in vm.ports {
                let pname = "port_\(portCount)"; portCount += 1
                portNames.append(pname)
                var props: [HeatProperty] = []
                if let n = netIndex[port.network] {
                    props.append(HeatProperty("network_id", .resource(n.net)))
                    props.append(HeatProperty("fixed_ips", .list([.map([HeatProperty("subnet_id", .resource(n.subnet)),
                                                                         HeatProperty("ip_address", .string(port.fixedIP))])])))
                } else {
                    props.append(HeatProperty("network_id", .string(port.network.raw)))
                    props.append(HeatProperty("fixed_ips", .list([.map([HeatProperty("ip_address", .string(port.fixedIP))])])))
                }
                let sgs = vm.securityGroups.compactMap { groupIndex[$0] }.map { HeatValue.resource($0) }
                if !sgs.isEmpty { props.append(HeatProperty("security_groups", .list(sgs))) }
                resources.append(HeatResource(name: pname, type: .port, properties: props))
            }
            var props: [HeatProperty] = [HeatProperty("name", .string(vm.name)),
                                         HeatProperty("image", .param("\(server)_image")),
                                         HeatProperty("flavor", .param("\(server)_flavor"))]
            if let k = vm.keyName { props.append(HeatProperty("key_name", keyIndex[k].map { .resource($0) } ?? .string(k))) }
            props.append(HeatProperty("networks", .list(portNames.map { .map([HeatProperty("port", .resource($0))]) })))
            resources.append(HeatResource(name: server, type: .server, properties: props))
            if let fip = vm.floatingIP, let firstPort = portNames.first {
                let name = "floatingip_association_\(fipCount)"
                let pname = "floatingip_\(fipCount)_id"; fipCount += 1
                params.append(HeatParameter(name: pname, defaultValue: "fip-primary-\(fip)", role: .floatingIP, address: fip,
                                            description: "Floating IP \(fip)"))
                resources.append(HeatResource(name: name, type: .floatingIPAssociation, properties: [
                    HeatProperty("floatingip_id", .param(pname)), HeatProperty("port_id", .resource(firstPort))]))
            }
        }
        for (i, vol) in volumes.enumerated() {
            let pname = "volume_\(i)_id"
            params.append(HeatParameter(name: pname, defaultValue: vol.id.raw, role: .volume,
                                        description: "Volume \(vol.name) (\(vol.sizeBytes) B, \(vol.type.rawValue))"))
            if let server = vol.attachedTo.flatMap({ serverIndex[$0] }) {
                resources.append(HeatResource(name: "volume_attachment_\(i)", type: .volumeAttachment, properties: [
                    HeatProperty("instance_uuid", .resource(server)), HeatProperty("volume_id", .param(pname)),
                    HeatProperty("mountpoint", .string(vol.device))]))
            }
        }
        return HeatTemplate(description: "Generated template (flame) for tenant \(workload.tenant)",
                            parameters: params, resources: resources)
    }

    /// flame's naming of shared resources: each entry of `all` whose name is in `used` becomes a
    /// `type` resource `prefix_N` (N counting in workload order) with `properties`; returns
    /// name -> resource name.
    static func named<T>(_ all: [T], _ name: KeyPath<T, String>, used: Set<String>, prefix: String, type: HeatResource.ResourceType,
                         into resources: inout [HeatResource], properties: (T) -> [HeatProperty]) -> [String: String] {
        var index: [String: String] = [:]
        for e in all where used.contains(e[keyPath: name]) {
            let resource = "\(prefix)_\(index.count)"
            index[e[keyPath: name]] = resource
            resources.append(HeatResource(name: resource, type: type, properties: properties(e)))
        }
        return index
    }
}
