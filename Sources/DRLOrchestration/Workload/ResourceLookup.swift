import DRLCloud

/// A tenant workload's VMs and volumes by resource ID, built once: what `TenantWorkload.vm(_:)`
/// and `volume(_:)` answer (the first match in the workload's order), in O(1) per lookup.
///
/// The DR-Engine looks up every member of an execution when it starts its action; with the
/// workload's linear searches that was O(members^2) per execution (an estate of 1000 VMs).
public struct ResourceLookup: Sendable {
    private var vms: [ResourceID: VMDescription] = [:]
    private var volumes: [ResourceID: VolumeDescription] = [:]

    /// The lookup of `workload`.
    public init(_ workload: TenantWorkload) {
        for vm in workload.vms where vms[vm.id] == nil { vms[vm.id] = vm }
        for v in workload.volumes where volumes[v.id] == nil { volumes[v.id] = v }
    }

    /// The VM with `id` (as `TenantWorkload.vm(_:)`).
    public func vm(_ id: ResourceID) -> VMDescription? { vms[id] }
    /// The volume with `id` (as `TenantWorkload.volume(_:)`).
    public func volume(_ id: ResourceID) -> VolumeDescription? { volumes[id] }
}
