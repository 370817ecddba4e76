import Testing
import DRLSimCore
import DRLCloud
@testable import DRLScenario

/// `workload.vms[i].count` and `writes.type: diurnal` (issue 16 items 1 and 5).
struct EstateWorkloadTests {
    func yaml(_ vms: String) -> String {
        """
        schema: 1
        name: e
        duration: 10min
        sites:
          primary: { name: umea, hosts: 6 }
          backup: { name: lulea, hosts: 3 }
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
        \(vms)
        """
    }

    func parse(_ y: String) throws -> WorkloadSection {
        let s = try Scenario.parse(yaml: y, file: "e.yaml")
        return try #require(s.points[0].section(WorkloadSection.self))
    }

    func error(_ y: String) -> String? {
        do { _ = try Scenario.parse(yaml: y, file: "e.yaml"); return nil } catch let e as ScenarioError { return e.description } catch {
            Issue.record("unexpected \(error)"); return nil
        }
    }

    @Test func countExpandsToZeroPaddedCopiesWithTheirOwnVolumesAndStreams() throws {
        let w = try parse(yaml("""
            - name: web
              count: 12
              volume: { size: 1GiB, type: drbd }
              writes: { type: diurnal, mean: 2mbit, peak_ratio: 3, period: 24h, phase: 14h, steps: 5min }
            - name: db
              volume: { size: 2GiB, type: drbd, name: dbvol }
        """))
        #expect(w.vms.count == 13)
        #expect(w.vms.map(\.spec.name).prefix(3) == ["web-01", "web-02", "web-03"])
        #expect(w.vms[11].spec.name == "web-12")
        #expect(w.vms[11].spec.volume?.name == "web-12-vol")
        #expect(w.vms[11].group == "web")
        #expect(w.vms[11].entry == 0)
        #expect(w.vms[12].spec.name == "db")
        #expect(w.vms[12].group == nil)
        #expect(w.vms[12].entry == 1)
        guard case .diurnal(let p, let size, let placement, let arrivals)? = w.vms[0].spec.writes as? WorkloadConfig else {
            Issue.record("not diurnal"); return
        }
        #expect(p.mean == 250_000)
        #expect(p.peakRatio == 3)
        #expect(p.period == .seconds(86_400 as Int64))
        #expect(p.phase == .seconds(50_400 as Int64))
        #expect(p.step == .minutes(5))
        #expect(size == 65_536)
        #expect(placement == .random)
        #expect(arrivals == .constant)
    }

    @Test func explicitVolumeNamesGetTheCopySuffix() throws {
        let w = try parse(yaml("""
            - { name: app, count: 3, volume: { size: 1GiB, type: drbd, name: data } }
        """))
        #expect(w.vms.compactMap(\.spec.volume?.name) == ["data-1", "data-2", "data-3"])
    }

    @Test func badCountsAndDiurnalKeysAreOneLineErrors() {
        let e1 = error(yaml("""
            - { name: app, count: 0 }
        """))
        #expect(e1?.contains("workload.vms[0].count") == true)
        let e2 = error(yaml("""
            - { name: app, writes: { type: diurnal, mean: 2mbit, peak_ratio: 0.5 } }
        """))
        #expect(e2?.contains("workload.vms[0].writes.peak_ratio") == true)
        let e3 = error(yaml("""
            - { name: app, count: 2 }
            - { name: app-1 }
        """))
        #expect(e3?.contains("duplicate resource name 'app-1'") == true)
        #expect(e3?.contains("workload.vms[1].name") == true)
    }
}
