/// Why a Heat template cannot be deployed at the backup site; recovery fails with this reason.
public enum TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `get_param` names a parameter the template does not declare.
    case unknownParameter(resource: String, parameter: String)
    /// A `get_resource` (or `depends_on`) names a resource the template does not contain.
    case unknownResource(resource: String, target: String)
    /// A primary-site ID has no counterpart at the backup site (e.g. the image was never imported).
    case unmappedID(parameter: String, role: HeatParameter.Role, primaryID: String)
    /// No floating IP with the address exists at the backup site.
    case floatingIPNotFound(parameter: String, address: String)
    /// Two resources share a name.
    case duplicateResource(String)

    /// A one-line human-readable form.
    public var description: String {
        switch self {
        case .unknownParameter(let r, let p): return "resource \(r) references undeclared parameter \(p)"
        case .unknownResource(let r, let t): return "resource \(r) references missing resource \(t)"
        case .unmappedID(let p, let role, let id): return "parameter \(p): \(role.rawValue) \(id) of the primary site has no counterpart at the backup site"
        case .floatingIPNotFound(let p, let a): return "parameter \(p): no floating IP with address \(a) at the backup site"
        case .duplicateResource(let r): return "resource name \(r) used twice"
        }
    }
}
