import DRLSimCore
import DRLNetwork

/// `wan.faults`: link events on the primary-backup path without a detector (DRLNetwork
/// `LinkFault`): outages, their end, periods of random loss.
///
/// ```yaml
/// wan:
///   faults:
///     - { at: 30s, type: down, for: 2s }                       # both directions drop everything for 2 s
///     - { at: 60s, type: loss, probability: 0.01, for: 10s, direction: forward }
///     - { at: 90s, type: down, direction: reverse }              # until the up below
///     - { at: 95s, type: up, direction: reverse }
/// ```
/// `at` (required, >= 0), `type` (required), `for` (positive; not with `up`), `probability`
/// (`loss` only, required, 0 to 1), `direction` (`forward` = primary -> backup, `reverse`,
/// `both`; default both).
extension WANSection {
    /// The keys of one `wan.faults` entry.
    public static let faultSchema: ParameterSchema = [
        ParameterSpec("at", .duration, required: true, doc: "instant of the event (>= 0)"),
        ParameterSpec("type", .choice(LinkFault.Kind.allCases.map(\.rawValue)), required: true, doc: "down, up or loss"),
        ParameterSpec("for", .duration, doc: "duration (positive; not with up); absent: until an up"),
        ParameterSpec("probability", .probability, doc: "loss only (required there): loss probability"),
        ParameterSpec("direction", .choice(LinkFault.Direction.allCases.map(\.rawValue)), default: .text("both"),
                      doc: "forward = primary -> backup, reverse, or both"),
    ]

    static func decodeFaults(_ m: ConfigMapping) throws -> [LinkFault] {
        guard let v = m.value("faults") else { return [] }
        return try v.list().map { item in
            try item.mapping { e in
                e.declare(faultSchema)
                let at = try e.duration("at")
                try e.check(at >= .zero, "at", "at must not be negative")
                let kind = try e.choice("type", LinkFault.Kind.self)
                var duration: SimDuration?
                if let d = e.value("for") {
                    try e.check(kind != .up, "for", "an up event has no duration")
                    let x = try d.duration()
                    try e.check(x > .zero, "for", "for must be positive")
                    duration = x
                }
                var p = 0.0
                if kind == .loss {
                    p = try e.double("probability")
                    try e.check(p >= 0 && p <= 1, "probability", "probability must be between 0 and 1")
                } else if e.value("probability") != nil {
                    throw e.error("probability", .invalidValue, "probability applies to loss events only")
                }
                let dir = try e.choice("direction", LinkFault.Direction.self, default: .both)
                return LinkFault(kind, at: at, duration: duration, probability: p, direction: dir)
            }
        }
    }
}
