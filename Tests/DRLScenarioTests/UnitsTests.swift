import Testing
import DRLSimCore
@testable import DRLScenario

/// The units table of the interface contract: accepted and rejected spellings.
struct UnitsTests {
    @Test(arguments: [
        ("500mbit", 500e6), ("1gbit", 1e9), ("64kbit", 64e3), ("1.5mbit", 1.5e6), ("100bit", 100),
        ("10Mbit", 10e6), ("1kibit", 1024), ("1mbps", 8e6), ("125kbps", 1e6), ("1bps", 8), ("500 mbit", 500e6),
    ])
    func acceptedRates(text: String, bitsPerSecond: Double) throws {
        #expect(try Units.parseRate(text).get() == bitsPerSecond)
    }

    @Test(arguments: ["fast", "-1mbit", "0mbit", "500", "500Mbps", "5GB", "mbit", "1e", ""])
    func rejectedRates(text: String) {
        #expect(throws: UnitError.self) { try Units.parseRate(text).get() }
    }

    @Test(arguments: [
        ("64kb", Int64(65536)), ("5GiB", 5 * (Int64(1) << 30)), ("5GB", Int64(5_000_000_000)),
        ("190MB", Int64(190_000_000)), ("1500b", Int64(1500)), ("1500B", Int64(1500)), ("64k", Int64(65536)),
        ("1mb", Int64(1) << 20), ("1MiB", Int64(1) << 20), ("1KB", Int64(1000)), ("1kB", Int64(1000)),
        ("0.5KiB", Int64(512)), ("1gb", Int64(1) << 30),
    ])
    func acceptedSizes(text: String, bytes: Int64) throws {
        #expect(try Units.parseSize(text).get() == bytes)
    }

    @Test(arguments: ["500", "big", "-1MB", "5Gb", "5M", "1mbit", "5 GiBs"])
    func rejectedSizes(text: String) {
        #expect(throws: UnitError.self) { try Units.parseSize(text).get() }
    }

    @Test(arguments: [
        ("100ms", Int64(100_000_000)), ("30min", Int64(1_800_000_000_000)), ("2.5ms", Int64(2_500_000)),
        ("1s", Int64(1_000_000_000)), ("1h", Int64(3_600_000_000_000)), ("5us", Int64(5_000)), ("7ns", Int64(7)),
        ("1.111111111s", Int64(1_111_111_111)),
    ])
    func acceptedDurations(text: String, nanoseconds: Int64) throws {
        #expect(try Units.parseDuration(text).get().nanoseconds == nanoseconds)
    }

    @Test(arguments: ["100", "fast", "-1s", "5m", "1sec", "ms"])
    func rejectedDurations(text: String) {
        #expect(throws: UnitError.self) { try Units.parseDuration(text).get() }
    }

    @Test func messagesNameTheProblem() {
        #expect(Units.parseRate("fast").failureText == "\"fast\" is not a rate (expected e.g. 500mbit)")
        #expect(Units.parseRate("500").failureText?.contains("no unit") == true)
        #expect(Units.parseRate("-1mbit").failureText?.contains("positive") == true)
        #expect(Units.parseRate("500Mbps").failureText?.contains("ambiguous") == true)
        #expect(Units.parseSize("5Gb").failureText?.contains("ambiguous") == true)
    }

    @Test func formattingRoundTrips() throws {
        #expect(Units.formatRate(500e6) == "500mbit")
        #expect(Units.formatRate(1e9) == "1gbit")
        #expect(Units.formatRate(1.5e6) == "1500kbit")
        #expect(Units.formatSize(65536) == "64KiB")
        #expect(Units.formatSize(5_000_000_000) == "5GB")
        #expect(Units.formatSize(1500) == "1500b")
        #expect(Units.formatDuration(.seconds(Int64(1800))) == "30min")
        #expect(Units.formatDuration(.milliseconds(100)) == "100ms")
        #expect(try Units.parseSize(Units.formatSize(123_456_789)).get() == 123_456_789)
    }
}

extension Result where Failure == UnitError {
    var failureText: String? {
        if case .failure(let e) = self { return e.description }
        return nil
    }
}
