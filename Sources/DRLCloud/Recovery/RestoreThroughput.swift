import DRLSimCore

/// The backup site's restore throughput shared by concurrent restores: an egalitarian
/// processor-sharing server (Kleinrock, "Queueing Systems Vol. 2", §4.4: with n jobs present each
/// is served at 1/n of the capacity). A restore brings its work as the time it takes alone
/// (`SimDuration.transmission(bytes:bitsPerSecond:)` at the single-VM path's rate: Glance's
/// `imageImportRate`, cinder-backup's `volumeRestoreRate`), so a restore alone finishes exactly
/// as before and n equal restores started together each take n times as long.
/// Why shared: Glance imports and cinder-backup restores at the backup site read the same Swift
/// vault and write the same disks (RecoveryTimings' calibration: both rates are about half the
/// SATA disks' sequential rate), and a disk's throughput divides between its streams.
///
/// Integer virtual time: each job's remaining work is in nanoseconds of service alone; the next
/// event is the completion of the job with the least work left, after `least * n` ns (rounded
/// up); state changes only at arrivals and completions (`advance(to:)`). Pure: no simulator
/// (`RestoreThroughput+Simulator.swift` drives it).
public struct RestoreThroughput: Sendable {
    /// A job in service: its id and its remaining work (ns of service alone).
    struct Job: Sendable { var id: Int; var remaining: Double }
    private var jobs: [Job] = []
    /// The instant the jobs' remaining work was last brought up to date.
    public private(set) var updated: SimInstant = .zero

    /// An idle server.
    public init() {}

    /// Jobs in service.
    public var count: Int { jobs.count }

    /// Job `id` arrives at `now` with `work` (its duration alone).
    public mutating func arrive(_ id: Int, work: SimDuration, at now: SimInstant) -> [Int] {
        let done = advance(to: now)
        jobs.append(Job(id: id, remaining: Double(work.nanoseconds)))
        return done + advance(to: now)   // zero work: done at once
    }

    /// The instant of the next completion if nothing arrives before (nil: idle).
    public var nextCompletion: SimInstant? {
        guard let least = jobs.lazy.map(\.remaining).min() else { return nil }
        let ns = (Swift.max(least, 0) * Double(jobs.count)).rounded(.up)
        return updated + SimDuration(nanoseconds: Int64(ns))
    }

    /// Serves every job for the time since `updated` (each 1/n of it), then returns the jobs
    /// finished by `now` in arrival order and removes them.
    public mutating func advance(to now: SimInstant) -> [Int] {
        precondition(now >= updated, "time runs forward")
        if !jobs.isEmpty {
            let each = Double((now - updated).nanoseconds) / Double(jobs.count)
            for i in jobs.indices { jobs[i].remaining -= each }
        }
        updated = now
        // Rounding the completion up to a whole ns leaves at most n-1 ns/n of work: half a ns
        // counts as done (no job is that short).
        var done: [Int] = []
        var left: [Job] = []
        for job in jobs { if job.remaining < 0.5 { done.append(job.id) } else { left.append(job) } }
        jobs = left
        return done
    }
}
