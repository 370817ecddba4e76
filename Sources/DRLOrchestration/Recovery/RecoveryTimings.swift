import DRLSimCore
import Foundation

/// Service-time models of the recovery pipeline at the backup site, calibrated to the paper.
///
/// Calibration target (paper §7.3, Fig. 11): with image copy + volume replication the VM is
/// responsive again ~30 s after the disaster whatever the volume size; with VM + volume
/// snapshots recovery exceeds 200 s for a 5 GB volume and grows with its size; detection is
/// ~0.5 s; redirection negligible. The backup site had only SATA HDDs (paper §6.1), which sets
/// the import and restore rates. The numbers not given by the paper are estimates, marked so.
public struct RecoveryTimings: Sendable, Hashable {
    /// Heat per-resource creation costs, summed (resources are created one after the other,
    /// a conservative reading of Heat's dependency-ordered creation). Estimates.
    public struct StackCosts: Sendable, Hashable {
        /// Fixed cost of a stack (template validation, stack record): 1 s.
        public var base: SimDuration = .seconds(1.0)
        /// A server until Nova reports ACTIVE (schedule, copy the 190 MB image to the compute
        /// host, spawn): 4.5 s.
        public var server: SimDuration = .milliseconds(4500)
        /// A Neutron port with a fixed IP: 0.5 s.
        public var port: SimDuration = .milliseconds(500)
        /// A network: 0.3 s.
        public var network: SimDuration = .milliseconds(300)
        /// A subnet: 0.3 s.
        public var subnet: SimDuration = .milliseconds(300)
        /// A security group with its rules: 0.2 s.
        public var securityGroup: SimDuration = .milliseconds(200)
        /// A key pair resource: 0.2 s.
        public var keyPair: SimDuration = .milliseconds(200)
        /// A floating-IP association: 1 s.
        public var floatingIPAssociation: SimDuration = .seconds(1.0)
        /// A volume attachment (iSCSI/DRBD attach to the compute host): 2 s.
        public var volumeAttachment: SimDuration = .seconds(2.0)
        /// Defaults.
        public init() {}
        /// The cost of one resource of `type`.
        public func cost(_ type: HeatResource.ResourceType) -> SimDuration {
            switch type {
            case .server: return server
            case .port: return port
            case .network: return network
            case .subnet: return subnet
            case .securityGroup: return securityGroup
            case .keyPair: return keyPair
            case .floatingIPAssociation: return floatingIPAssociation
            case .volumeAttachment: return volumeAttachment
            }
        }
    }
    /// From the detector's notification to the start of recovery: Keystone token, list the
    /// site's policies, pick each newest ready container. 2 s (estimate).
    public var recoveryStartLatency: SimDuration = .seconds(2.0)
    /// Reading `metadata` and `template.yaml` from the Swift vault: 0.5 s (estimate: a few
    /// HTTP requests on the backup LAN).
    public var metadataRead: SimDuration = .milliseconds(500)
    /// Fixed cost of a Glance import (image record, status polling every 1 s): 2 s.
    public var imageImportOverhead: SimDuration = .seconds(2.0)
    /// Glance import rate from Swift, bytes/s: 40 MB/s (HDD read from Swift and write to the
    /// Glance store on the same SATA disks, about half their ~100 MB/s sequential rate).
    public var imageImportRate: Double = 40e6
    /// Fixed cost of a volume restore (import the backup record, create the volume): 3 s.
    public var volumeRestoreOverhead: SimDuration = .seconds(3.0)
    /// cinder-backup restore rate, bytes/s: 25 MB/s (fetch 50 MiB chunks from Swift, decompress,
    /// write to HDD-backed LVM). Calibrated so that a 5 GB restore takes 200 s, which puts the
    /// snapshot policy's RTO above 200 s at 5 GB as in Fig. 11.
    public var volumeRestoreRate: Double = 25e6
    /// Promoting the DRBD replica and `cinder manage`: 3 s, independent of the size (Fig. 11).
    public var drbdManage: SimDuration = .seconds(3.0)
    /// Adding one key pair to Nova: 0.3 s.
    public var keyPair: SimDuration = .milliseconds(300)
    /// Remapping the template's IDs: 0.2 s.
    public var templateRemap: SimDuration = .milliseconds(200)
    /// Heat resource costs.
    public var stack = StackCosts()
    /// Heat's stack-create timeout; a longer creation is a failed recovery (orbit-software.md §3: 2 min).
    public var stackTimeout: SimDuration = .seconds(120.0)
    /// Guest boot until the application answers, seconds: lognormal with mean 6 s and a 10 %
    /// coefficient of variation ("a small VM that does not require a lot of time to boot", §7.3).
    public var vmBoot: Distribution = RecoveryTimings.lognormal(mean: 6, cv: 0.1)
    /// Restoring the floating IP on the backup's router (NAT rule, gratuitous ARP): 0.5 s.
    public var floatingIPRestore: SimDuration = .milliseconds(500)
    /// BGP anycast convergence after the primary's daemon stops (withdrawal within one AS,
    /// paper §6.2; grows with failure magnitude per Sahoo et al. [33]): 1 s.
    public var bgpConvergence: SimDuration = .seconds(1.0)
    /// The client's first successful request/response once the path is up: 10 ms.
    public var firstResponse: SimDuration = .milliseconds(10)

    /// Defaults as documented on each property.
    public init() {}

    /// Glance import time of an image of `bytes`.
    public func imageImport(bytes: Int64) -> SimDuration {
        imageImportOverhead + .transmission(bytes: bytes, bitsPerSecond: imageImportRate * 8)
    }
    /// Restore time of a volume of `bytes`.
    public func volumeRestore(bytes: Int64) -> SimDuration {
        volumeRestoreOverhead + .transmission(bytes: bytes, bitsPerSecond: volumeRestoreRate * 8)
    }
    /// Heat's creation time for `template`'s resources.
    public func stackCreate(_ template: HeatTemplate) -> SimDuration {
        template.resources.reduce(stack.base) { $0 + stack.cost($1.type) }
    }
    /// A lognormal distribution with the given mean and coefficient of variation.
    public static func lognormal(mean: Double, cv: Double) -> Distribution {
        let s2 = log(1 + cv * cv)
        return .lognormal(mu: log(mean) - s2 / 2, sigma: s2.squareRoot())
    }
}
