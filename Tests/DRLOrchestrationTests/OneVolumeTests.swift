import Testing
import DRLSimCore
import DRLCloud
@testable import DRLOrchestration

/// One volume, one description (issue 15 item 2): the data plane's attached volume and the
/// orchestrator's tenant volume are the same `VolumeDescription` value, held once.
@Suite struct OneVolumeTests {
    @Test func anAttachedVolumeIsNamedAfterItsServerAndInUse() {
        let vm = VMDescription(name: "db", volume: VolumeDescription(size: 256 * ByteUnits.MiB, type: .drbd))
        let v = try! #require(vm.volume)
        #expect(v.name == "db-vol" && v.id == "db-vol")
        #expect(v.attachedTo == "db" && v.state == .inUse && v.sizeBytes == 268_435_456)
        var renamed = vm
        renamed.volume = VolumeDescription(name: "data", size: 1, type: .iscsi)   // set later: attached too
        #expect(renamed.volume?.attachedTo == "db" && renamed.volume?.id == "data")
    }

    @Test func theTenantListsEachVolumeOnceFromItsServer() {
        var w = TenantWorkload.paperTranscoder(volumeBytes: 1_000_000_000, volumeType: .drbd)
        // paperTranscoder's volume is attached to its VM, so the VM holds it and nothing else does.
        #expect(w.otherVolumes.isEmpty)
        #expect(w.vms[0].volume?.id == "vol-primary-1" && w.vms[0].volume?.name == "transcoder-data")
        w.volumes.append(VolumeDescription(id: "vol-2", name: "scratch", sizeBytes: 1_000_000, type: .iscsi))
        #expect(w.volumes.map(\.id) == ["vol-primary-1", "vol-2"])
        #expect(w.otherVolumes.map(\.id) == ["vol-2"] && w.vms[0].volume?.id == "vol-primary-1")
        #expect(w.volume("vol-2")?.state == .available && w.volume("vol-primary-1")?.attachedTo == "vm-primary-1")
        // A change to the server's volume is the tenant's volume: there is no second copy.
        w.vms[0].volume?.sizeBytes = 7
        #expect(w.volume("vol-primary-1")?.sizeBytes == 7)
        // A second volume attached to the same server stays among the others, attached.
        w.volumes.append(VolumeDescription(id: "vol-3", name: "logs", sizeBytes: 1, type: .iscsi, attachedTo: "vm-primary-1"))
        #expect(w.otherVolumes.map(\.id) == ["vol-2", "vol-3"] && w.volume("vol-3")?.state == .inUse)
        w.volumes = []
        #expect(w.vms[0].volume == nil && w.volumes.isEmpty)
    }
}
