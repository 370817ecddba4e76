import Testing
import DRLSimCore
@testable import DRLExperiment

/// Deterministic number formatting and RFC 4180 quoting.
struct CSVTests {
    @Test func numbers() {
        #expect(CSV.number(0.1) == "0.1")
        #expect(CSV.number(9.030098) == "9.030098")
        #expect(CSV.number(1e-5) == "1e-05")
        #expect(CSV.number(3) == "3.0")
        #expect(CSV.number(-0.0) == "0.0")
        #expect(CSV.number(.nan) == "nan")
        #expect(CSV.number(-.infinity) == "-inf")
        #expect(CSV.cell(.int(-42)) == "-42")
        for x in [0.1, 1.0 / 3.0, 123456.789e10, Double.leastNonzeroMagnitude, 1.7976931348623157e308] {
            #expect(Double(CSV.number(x)) == x)
        }
    }

    @Test func quotingRoundTrips() {
        let cells = ["plain", "a,b", "say \"hi\"", "two\nlines", ""]
        let line = CSV.line(cells)
        #expect(line == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n")
        #expect(CSV.parse(line) == [cells])
    }

    @Test func shardParsing() throws {
        #expect(try Shard.parse("0/4").get() == Shard(index: 0, count: 4))
        #expect(Shard(index: 1, count: 4).runs(of: 10) == [1, 5, 9])
        for bad in ["3/2", "x/4", "1/0", "-1/3", "1", "1/2/3", ""] {
            #expect(throws: ShardError.self) { try Shard.parse(bad).get() }
        }
    }
}
