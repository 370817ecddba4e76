import Testing
import Foundation
import DRLExperiment

/// Tolerance arithmetic, tolerance files and the comparison of curves against a baseline.
struct BaselineToleranceTests {
    @Test func toleranceIsAbsPlusRelTimesBaseline() {
        let t = Tolerance(rel: 0.01, abs: 0.5)
        #expect(t.limit(around: -100) == 1.5)
        #expect(t.allows(baseline: 100, new: 101.5))
        #expect(!t.allows(baseline: 100, new: 101.51))
        #expect(t.allows(baseline: -100, new: -98.5))
        #expect(!t.allows(baseline: 0, new: 0.51))
        #expect(t.allows(baseline: .nan, new: .nan))
        #expect(!t.allows(baseline: .nan, new: 1))
        #expect(!t.allows(baseline: 1, new: .nan))
        #expect(t.allows(baseline: .infinity, new: .infinity))
        #expect(!t.allows(baseline: .infinity, new: 1e300))
        #expect(Tolerance.strict.allows(baseline: 4.5, new: 4.5 + 1e-12))
        #expect(!Tolerance.strict.allows(baseline: 4.5, new: 4.5 + 1e-6))
    }

    static func v(_ table: String, _ column: String, _ group: String, _ stat: String, _ value: Double = 1, point: [String] = []) -> CurveValue {
        CurveValue(point: 0, pointValues: point, table: table, column: column, group: group, statistic: stat, value: value)
    }

    @Test func mostSpecificRuleWinsAndMissingFieldsComeFromDefault() throws {
        let yaml = """
        default: {rel: 0.001, abs: 2}
        curves:
          protection: {rel: 0.1}
          protection.duration_s: {rel: 0.2}
          protection.duration_s@p90: {rel: 0.3}
          "protection.duration_s[action=image-copy]": {abs: 7}
          protection@count: {rel: 0, abs: 0}
        """
        let t = try ToleranceTable.parse(yaml: yaml, file: "tolerances.yaml")
        #expect(t.defaultTolerance == Tolerance(rel: 0.001, abs: 2))
        #expect(t.tolerance(for: Self.v("rpo", "rpo_s", "", "mean")) == Tolerance(rel: 0.001, abs: 2))
        #expect(t.tolerance(for: Self.v("protection", "bytes", "", "mean")) == Tolerance(rel: 0.1, abs: 2))
        #expect(t.tolerance(for: Self.v("protection", "bytes", "", "count")) == Tolerance(rel: 0, abs: 0))
        #expect(t.tolerance(for: Self.v("protection", "duration_s", "action=vm-snapshot", "mean")) == Tolerance(rel: 0.2, abs: 2))
        #expect(t.tolerance(for: Self.v("protection", "duration_s", "action=vm-snapshot", "p90")) == Tolerance(rel: 0.3, abs: 2))
        #expect(t.tolerance(for: Self.v("protection", "duration_s", "action=image-copy", "p90")) == Tolerance(rel: 0.001, abs: 7))
        // The template parses and gives the strict default.
        #expect(try ToleranceTable.parse(yaml: ToleranceTable.template(), file: "t.yaml") == ToleranceTable())
    }

    @Test func badToleranceFilesNameFileLineAndKey() {
        func message(_ yaml: String) -> String {
            do { _ = try ToleranceTable.parse(yaml: yaml, file: "tol.yaml"); return "" } catch { return "\(error)" }
        }
        #expect(message("default: {rel: -1}\n") == "tol.yaml:1: default.rel: expected a non-negative number")
        #expect(message("default: {rel: 1}\ncurves:\n  queue.wq_s[x: {rel: 1}\n").hasPrefix("tol.yaml:3: curves.queue.wq_s[x: not a curve selector"))
        #expect(message("curves:\n  queue@p99: {rel: 1}\n").hasPrefix("tol.yaml:2: curves.queue@p99: not a curve selector"))
        #expect(message("defaults: {rel: 1}\n") == "tol.yaml:1: defaults: unknown key (expected default or curves)")
        #expect(message("curves:\n  queue: {relative: 1}\n") == "tol.yaml:2: curves.queue.relative: unknown key (expected rel or abs)")
    }

    @Test func comparisonMatchesBySweptValuesAndReportsEveryKindOfChange() {
        let keys = ["wan.rate"]
        let baseline = CurveSet(sweptKeys: keys, values: [
            Self.v("rpo", "rpo_s", "action=a", "mean", 10, point: ["50mbit"]),
            Self.v("rpo", "rpo_s", "action=a", "p90", 20, point: ["50mbit"]),
            Self.v("rpo", "rpo_s", "action=a", "mean", 5, point: ["100mbit"]),
            Self.v("rpo", "rpo_s", "action=b", "mean", 1, point: ["100mbit"]),
        ])
        // A point inserted before: indices shift, values still match by swept value.
        var new = CurveSet(sweptKeys: keys, values: [
            Self.v("rpo", "rpo_s", "action=a", "mean", 10.05, point: ["50mbit"]),
            Self.v("rpo", "rpo_s", "action=a", "p90", 20, point: ["50mbit"]),
            Self.v("rpo", "rpo_s", "action=a", "mean", 7, point: ["100mbit"]),
            Self.v("rpo", "rpo_s", "action=c", "mean", 3, point: ["100mbit"]),
        ])
        for i in new.values.indices { new.values[i].point += 1 }
        let tol = ToleranceTable(defaultTolerance: Tolerance(rel: 0.01, abs: 0))
        let r = CheckReport.compare(scenario: "s", baseline: baseline, new: new, tolerances: tol)
        #expect(r.compared == 3)
        #expect(r.changes.map(\.kind) == [.moved, .disappeared, .appeared])
        #expect(r.changes[0].curve == "rpo.rpo_s[action=a]" && r.changes[0].point == "wan.rate=100mbit")
        #expect(r.changes[0].delta == 2 && r.changes[0].allowed == 0.05)
        #expect(r.changes[1].curve == "rpo.rpo_s[action=b]" && r.changes[1].new == nil)
        #expect(r.changes[2].curve == "rpo.rpo_s[action=c]" && r.changes[2].baseline == nil)
        let table = CheckReport.table([r])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("scenario  point"))
        #expect(lines[1].contains("rpo.rpo_s[action=a]") && lines[1].contains("+2.0 (+40%)") && lines[1].contains("±0.05"))
        #expect(lines[2].contains("disappeared") && lines[3].contains("appeared"))
        #expect(CheckReport.compare(scenario: "s", baseline: baseline, new: baseline, tolerances: ToleranceTable()).passed)
        // Other swept keys: nothing is comparable.
        let renamed = CurveSet(sweptKeys: ["wan.delay"], values: baseline.values)
        let r2 = CheckReport.compare(scenario: "s", baseline: baseline, new: renamed, tolerances: ToleranceTable())
        #expect(r2.compared == 0 && r2.changes.count == 8)
    }
}
