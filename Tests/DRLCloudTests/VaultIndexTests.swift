import Testing
import DRLSimCore
@testable import DRLCloud

/// `SwiftStore.newestReadyItem(for:)` answers from an index rebuilt when the ready containers
/// change: after every kind of change (a container created, an item added before and after it is
/// ready, marked ready, deleted, retention), the index gives what a scan of every container gives
/// (the definition: over ready containers in order, each one's last item for the resource, the
/// first with the latest capture instant; ties keep the older container).
struct VaultIndexTests {
    static func scan(_ v: SwiftStore, _ r: String) -> (String, ContainerItem)? {
        var best: (SwiftContainer, ContainerItem)? = nil
        for c in v.containers where c.state == .ready {
            if let it = c.items.last(where: { $0.resource == r }) {
                if best == nil || it.capturedAt > best!.1.capturedAt { best = (c, it) }
            }
        }
        return best.map { ($0.0.name, $0.1) }
    }

    @Test func indexAnswersLikeAScanAfterEveryChange() {
        let sim = Simulator()
        let v = SwiftStore(sim: sim)
        let rng = RandomStream(name: "vault-index-test", rawSeed: 7)
        func pick<T>(_ xs: [T]) -> T? { xs.isEmpty ? nil : xs[rng.uniformInt(xs.count)] }
        let resources = (0..<6).map { "r\($0)" }
        var containers: [SwiftContainer] = []
        var checked = 0
        func check() {
            for r in resources + ["none"] {
                let a = v.newestReadyItem(for: r).map { ($0.0.name, $0.1) }, b = Self.scan(v, r)
                #expect(a?.0 == b?.0 && a?.1 == b?.1)
                checked += 1
            }
        }
        for step in 0..<400 {
            switch rng.uniformInt(6) {
            case 0:
                containers.append(v.createContainer(tenant: "t", policy: "p\(step % 3)", execution: step))
            case 1, 2:
                guard let c = pick(containers) else { break }
                // Capture instants repeat on purpose (ties), and go back in time (a later item older).
                let at = SimInstant(nanoseconds: Int64(rng.uniformInt(20)) * 1_000_000_000)
                v.addItem(ContainerItem(resource: pick(resources)!, action: "a", capturedAt: at,
                                        bytes: Int64(step), restoreSize: 1), to: c)
            case 3:
                if let c = pick(containers) { v.markReady(c) }
            case 4:
                if rng.uniformInt(4) == 0, let c = pick(containers) { v.delete(c) }
            default:
                if rng.uniformInt(8) == 0 { v.applyRetention(keep: 2) }
            }
            check()
        }
        #expect(checked == 400 * 7)
        #expect(v.containers.contains { $0.state == .ready })
    }
}
