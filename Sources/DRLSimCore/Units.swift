import Foundation

/// Parsing and printing of quantities with units: rates (tc spelling), sizes, durations.
///
/// Units are case-sensitive; the full table is in Docs/scenario-reference.md ("Units").
///
/// - Rates (tc(8) "RATES", `get_rate` in iproute2's tc/tc_util.c): `bit`, `kbit`, `mbit`,
///   `gbit`, `tbit` are SI bits per second (`kbit` = 1000 bit/s), `kibit`... binary bits per
///   second; `bps`, `kbps`, `mbps`, `gbps`, `tbps` are BYTES per second, exactly as tc reads them
///   (`kibps`... binary). `Kbit`/`Mbit`/`Gbit`/`Tbit` are accepted. `Mbps`/`Gbps`/`Kbps` are
///   rejected as ambiguous: tc reads them as megaBYTES per second, most people mean megabits.
/// - Sizes: `b`/`B` bytes; tc's lowercase `k`/`kb`, `m`/`mb`, `g`/`gb`, `t`/`tb` are binary
///   (tc(8) "SIZES": `kb` = 1024 bytes); `KB`/`kB`, `MB`, `GB`, `TB` are SI (10^3, 10^6, 10^9,
///   10^12); `KiB`, `MiB`, `GiB`, `TiB` are binary. Mixed spellings (`Mb`, `Gb`, `K`, `M`) are
///   rejected as ambiguous.
/// - Durations: `ns`, `us` (or `µs`), `ms`, `s`, `min`, `h`; stored as integer nanoseconds.
///
/// A bare number is never a rate, size or duration.
public enum Units {
    /// Rate units: spelling and bits per second per unit.
    public static let rateUnits: [(String, Double)] = [
        ("bit", 1), ("kbit", 1e3), ("mbit", 1e6), ("gbit", 1e9), ("tbit", 1e12),
        ("Kbit", 1e3), ("Mbit", 1e6), ("Gbit", 1e9), ("Tbit", 1e12),
        ("kibit", 1024), ("mibit", 1_048_576), ("gibit", 1_073_741_824), ("tibit", 1_099_511_627_776),
        ("bps", 8), ("kbps", 8e3), ("mbps", 8e6), ("gbps", 8e9), ("tbps", 8e12),
        ("kibps", 8 * 1024), ("mibps", 8 * 1_048_576), ("gibps", 8 * 1_073_741_824), ("tibps", 8 * 1_099_511_627_776),
    ]

    /// Size units: spelling and bytes per unit.
    public static let sizeUnits: [(String, Double)] = [
        ("b", 1), ("B", 1),
        ("k", 1024), ("kb", 1024), ("m", 1_048_576), ("mb", 1_048_576),
        ("g", 1_073_741_824), ("gb", 1_073_741_824), ("t", 1_099_511_627_776), ("tb", 1_099_511_627_776),
        ("kB", 1e3), ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
        ("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
    ]

    /// Duration units: spelling and nanoseconds per unit.
    public static let durationUnits: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("min", 6e10), ("h", 3.6e12),
    ]

    /// The smallest rate any key accepts (1 bit/s): below it a single segment takes longer than
    /// the model's time range, so run-time arithmetic would saturate.
    public static let minRate: Double = 1
    /// The largest rate any key accepts (10 Tbit/s, above any WAN or disk modelled).
    public static let maxRate: Double = 1e13
    /// The largest size any key accepts (1 PiB = 2^50 B): sums and products of sizes with counts
    /// stay far from `Int64.max` (2^63).
    public static let maxSize: Int64 = 1 << 50
    /// The longest duration any key accepts (3650 days): times, sums and products of a few
    /// durations stay far from `Int64.max` nanoseconds (292 years).
    public static let maxDuration = SimDuration(nanoseconds: 3650 * 86_400 * 1_000_000_000)

