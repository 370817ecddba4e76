import DRLSimCore

/// What one run of a decoded point will hold in memory, estimated before it runs, so that
/// `validate` refuses what cannot fit instead of the run exhausting the machine.
///
/// Two things grow without bound with the input: the rows of the binned tables (`traffic.csv`,
/// `storage.csv`, `replication.csv`: one row per bin, per class or resource; rows are kept until
/// the run ends) and the block bitmaps of volumes (DRBD's out-of-sync bitmap and the allocation
/// bitmap: 1 bit per 4 KiB each, `BlockBitmap`). Events in flight are bounded by the models'
/// windows and queues, not by the input.
public struct RunCostEstimate: Sendable, Equatable {
    /// Largest volume (bitmaps of 512 MiB each at this size).
    public static let maxVolumeSize: Int64 = 16 << 40
    /// Most binned rows one run may produce (about 300 B each in memory: ~6 GB).
    public static let maxBinnedRows: Int64 = 20_000_000
    /// Most bitmap memory one run may need.
    public static let maxBitmapBytes: Int64 = 8 << 30

    /// Estimated rows of the binned tables (0 without a WAN or a duration).
    public var binnedRows: Int64
    /// Bytes of block bitmaps.
    public var bitmapBytes: Int64

    /// The estimate for `spec`.
    public init(spec: ScenarioSpec) {
        let vms = spec.section(WorkloadSection.self)?.vms ?? []
        var volumeBytes: Int64 = 0
        for vm in vms { volumeBytes = volumeBytes.addingSaturating(vm.spec.volume?.sizeBytes ?? 0) }
        bitmapBytes = volumeBytes / 4096 / 8 * 2
        let outputs = spec.section(OutputsSection.self) ?? .standard
        let bin = min(outputs.trafficBin, outputs.effectiveReplicationBin).nanoseconds
        if let duration = spec.header.duration, spec.section(WANSection.self) != nil, bin > 0 {
            let bins = duration.nanoseconds / bin + 1
            // traffic: up to 8 classes x 2 directions; storage: 1; replication: 1 per volume.
            let perBin = Int64(8 * 2 + 1 + vms.count)
            binnedRows = bins.multipliedReportingOverflow(by: perBin).overflow ? .max : bins * perBin
        } else {
            binnedRows = 0
        }
    }

    /// The first bound the estimate exceeds, as a message, or nil.
    public var problem: (key: String, message: String)? {
        if binnedRows > Self.maxBinnedRows {
            return ("duration", "about \(binnedRows) binned rows (duration / outputs bin x classes and volumes) exceed the limit of \(Self.maxBinnedRows) rows per run; shorten the run or widen outputs.traffic_bin / replication_bin")
        }
        if bitmapBytes > Self.maxBitmapBytes {
            return ("workload.vms", "the volumes need \(bitmapBytes >> 20) MiB of block bitmaps, above the limit of \(Self.maxBitmapBytes >> 20) MiB per run")
        }
        return nil
    }
}

extension Int64 {
    /// `self + other`, saturating at `Int64.max`.
    func addingSaturating(_ other: Int64) -> Int64 {
        let (r, o) = addingReportingOverflow(other)
        return o ? .max : r
    }
}
