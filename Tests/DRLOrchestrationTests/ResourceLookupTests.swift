import Testing
import DRLSimCore
import DRLCloud
@testable import DRLOrchestration

/// `ResourceLookup` answers what the workload's linear searches answer (the first match in the
/// workload's order), for VMs, attached and other volumes, duplicates and unknown IDs.
@Suite struct ResourceLookupTests {
    @Test func answersAsTheWorkloadsOwnSearches() {
        var w = TenantWorkload(tenant: "t")
        for k in 0..<5 {
            w.vms.append(VMDescription(name: "vm\(k)", volume: k % 2 == 0 ? VolumeDescription(size: Int64(k + 1), type: .drbd) : nil))
        }
        w.vms.append(VMDescription(name: "vm1"))   // a duplicate name: the first one wins
        w.volumes.append(VolumeDescription(id: "spare", name: "spare", sizeBytes: 9, type: .iscsi))
        w.volumes.append(VolumeDescription(id: "vm0-vol", name: "dup", sizeBytes: 77, type: .iscsi))   // after vm0's own
        let lookup = ResourceLookup(w)
        let ids: [ResourceID] = w.vms.map(\.id) + w.volumes.map(\.id) + ["nothing"]
        for id in ids {
            #expect(lookup.vm(id)?.name == w.vm(id)?.name)
            #expect(lookup.vm(id)?.volume?.id == w.vm(id)?.volume?.id)
            #expect(lookup.volume(id)?.sizeBytes == w.volume(id)?.sizeBytes)
            #expect(lookup.volume(id)?.name == w.volume(id)?.name)
        }
        #expect(lookup.volume("vm0-vol")?.sizeBytes == 1)   // the attached one comes first
        #expect(lookup.volume("spare")?.sizeBytes == 9)
        #expect(lookup.vm("nothing") == nil && lookup.volume("nothing") == nil)
    }
}
