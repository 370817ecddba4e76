import DRLCloud

/// What the orchestrator does when a policy's protection is due while its previous execution
/// still runs (paper §7.1-7.2: snapshot actions overlap at low bandwidth).
public enum OverlapPolicy: String, Sendable, Hashable, CaseIterable {
    /// Start the new execution concurrently (the paper's behaviour); rows say `overlapped`.
    case overlap
    /// Do not start it; `skipped` rows mark the due instant.
    case skip
    /// Start it when the running one ends (one pending at most; further due ones are skipped);
    /// `queued` rows give the delay.
    case queue
}

/// The DR-Orchestrator's API state of a resource (orbit-software.md §2).
public enum ProtectionState: String, Sendable, Hashable {
    /// Not in any workload policy.
    case notEnabled = "Not enabled"
    /// In a policy, not yet in a ready container.
    case protectionScheduled = "Protection scheduled"
    /// In the newest ready container of its policy.
    case protected = "Protected"
}

/// Why a protect request is refused.
public enum ProtectError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The tenant's workload does not contain the resource.
    case unknownResource(ResourceID)
    /// The VM is not active or the volume neither available nor in use.
    case invalidState(ResourceID, state: String)
    /// The action is not registered, or protects the other kind.
    case invalidAction(String)
    /// A one-line human-readable form.
    public var description: String {
        switch self {
        case .unknownResource(let r): return "unknown resource \(r)"
        case .invalidState(let r, let s): return "resource \(r) is \(s): VMs must be active, volumes available or in-use"
        case .invalidAction(let a): return "action \(a) is not registered for this resource kind"
        }
    }
}
