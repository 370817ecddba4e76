import DRLSimCore

/// Which recovery points of a workload policy a cleanup deletes: keep at most `count`, and
/// none older than `age` (OpenStack Karbor's `max_backups` and `retention_duration`, checked
/// "when creating the checkpoint is complete", docs.openstack.org/karbor/train/specs/
/// adding-more-protection-parameters-retention-period.html; dr-landscape.md item 6).
///
/// A point's age is measured from its container's creation (the `<timestamp>` of
/// `<tenant>_<policy>_<timestamp>`, orbit-software.md section 3). A point expires when it is
/// beyond the newest `count` or strictly older than `age`, except that the newest ready point
/// never expires: a policy always keeps one recovery point, however old. Pure decision logic;
/// `DREngine.cleanup(retention:)` applies it.
public struct RetentionPolicy: Sendable, Hashable {
    /// Ready points kept at most (nil: no limit); at least 1.
    public var count: Int?
    /// Points strictly older than this are deleted (nil: no limit); positive.
    public var age: SimDuration?

    /// A policy; nil means no limit of that kind.
    public init(count: Int? = nil, age: SimDuration? = nil) {
        self.count = count; self.age = age
    }

    /// The released code's cleanup: keep the newest `n` (orbit-software.md section 2, n = 1).
    public static func keepNewest(_ n: Int) -> RetentionPolicy { RetentionPolicy(count: n) }

    /// The indices of the expired points among ready points created at `created` (oldest
    /// first) at `now`. Never the last (newest) one.
    public func expired(created: [SimInstant], now: SimInstant) -> [Int] {
        guard created.count > 1 else { return [] }
        let n = created.count
        var out: [Int] = []
        for i in 0..<(n - 1) {
            let overCount = count.map { i < n - Swift.max(1, $0) } ?? false
            let tooOld = age.map { now - created[i] > $0 } ?? false
            if overCount || tooOld { out.append(i) }
        }
        return out
    }
}
