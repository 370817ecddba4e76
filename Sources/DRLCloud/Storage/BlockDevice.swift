import DRLSimCore

/// One write request to a block device: a byte range and the instant the application issued it.
///
/// Offsets make rewrites of a block distinguishable (the DRBD bitmap sends a rewritten block once).
public struct BlockWrite: Hashable, Sendable {
    /// Byte offset on the device.
    public var offset: Int64
    /// Length in bytes.
    public var length: Int64

    /// A write of `length` bytes at `offset`.
    public init(offset: Int64, length: Int64) {
        self.offset = offset
        self.length = length
    }
}

/// A block device a workload writes to: a plain local disk or a DRBD device.
///
/// `submit` calls `completion` (with the completion instant, always >= submission) when the
/// write is complete in the device's sense: on local disk for a plain disk, on local disk and
/// in the send buffer for DRBD protocol A, on the peer's disk for protocol C. A device that
/// blocks completes late, which slows the closed-loop workload down.
public protocol BlockDevice: AnyObject {
    /// The device size in bytes.
    var capacity: Int64 { get }
    /// Submits a write; `completion` runs from an event at the completion instant.
    func submit(_ write: BlockWrite, completion: @escaping (SimInstant) -> Void)
}
