import DRLCloud

/// A protection workload policy: a named bag of resources, each with the action protecting it.
///
/// Several policies per tenant are allowed; all members of one policy are protected together in
/// one execution (paper §4.3; orbit-software.md §3).
public struct WorkloadPolicy: Sendable, Hashable {
    /// One resource with its action.
    public struct Member: Sendable, Hashable {
        /// The protected resource.
        public var resource: ResourceID
        /// VM or volume.
        public var kind: ResourceKind
        /// The registered action's name (`ProtectionActionName`).
        public var action: ProtectionActionName
        /// A member.
        public init(resource: ResourceID, kind: ResourceKind, action: ProtectionActionName) {
            self.resource = resource; self.kind = kind; self.action = action
        }
    }
    /// The policy name (unique within the tenant).
    public var name: String
    /// The tenant.
    public var tenant: String
    /// Members in protection order.
    public var members: [Member]
    /// Consistent mode: pause every VM before the actions, resume after (orbit-software.md §3).
    public var consistent: Bool

    /// A policy.
    public init(name: String, tenant: String, members: [Member] = [], consistent: Bool = false) {
        self.name = name; self.tenant = tenant; self.members = members; self.consistent = consistent
    }
}
