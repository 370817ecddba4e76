import Testing
import DRLSimCore
import DRLCloud
@testable import DRLOrchestration
import DRLOrchestrationTestSupport

@Suite struct HeatTemplateTests {
    let workload = TenantWorkload.paperTranscoder(volumeBytes: 5_000_000_000, volumeType: .drbd)

    @Test func flameShapeHasEveryResourceKind() {
        let t = FlameGenerator().template(for: workload)
        #expect(t.count(of: .server) == 1)
        #expect(t.count(of: .keyPair) == 1)
        #expect(t.count(of: .securityGroup) == 1)
        #expect(t.count(of: .network) == 1 && t.count(of: .subnet) == 1)
        #expect(t.count(of: .port) == 1)
        #expect(t.count(of: .floatingIPAssociation) == 1)
        #expect(t.count(of: .volumeAttachment) == 1)
        #expect(t.unresolvedReference() == nil)
        // The port keeps the fixed IP; the primary's IDs are the parameter defaults.
        #expect(t.yaml.contains("ip_address: 10.0.0.5"))
        #expect(t.parameter("server_0_image")?.defaultValue == "img-primary-1")
        #expect(t.parameter("volume_0_id")?.defaultValue == "vol-primary-1")
        #expect(t.parameter("floatingip_0_id")?.address == "192.0.2.10")
    }

    @Test func yamlIsDeterministicAndReadable() {
        let a = FlameGenerator().template(for: workload).yaml
        let b = FlameGenerator().template(for: workload).yaml
        #expect(a == b)
        #expect(a.hasPrefix("heat_template_version: 2013-05-23\n"))
        #expect(a.contains("  server_0:\n    type: OS::Nova::Server\n"))
        #expect(a.contains("image: {get_param: server_0_image}"))
        #expect(a.contains("port_id: {get_resource: port_0}"))
        #expect(a.contains("      - port: {get_resource: port_0}"))
    }

    @Test func remappingResolvesEveryReference() throws {
        let t = FlameGenerator().template(for: workload)
        let map = IDMapping(images: ["img-primary-1": "img-backup-7"], volumes: ["vol-primary-1": "vol-backup-9"],
                            floatingIPsByAddress: ["192.0.2.10": "fip-backup-3"])
        let r = try t.remapped(with: map)
        #expect(r.parameter("server_0_image")?.defaultValue == "img-backup-7")
        #expect(r.parameter("volume_0_id")?.defaultValue == "vol-backup-9")
        #expect(r.parameter("floatingip_0_id")?.defaultValue == "fip-backup-3")
        #expect(r.parameter("external_network_for_floating_ip")?.defaultValue == "ext-net-backup")
        #expect(r.parameter("server_0_flavor")?.defaultValue == "m1.small")
        // No primary ID survives in any remapped parameter; every reference resolves.
        for p in r.parameters where p.role != .plain { #expect(!p.defaultValue.contains("primary"), "\(p.name)") }
        #expect(r.unresolvedReference() == nil)
        #expect(r.resources == t.resources)
    }

    @Test func brokenTemplatesFailWithAReason() {
        var t = FlameGenerator().template(for: workload)
        let i = t.resources.firstIndex { $0.type == .floatingIPAssociation }!
        t.resources[i].properties[1] = HeatProperty("port_id", .resource("port_42"))
        #expect(throws: TemplateError.unknownResource(resource: "floatingip_association_0", target: "port_42")) {
            try t.remapped(with: IDMapping())
        }
        var u = FlameGenerator().template(for: workload)
        u.parameters.removeAll { $0.name == "server_0_flavor" }
        #expect(u.unresolvedReference() == .unknownParameter(resource: "server_0", parameter: "server_0_flavor"))
        let good = FlameGenerator().template(for: workload)
        #expect(throws: TemplateError.unmappedID(parameter: "server_0_image", role: .image, primaryID: "img-primary-1")) {
            try good.remapped(with: IDMapping(volumes: ["vol-primary-1": "v"], floatingIPsByAddress: ["192.0.2.10": "f"]))
        }
        #expect(throws: TemplateError.floatingIPNotFound(parameter: "floatingip_0_id", address: "192.0.2.10")) {
            try good.remapped(with: IDMapping(images: ["img-primary-1": "i"], volumes: ["vol-primary-1": "v"]))
        }
        #expect(TemplateError.floatingIPNotFound(parameter: "floatingip_0_id", address: "192.0.2.10").description
                == "parameter floatingip_0_id: no floating IP with address 192.0.2.10 at the backup site")
    }

    @Test func recoveryWithAnUnresolvableTemplateFailsWithTheReason() throws {
        var rc = RecoveryPipeline.Config()
        rc.backupFloatingIPs = []
        let w = try World(volumeBytes: 1_000_000_000, type: .drbd, disaster: DisasterSpec(at: .seconds(1000.0)), recovery: rc)
        w.run(until: .seconds(1500.0))
        let o = try #require(w.layer.recovery.outcomes.first)
        #expect(o.failure == .template(.floatingIPNotFound(parameter: "floatingip_0_id", address: "192.0.2.10")))
        #expect(o.responsive == nil && o.rto == nil)
        let row = try #require(w.rows(OrchestrationTables.recovery).first)
        #expect(row["status"]?.text == "failed")
        #expect(row["reason"]?.text?.contains("no floating IP with address 192.0.2.10") == true)
        #expect(row["rto_s"]?.double?.isNaN == true)
        // The steps stop at the remap: no stack is created.
        #expect(o.steps.last?.name == "template-remap")
    }

    @Test func everyExecutionStoresItsTemplate() throws {
        let w = try World(volumeBytes: 1_000_000_000, type: .drbd)
        w.run(until: .seconds(700.0))
        let ex = w.layer.engine.executions
        #expect(ex.count == 2)
        for e in ex { #expect(e.status == .ready && e.template?.count(of: .server) == 1) }
    }
}
