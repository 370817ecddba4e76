import DRLSimCore

/// The state of a DRBD device's connection watchdog (`DRBDDevice+Replication.swift`): the
/// no-progress watch behind `stalled` and ko-count's disconnect (drbd.conf(5) `timeout`,
/// `ko-count`) and the idle keep-alive after `ping-int` of silence (`ping-timeout`).
struct ConnectionWatchdog {
    /// Data is outstanding since `lastProgress`.
    var watching = false
    /// The last acknowledgement progress (or the start of the watch).
    var lastProgress: SimInstant = .zero
    /// The last packet from the peer (ack, ping ack).
    var lastHeard: SimInstant = .zero
    /// The pending no-progress check.
    var progressTimer: EventID?
    /// The pending idle keep-alive (or its timeout).
    var idlePingTimer: EventID?
}
