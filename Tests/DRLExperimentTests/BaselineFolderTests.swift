import Testing
import Foundation
import DRLExperiment
import DRLTestSupport

/// Baselines on disk: metadata round trip, atomic rewrite that keeps tolerances.yaml.
struct BaselineFolderTests {
    static func baseline(_ value: Double, overrides: [String] = ["queue.customers=2000", "replications=3"]) -> Baseline {
        Baseline(scenario: "md1", file: "Scenarios/validation/md1.yaml", version: "0.1.0", fingerprint: "00ff00ff00ff00ff",
                 seed: 1, points: 1, replications: 3, overrides: overrides,
                 curves: CurveSet(sweptKeys: [], values: [CurveValue(point: 0, pointValues: [], table: "queue", column: "wq_s",
                                                                      group: "", statistic: "mean", value: value)]))
    }

    @Test func writeThenReadGivesTheSameBaseline() throws {
        let tmp = try TemporaryFolder("baseline")
        defer { tmp.remove() }
        let folder = tmp.url.appendingPathComponent("b/md1").path
        let b = Self.baseline(4.5, overrides: ["name=a \"quoted\" \\ value", "x=1"])
        try b.write(to: folder)
        #expect(tmp.entries("b/md1") == ["baseline.yaml", "curves.csv", "tolerances.yaml"])
        #expect(tmp.entries("b") == ["md1"], "no temporary folder is left behind")
        let (back, tol) = try Baseline.read(from: folder)
        #expect(back == b)
        #expect(tol == ToleranceTable())
    }

    @Test func rewriteKeepsEditedTolerances() throws {
        let tmp = try TemporaryFolder("baseline")
        defer { tmp.remove() }
        let folder = tmp.url.appendingPathComponent("md1").path
        try Self.baseline(4.5).write(to: folder)
        try tmp.write("md1/tolerances.yaml", "default: {rel: 0.05}\n")
        try tmp.write("md1/NOTES.md", "why\n")
        try Self.baseline(4.7).write(to: folder)
        let (back, tol) = try Baseline.read(from: folder)
        #expect(back.curves.values.first?.value == 4.7)
        #expect(tol.defaultTolerance == Tolerance(rel: 0.05, abs: Tolerance.strict.abs))
        #expect(tmp.entries("md1") == ["NOTES.md", "baseline.yaml", "curves.csv", "tolerances.yaml"])
    }

    @Test func malformedMetadataIsAOneLineError() throws {
        let tmp = try TemporaryFolder("baseline")
        defer { tmp.remove() }
        let folder = tmp.url.appendingPathComponent("md1").path
        try Self.baseline(4.5).write(to: folder)
        try tmp.write("md1/baseline.yaml", "format: \"drlsim-baseline 9\"\n")
        #expect(throws: ExperimentError.self) { try Baseline.read(from: folder) }
        do { _ = try Baseline.read(from: folder) } catch {
            #expect("\(error)".contains("format \"drlsim-baseline 9\" is not supported"))
        }
        try FileManager.default.removeItem(atPath: folder + "/curves.csv")
        do { _ = try Baseline.read(from: folder); Issue.record("read a baseline without curves") } catch {
            #expect("\(error)".hasSuffix("curves.csv: missing or unreadable"))
        }
    }
}
