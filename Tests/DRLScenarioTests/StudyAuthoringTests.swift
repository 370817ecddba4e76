import Testing
import Foundation
@testable import DRLScenario
import DRLNetwork

/// Issue 17 (users' own studies): linked sweep axes, rate shares (`60%`), htb
/// oversubscription, and hints for the common unit mistakes.
struct StudyAuthoringTests {
    static let base = """
    schema: 1
    name: study
    duration: 1min
    wan:
      rate: 200mbit
      delay: 2.5ms
      qdisc:
        type: htb
        handle: "1:"
        default: 20
        classes:
          - { classid: "1:1", rate: 100% }
          - { classid: "1:10", parent: "1:1", rate: 60%, ceil: 100% }
          - { classid: "1:20", parent: "1:1", rate: 40%, ceil: 100% }
        filters:
          - { class: replication, flowid: "1:10" }

    """

    func classRate(_ s: ScenarioSpec, _ i: Int) -> String? {
        s.section(WANSection.self)?.qdisc?.classes[i].params["rate"]?.description
    }

    /// Linked keys vary together (one factor), crossed with the other axes: 3 x 2 = 6 points,
    /// point p = link index p / 2, interval index p % 2; runs.csv gets a column per key.
    @Test func linkedAxesVaryTogether() throws {
        let yaml = Self.base + """
        sweep:
          link:
            wan.rate: [100mbit, 200mbit, 400mbit]
            wan.qdisc.classes[1].rate: [60mbit, 120mbit, 240mbit]
          wan.delay: [1ms, 2ms]

        """
        let s = try Scenario.parse(yaml: yaml, file: "s.yaml")
        #expect(s.points.count == 6)
        #expect(s.sweep.axes.map(\.key) == ["wan.rate", "wan.qdisc.classes[1].rate", "wan.delay"])
        for (p, point) in s.points.enumerated() {
            let i = p / 2
            #expect(point.assignments.map(\.value) == [["100mbit", "200mbit", "400mbit"][i], ["60mbit", "120mbit", "240mbit"][i], ["1ms", "2ms"][p % 2]])
            #expect(classRate(point, 1) == "\([60_000_000, 120_000_000, 240_000_000][i])bit")
        }
    }

    /// Unequal lengths in one link group: an error at the shorter list's line.
    @Test func unequalLinkedListsAreAnError() throws {
        let yaml = Self.base + """
        sweep:
          link:
            wan.rate: [100mbit, 200mbit, 400mbit]
            wan.delay: [1ms, 2ms]

        """
        #expect { try Scenario.parse(yaml: yaml, file: "s.yaml") } throws: { e in
            let d = (e as? ScenarioError)?.description ?? ""
            return d.contains("s.yaml:20: sweep.link.wan.delay: 2 values, but wan.rate has 3")
        }
    }

    /// A share of the parent follows a swept wan.rate: 60 % of 100/200/400 mbit.
    @Test func sharesFollowTheParentRate() throws {
        let s = try Scenario.parse(yaml: Self.base + "sweep:\n  wan.rate: [100mbit, 400mbit]\n", file: "s.yaml")
        #expect(classRate(s.points[0], 0) == "100000000bit")
        #expect(classRate(s.points[0], 1) == "60000000bit")
        #expect(classRate(s.points[1], 1) == "240000000bit")
        #expect(classRate(s.points[1], 2) == "160000000bit")
        #expect(s.points[1].section(WANSection.self)?.qdisc?.classes[2].params["ceil"]?.description == "400000000bit")
    }

    /// Children guaranteeing more than their parent are refused at the class that tips it over.
    @Test func oversubscribedChildrenAreRefused() throws {
        let yaml = Self.base.replacingOccurrences(of: "rate: 40%, ceil", with: "rate: 50%, ceil")
        #expect { try Scenario.parse(yaml: yaml, file: "s.yaml") } throws: { e in
            let d = (e as? ScenarioError)?.description ?? ""
            return d.contains("s.yaml:14: wan.qdisc.classes[2].rate: the children of htb class 1:1 guarantee 220mbit")
        }
    }

    /// A share where no share is allowed, and the common unit slips, get a hint.
    @Test func unitMistakesGetHints() throws {
        for (value, hint) in [("20m", "did you mean 20min"), ("60%", "a share (60%) is accepted only")] {
            #expect { try Scenario.parse(yaml: Self.base.replacingOccurrences(of: "duration: 1min", with: "duration: \(value)"), file: "s.yaml") } throws: { e in
                ((e as? ScenarioError)?.description ?? "").contains(hint)
            }
        }
        #expect { try Scenario.parse(yaml: Self.base.replacingOccurrences(of: "rate: 200mbit", with: "rate: 40Mb"), file: "s.yaml") } throws: { e in
            ((e as? ScenarioError)?.description ?? "").contains("did you mean 40mbit (megabits per second)?")
        }
    }

    /// `describe` shows the recovery pipeline's defaults when a protected world has no `recovery:`.
    @Test func describeShowsRecoveryDefaults() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let s = try Scenario.load(file: root.appendingPathComponent("Scenarios/examples/snapshot-policy.yaml").path)
        let entry = s.points[0].trace.first { $0.path == "recovery.start_latency" }
        #expect(entry?.isDefault == true && entry?.value == "2s")
    }
}
