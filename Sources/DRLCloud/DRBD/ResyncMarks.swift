import DRLSimCore

/// The resync progress marks behind DRBD's c-min-rate throttle (drbd_int.h `rs_mark_time`,
/// `rs_mark_left`, `rs_last_mark`, `rs_last_events`): a ring of (time, bytes left) marks, one
/// every DRBD_SYNC_MARK_STEP while the resync progresses (`drbd_advance_rs_marks`), and the
/// peer's application bytes at the last busy check (`drbd_rs_c_min_rate_throttle`).
struct ResyncMarks {
    /// The marks (DRBD_SYNC_MARKS of them once started).
    var marks: [(time: SimInstant, left: Int64)] = []
    /// The newest mark's index.
    var last = 0
    /// The peer's application bytes at the last busy check.
    var lastEvents: Int64 = 0

    /// `drbd_start_resync`: `count` marks at (now, bytes left); events counted from `events`.
    mutating func start(count: Int, at now: SimInstant, left: Int64, events: Int64) {
        marks = Array(repeating: (now, left), count: count)
        last = 0
        lastEvents = events
    }

    /// `drbd_advance_rs_marks`: a new mark when `step` has passed since the newest and the
    /// resync progressed.
    mutating func advance(at now: SimInstant, left: Int64, step: SimDuration) {
        let newest = marks[last]
        guard now >= newest.time + step, newest.left != left else { return }
        last = (last + 1) % marks.count
        marks[last] = (now, left)
    }

    /// The mark before the newest (3 to 6 s old), the start of c-min-rate's average.
    var previous: (time: SimInstant, left: Int64) { marks[(last + marks.count - 1) % marks.count] }
}