    /// A hint for a common unit mistake in `text` read as a `kind` ("rate", "size", "duration"),
    /// starting with "; ", or "".
    static func hint(kind: String, text: String) -> String {
        guard let (v, unit) = split(text) else { return "" }
        let n = formatNumber(v)
        if unit == "%" { return "; a share (60%) is accepted only for a tbf or htb class rate (of wan.rate or the parent class)" }
        switch (kind, unit) {
        case ("duration", "m"), ("duration", "mn"), ("duration", "mins"), ("duration", "minutes"):
            return "; did you mean \(n)min (minutes)? ms is milliseconds"
        case ("duration", "sec"), ("duration", "secs"), ("duration", "seconds"): return "; did you mean \(n)s?"
        case ("duration", "hr"), ("duration", "hours"): return "; did you mean \(n)h?"
        case ("duration", "d"), ("duration", "day"), ("duration", "days"): return "; days are written in hours: \(formatNumber(v * 24))h"
        case ("rate", "Mb"), ("rate", "mb"), ("rate", "Mb/s"), ("rate", "Mbit/s"), ("rate", "mbit/s"):
            return "; did you mean \(n)mbit (megabits per second)? \(n)mbps is megaBYTES per second, as in tc"
        case ("rate", "Gb"), ("rate", "gb"), ("rate", "Gb/s"), ("rate", "Gbit/s"), ("rate", "gbit/s"):
            return "; did you mean \(n)gbit (gigabits per second)?"
        case ("rate", "Kb"), ("rate", "kb"), ("rate", "kb/s"), ("rate", "kbit/s"):
            return "; did you mean \(n)kbit (kilobits per second)?"
        case ("rate", "KB"), ("rate", "MB"), ("rate", "GB"), ("rate", "MB/s"), ("rate", "GB/s"):
            return "; that is a size; a rate in bytes per second is written \(n)\(unit.prefix(1).lowercased())bps"
        case ("size", "bit"), ("size", "mbit"), ("size", "gbit"): return "; that is a rate; a size is e.g. \(n)MiB"
        default: return ""
        }
    }

    /// Splits `text` into its numeric prefix and unit suffix (spaces between are allowed).
    static func split(_ text: String) -> (Double, String)? {
        let s = Array(text.trimmingCharacters(in: .whitespaces))
        var i = 0
        if i < s.count, s[i] == "+" || s[i] == "-" { i += 1 }
        let digitsStart = i
        while i < s.count, s[i].isASCII, s[i].isNumber { i += 1 }
        if i < s.count, s[i] == "." { i += 1; while i < s.count, s[i].isASCII, s[i].isNumber { i += 1 } }
        if i == digitsStart || (i == digitsStart + 1 && s[digitsStart] == ".") { return nil }
        if i + 1 < s.count, s[i] == "e" || s[i] == "E" {
            var j = i + 1
            if j < s.count, s[j] == "+" || s[j] == "-" { j += 1 }
            if j < s.count, s[j].isASCII, s[j].isNumber {
                while j < s.count, s[j].isASCII, s[j].isNumber { j += 1 }
                i = j
            }
        }
        guard let v = Double(String(s[0..<i])), v.isFinite else { return nil }
        var u = i
        while u < s.count, s[u] == " " { u += 1 }
        return (v, String(s[u...]))
    }

    /// Parses a rate into bits per second; `nil` plus a reason when it is not one.
    ///
    /// Zero and negative rates are rejected.
    public static func parseRate(_ text: String) -> Result<Double, UnitError> {
        guard let (v, unit) = split(text) else { return .failure(.notA("rate", text, example: "500mbit")) }
        if unit.isEmpty { return .failure(.bareNumber("rate", text, example: "\(text)mbit")) }
        guard let f = rateUnits.first(where: { $0.0 == unit })?.1 else {
            if rateUnits.contains(where: { $0.0 == unit.lowercased() }) && unit.lowercased().hasSuffix("bps") {
                return .failure(.message("\"\(text)\" is ambiguous: tc reads \(unit.lowercased()) as BYTES per second; write \(formatNumber(v))\(unit.lowercased().replacingOccurrences(of: "bps", with: "bit")) for bits or \(formatNumber(v))\(unit.lowercased()) for bytes per second"))
            }
            return .failure(.notA("rate", text, example: "500mbit"))
        }
        guard v > 0 else { return .failure(.message("\"\(text)\": a rate must be positive")) }
        guard v * f >= minRate else { return .failure(.message("\"\(text)\" is below the smallest rate, 1bit (a transfer would outlast the model's time range)")) }
        guard v * f <= maxRate else { return .failure(.message("\"\(text)\" is above the largest rate, 10tbit")) }
        return .success(v * f)
    }

