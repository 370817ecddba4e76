import DRLCloud

/// Per execution with `DREngine.Config.concurrency` > 1: the next member to start, how many
/// run, their data-path handles, and whether the metadata step began.
struct MemberLaunch {
    var limit: Int
    var next = 0
    var running = 0
    var handles: [Int: ProtectionHandle] = [:]
    var metadata = false
}
