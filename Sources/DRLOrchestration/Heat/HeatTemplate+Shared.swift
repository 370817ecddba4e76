/// The split of a policy's template for per-VM recovery (`RecoveryGroups`): the resources
/// every VM of the tenant shares (networks, subnets, security groups, key pairs) are created
/// once per policy, then each VM's own stack refers to them as existing resources by ID, as a
/// HOT template names an existing network with a plain `network_id` string instead of
/// `get_resource` (Heat's `OS::Neutron::Port` `network` property accepts either).
extension HeatTemplate {
    /// The resource types created once per policy in per-VM recovery.
    public static let sharedTypes: Set<HeatResource.ResourceType> = [.network, .subnet, .securityGroup, .keyPair]

    /// Only the shared resources (their references stay among themselves: a subnet's network).
    public var sharedPart: HeatTemplate {
        var t = self
        t.resources = resources.filter { Self.sharedTypes.contains($0.type) }
        t.parameters = []
        return t
    }

    /// Without the shared resources: every reference to one becomes the existing resource's ID
    /// (`existing-<name>`), so the rest of the template still resolves and Heat does not wait.
    public var withoutShared: HeatTemplate {
        let gone = Set(resources.filter { Self.sharedTypes.contains($0.type) }.map(\.name))
        func fix(_ v: HeatValue) -> HeatValue {
            switch v {
            case .resource(let r) where gone.contains(r): return .string("existing-\(r)")
            case .list(let l): return .list(l.map(fix))
            case .map(let m): return .map(m.map { HeatProperty($0.key, fix($0.value)) })
            default: return v
            }
        }
        var t = self
        t.resources = resources.filter { !gone.contains($0.name) }.map { r in
            var r = r
            r.properties = r.properties.map { HeatProperty($0.key, fix($0.value)) }
            r.dependsOn = r.dependsOn.filter { !gone.contains($0) }
            return r
        }
        return t
    }
}