    /// Parses a size into bytes (rounded to a whole byte); negative sizes are rejected.
    public static func parseSize(_ text: String) -> Result<Int64, UnitError> {
        guard let (v, unit) = split(text) else { return .failure(.notA("size", text, example: "64kb or 5GiB")) }
        if unit.isEmpty { return .failure(.bareNumber("size", text, example: "\(text)b")) }
        guard let f = sizeUnits.first(where: { $0.0 == unit })?.1 else {
            if rateUnits.contains(where: { $0.0 == unit }) {
                return .failure(.message("\"\(text)\" is a rate, not a size (expected e.g. 64kb or 5GiB)"))
            }
            if sizeUnits.contains(where: { $0.0.lowercased() == unit.lowercased() }) || ["K", "M", "G", "T"].contains(unit) {
                return .failure(.message("\"\(text)\": size unit \"\(unit)\" is ambiguous (use \(unit.prefix(1).lowercased())b for tc's binary unit, \(unit.prefix(1).uppercased())B for SI, \(unit.prefix(1).uppercased())iB for binary)"))
            }
            return .failure(.notA("size", text, example: "64kb or 5GiB"))
        }
        guard v >= 0 else { return .failure(.message("\"\(text)\": a size must not be negative")) }
        let bytes = (v * f).rounded()
        guard bytes <= Double(maxSize) else { return .failure(.message("\"\(text)\" is above the largest size, 1PiB")) }
        return .success(Int64(bytes))
    }

    /// Parses a duration into integer nanoseconds; negative durations are rejected.
    public static func parseDuration(_ text: String) -> Result<SimDuration, UnitError> {
        guard let (v, unit) = split(text) else { return .failure(.notA("duration", text, example: "100ms")) }
        if unit.isEmpty { return .failure(.bareNumber("duration", text, example: "\(text)s")) }
        guard let f = durationUnits.first(where: { $0.0 == unit })?.1 else {
            return .failure(.notA("duration", text, example: "100ms"))
        }
        guard v >= 0 else { return .failure(.message("\"\(text)\": a duration must not be negative")) }
        let ns = (v * f).rounded()
        guard ns <= Double(maxDuration.nanoseconds) else { return .failure(.message("\"\(text)\" is longer than the longest duration, 3650 days (10 years)")) }
        return .success(.nanoseconds(Int64(ns)))
    }

    /// A rate in the largest tc unit that divides it exactly (`500mbit`), else `Nbit`.
    public static func formatRate(_ bitsPerSecond: Double) -> String {
        for (u, f) in [("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3)] {
            let q = bitsPerSecond / f
            if q >= 1, q == q.rounded() { return "\(formatNumber(q))\(u)" }
        }
        // Byte rates in binary units (DRBD's KiB/s and MiB/s): `100mibps` rather than `838860800bit`.
        for (u, f) in [("gibps", 8.0 * 1_073_741_824), ("mibps", 8.0 * 1_048_576), ("kibps", 8.0 * 1024)] {
            let q = bitsPerSecond / f
            if q >= 1, q == q.rounded() { return "\(formatNumber(q))\(u)" }
        }
        return "\(formatNumber(bitsPerSecond))bit"
    }

    /// A size with a binary suffix when exact (`64KiB`, `5GiB`), else SI (`5GB`), else bytes (`1500b`).
    public static func formatSize(_ bytes: Int64) -> String {
        if bytes == 0 { return "0b" }
        for (u, f) in [("TiB", Int64(1) << 40), ("GiB", Int64(1) << 30), ("MiB", Int64(1) << 20), ("KiB", Int64(1) << 10),
                       ("TB", 1_000_000_000_000), ("GB", 1_000_000_000), ("MB", 1_000_000), ("KB", 1_000)] where bytes % f == 0 {
            return "\(bytes / f)\(u)"
        }
        return "\(bytes)b"
    }

    /// A duration in the largest unit that divides it exactly (`30min`, `100ms`, `1500ns`).
    public static func formatDuration(_ d: SimDuration) -> String {
        let ns = d.nanoseconds
        if ns == 0 { return "0s" }
        for (u, f) in [("h", Int64(3_600_000_000_000)), ("min", 60_000_000_000), ("s", 1_000_000_000),
                       ("ms", 1_000_000), ("us", 1_000)] where ns % f == 0 {
            return "\(ns / f)\(u)"
        }
        return "\(ns)ns"
    }

    /// A number without a trailing `.0` (`500`, `62.5`).
    public static func formatNumber(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}

/// Why a text is not an acceptable quantity; turned into a `ScenarioError` with the key path.
public enum UnitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not a quantity of this kind at all.
    case notA(String, String, example: String)
    /// A number without a unit.
    case bareNumber(String, String, example: String)
    /// Any other reason.
    case message(String)

    /// The message, e.g. `"fast" is not a rate (expected e.g. 500mbit)`.
    public var description: String {
        switch self {
        case .notA(let kind, let text, let ex):
            return "\"\(ErrorText.value(text, limit: 60))\" is not a \(kind) (expected e.g. \(ex))\(Units.hint(kind: kind, text: text))"
        case .bareNumber(let kind, let text, let ex): return "\"\(text)\" has no unit; a \(kind) needs one (e.g. \(ex))"
        case .message(let m): return m
        }
    }
}
