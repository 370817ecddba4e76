import Testing
import DRLSimCore
import DRLCloud
import DRLOrchestration
@testable import DRLScenario

/// The workload section decodes into the one VM and volume descriptions (DRLCloud's
/// `VMDescription`, `VolumeDescription`), compared as values (`Hashable`, the write workload by
/// its kind and parameters), and the orchestrator's tenant holds each volume once.
struct WorkloadDescriptionTests {
    let yaml = """
        schema: 1
        name: d
        duration: 10min
        wan: { rate: 500mbit, delay: 2.5ms }
        workload:
          vms:
            - name: app
              count: 2
              image: 50MB
              volume: { size: 1GiB, type: drbd }
              writes: { type: constant, rate: 8mbit, write_size: 64KiB }
        """

    @Test func aDecodedVMEqualsItsDescriptionWrittenByHand() throws {
        let w = try #require(try Scenario.parse(yaml: yaml, file: "d.yaml").points[0].section(WorkloadSection.self))
        var want = VMDescription(id: "app-1", name: "app-1", image: "app-1-image", imageBytes: 50_000_000,
                                 volume: VolumeDescription(name: "app-1-vol", size: ByteUnits.GiB, type: .drbd),
                                 writes: WorkloadConfig.constantRate(bytesPerSecond: 1e6, writeSize: 64 * ByteUnits.KiB))
        #expect(w.vms[0].spec == want)
        #expect(w.vms[0].spec.volume == VolumeDescription(id: "app-1-vol", name: "app-1-vol", sizeBytes: 1_073_741_824,
                                                          type: .drbd, attachedTo: "app-1"))
        // A different write rate is a different workload, so a different VM description.
        want.writes = WorkloadConfig.constantRate(bytesPerSecond: 2e6, writeSize: 64 * ByteUnits.KiB)
        #expect(w.vms[0].spec != want)
        #expect(Set(w.vms.map(\.spec)).count == 2)   // the copies differ (names), both hash

        // The tenant the orchestrator protects: the same descriptions, each volume held by its VM.
        let t = WorldAssembly.tenantWorkload(tenant: "demo", specs: w.specs(policy: nil))
        #expect(t.volumes == w.vms.map { $0.spec.volume! })
        #expect(t.otherVolumes.isEmpty)
        #expect(t == WorldAssembly.tenantWorkload(tenant: "demo", specs: w.specs(policy: nil)))
        #expect(t.vms[1].volume?.attachedTo == "app-2" && t.vms[1].floatingIP == "192.0.2.11")
    }
}
