import Foundation
import DRLSimCore

/// Parsing of tc's unit spelling (tc(8) "PARAMETERS"; iproute2 tc/tc_util.c get_rate/get_size/get_time).
///
/// Rates are SI bits (`kbit`, `mbit`, `gbit`, `tbit`, `bit`) or bytes (`bps`, `kbps`, `mbps`, `gbps`
/// = bytes per second); sizes are bytes with tc's binary `k`/`kb`/`m`/`mb`/`g`/`gb` (1024-based),
/// `b` for bytes, SI `KB/MB/GB` and IEC `KiB/MiB/GiB`, and `kbit`/`mbit` sizes (bits / 8); times take
/// `ns`, `us`, `ms`, `s`, `sec`, `min`, `h`. A bare number for a rate, size or duration is an error
/// (interface.md), except where tc counts packets (`limit` of pfifo, `bands`, `quantum` ...).
public enum TCUnits {
    /// Parses a rate (`500mbit`, `6000bps`).
    public static func rate(_ s: String) throws(NetworkConfigError) -> Rate {
        let (n, u) = try split(s, expected: "a rate such as 500mbit")
        let k: Double
        switch u.lowercased() {
        case "bit": k = 1
        case "kbit": k = 1e3
        case "mbit": k = 1e6
        case "gbit": k = 1e9
        case "tbit": k = 1e12
        case "bps": k = 8
        case "kbps": k = 8e3
        case "mbps": k = 8e6
        case "gbps": k = 8e9
        case "kibit": k = 1024
        case "mibit": k = 1024 * 1024
        case "gibit": k = 1024 * 1024 * 1024
        default: throw .badValue(key: "", value: s, expected: "a rate such as 500mbit")
        }
        let v = n * k
        guard v >= 1, v < 1e15 else { throw .badValue(key: "", value: s, expected: "a positive rate") }
        return Rate(bitsPerSecond: Int64(v.rounded()))
    }

    /// Parses a size in bytes (`64kb` = 65536, `1500b`, `5GiB`, `10MB`).
    public static func size(_ s: String) throws(NetworkConfigError) -> Int64 {
        let (n, u) = try split(s, expected: "a size such as 64kb or 1500b")
        let k: Double
        switch u {
        case "b", "B": k = 1
        case "k", "kb", "K", "Kb", "KiB", "kib": k = 1024
        case "m", "mb", "M", "Mb", "MiB", "mib": k = 1024 * 1024
        case "g", "gb", "G", "Gb", "GiB", "gib": k = 1024 * 1024 * 1024
        case "KB": k = 1e3
        case "MB": k = 1e6
        case "GB": k = 1e9
        case "kbit": k = 1024.0 / 8
        case "mbit": k = 1024.0 * 1024 / 8
        case "gbit": k = 1024.0 * 1024 * 1024 / 8
        default: throw .badValue(key: "", value: s, expected: "a size such as 64kb or 1500b")
        }
        let v = n * k
        guard v >= 0, v < 9e18 else { throw .badValue(key: "", value: s, expected: "a non-negative size") }
        return Int64(v.rounded())
    }

    /// Parses a duration (`100ms`, `2.5ms`, `1s`).
    public static func time(_ s: String) throws(NetworkConfigError) -> SimDuration {
        let (n, u) = try split(s, expected: "a duration such as 100ms")
        let k: Double
        switch u {
        case "ns", "nsec", "nsecs": k = 1
        case "us", "usec", "usecs": k = 1e3
        case "ms", "msec", "msecs": k = 1e6
        case "s", "sec", "secs": k = 1e9
        case "min": k = 60e9
        case "h": k = 3600e9
        default: throw .badValue(key: "", value: s, expected: "a duration such as 100ms")
        }
        let v = n * k
        guard v >= 0, v < 9e18 else { throw .badValue(key: "", value: s, expected: "a non-negative duration") }
        return SimDuration(nanoseconds: Int64(v.rounded()))
    }

    /// Parses a plain count (packets, bands, r2q).
    public static func count(_ s: String) throws(NetworkConfigError) -> Int64 {
        guard let v = Int64(s.trimmingCharacters(in: .whitespaces)), v >= 0 else {
            throw .badValue(key: "", value: s, expected: "a non-negative integer")
        }
        return v
    }

    /// Parses a probability given as `0.5%` or `0.005`.
    public static func probability(_ s: String) throws(NetworkConfigError) -> Double {
        let t = s.trimmingCharacters(in: .whitespaces)
        let v: Double?
        if t.hasSuffix("%") { v = Double(t.dropLast()).map { $0 / 100 } } else { v = Double(t) }
        guard let p = v, p >= 0, p <= 1 else { throw .badValue(key: "", value: s, expected: "a probability such as 1% or 0.01") }
        return p
    }

    /// tc's spelling of `r` (e.g. `500mbit`).
    public static func format(rate r: Rate) -> String {
        let b = r.bitsPerSecond
        if b % 1_000_000_000 == 0 { return "\(b / 1_000_000_000)gbit" }
        if b % 1_000_000 == 0 { return "\(b / 1_000_000)mbit" }
        if b % 1_000 == 0 { return "\(b / 1_000)kbit" }
        return "\(b)bit"
    }

    private static func split(_ s: String, expected: String) throws(NetworkConfigError) -> (Double, String) {
        let t = s.trimmingCharacters(in: .whitespaces)
        var idx = t.startIndex
        while idx < t.endIndex, "0123456789.eE+-".contains(t[idx]) {
            // stop at an 'e' that starts a unit rather than an exponent
            if t[idx] == "e" || t[idx] == "E" {
                let next = t.index(after: idx)
                if next >= t.endIndex || !"0123456789+-".contains(t[next]) { break }
            }
            idx = t.index(after: idx)
        }
        guard let n = Double(t[t.startIndex..<idx]), n.isFinite else {
            throw .badValue(key: "", value: s, expected: expected)
        }
        let u = String(t[idx...]).trimmingCharacters(in: .whitespaces)
        guard !u.isEmpty else { throw .badValue(key: "", value: s, expected: expected + " (a bare number needs a unit)") }
        return (n, u)
    }
}
