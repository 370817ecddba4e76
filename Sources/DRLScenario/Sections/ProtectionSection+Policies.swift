import DRLCloud
import DRLSimCore
import DRLOrchestration

/// `protection.policies`: several workload policies (the paper's "one or more workload
/// policies", §4.3; Zerto's Virtual Protection Groups, each with its own VMs and settings;
/// dr-landscape.md "consistency groups").
///
/// ```yaml
/// protection:
///   policy: replication           # the top-level keys are the defaults every policy inherits
///   interval: 5min
///   policies:
///     web: { vms: [web], interval: 2min, concurrency: 4 }
///     db:  { vms: [db-0, db-1], logic: { type: rpo-target, target: 1min }, vm_action: vm-snapshot }
/// ```
/// A policy has `vms` (VM names; a name that is no VM's selects every VM named `<name>-<k>`,
/// the copies of a `workload.vms[i].count` entry), and may set `interval`, `logic` (`fixed`,
/// `dirty-threshold`, `rpo-target`; `bandwidth-shares` shapes the whole link and stays at the
/// top level), `vm_action` and `concurrency`. Each VM's volume joins its VM's policy (volume
/// replication for DRBD volumes, volume snapshot otherwise). VMs in no policy are not
/// protected. A VM in two policies, or a name selecting no VM, is an error. Without
/// `policies`: one policy `<tenant>_default` with every VM and volume (the paper's).
extension ProtectionSection {
    /// One policy as written.
    public struct PolicySpec: Sendable {
        /// One entry of `vms`.
        public struct Selector: Sendable {
            /// The name as written.
            public var name: String
            /// Where it is written.
            public var location: SourceLocation
            /// Its key path (`protection.policies.web.vms[0]`).
            public var keyPath: String
        }
        /// The policy name (container `<tenant>_<name>_<t>_<i>`).
        public var name: String
        /// The VM selectors in order.
        public var vms: [Selector]
        /// Own maximum protection interval (nil: `protection.interval`).
        public var interval: SimDuration?
        /// Own DR-Logic driver (nil: `protection.logic`).
        public var logic: LogicDriverChoice?
        /// Own VM action (nil: `protection.vm_action`).
        public var vmAction: String?
        /// Own action concurrency (nil: `protection.concurrency`).
        public var concurrency: Int?
    }

    /// Reads `protection.policies` (nil when absent).
    static func decodePolicies(_ m: ConfigMapping) throws -> [PolicySpec]? {
        guard let v = m.value("policies") else { return nil }
        let specs = try v.mapping { pm -> [PolicySpec] in
            try pm.check(!pm.writtenKeys.isEmpty, nil, "policies needs at least one policy (e.g. {web: {vms: [web]}})")
            return try pm.writtenKeys.map { name in
                try pm.check(!name.isEmpty && !name.contains("/"), name, "a policy name must be non-empty, without '/'")
                return try pm.mapping(name) { p in
                    p.declare(policySchema)
                    let list = try p.list("vms")
                    try p.check(!list.isEmpty, "vms", "a policy needs at least one VM")
                    let vms = try list.map { x in
                        PolicySpec.Selector(name: try x.string(), location: x.location, keyPath: x.path.description)
                    }
                    var s = PolicySpec(name: name, vms: vms)
                    s.interval = try p.value("interval")?.duration()
                    if let i = s.interval { try p.check(i >= .seconds(1 as Int64), "interval", "interval must be at least 1s") }
                    s.vmAction = try p.value("vm_action")?.choice(among: ["vm-snapshot", "image-copy"])
                    s.concurrency = try p.value("concurrency")?.int(in: 1...100_000)
                    s.logic = try p.optionalMapping("logic") { l in try decodePolicyLogic(l) }
                    return s
                }
            }
        }
        return specs
    }

    /// A policy's own `logic`: a registered driver that does not shape the link (shaping drivers
    /// such as `bandwidth-shares` set the whole link's rates: only `protection.logic`), with the
    /// keys its schema declares.
    static func decodePolicyLogic(_ l: ConfigMapping) throws -> LogicDriverChoice {
        let drivers = l.context.plugins.logicDrivers
        let type = try l.choice("type", among: drivers.names, default: "fixed")
        let driver = drivers.plugin(type)!
        if driver.shapesTraffic {
            throw l.error("type", .invalidValue, "\(type) shapes the whole link: set it in protection.logic, not per policy")
        }
        return LogicDriverChoice(type: type, parameters: try l.parameters(driver.schema))
    }

    /// The VM names `selector` selects among `names` (file order): the VM of that name, else
    /// every `<selector>-<k>` (k digits).
    static func select(_ selector: String, among names: [String]) -> [String] {
        if names.contains(selector) { return [selector] }
        let prefix = selector + "-"
        return names.filter { n in
            n.hasPrefix(prefix) && n.count > prefix.count && n.dropFirst(prefix.count).allSatisfy(\.isNumber)
        }
    }

    /// Every selector selects a VM, and no VM is in two policies (errors at the selector).
    func validatePolicies(in spec: ScenarioSpec) throws {
        guard let policies, let w = spec.section(WorkloadSection.self) else { return }
        let names = w.vms.map(\.spec.name)
        var owner: [String: String] = [:]
        for p in policies {
            for s in p.vms {
                let got = Self.select(s.name, among: names)
                guard !got.isEmpty else {
                    throw ScenarioError(.invalidValue, at: s.location, keyPath: s.keyPath,
                                        "'\(s.name)' is no VM of workload.vms (nor the name of copies '\(s.name)-<k>')")
                }
                for n in got {
                    if let o = owner[n] {
                        throw ScenarioError(.invalidValue, at: s.location, keyPath: s.keyPath,
                                            o == p.name ? "VM '\(n)' is selected twice in policy \(o)"
                                                        : "VM '\(n)' is already in policy \(o): a VM belongs to one policy")
                    }
                    owner[n] = p.name
                }
            }
        }
    }

    /// The layer's policies, schedules and concurrencies for `workload` (nothing without
    /// `policies`: the default policy with every resource).
    func applyPolicies(to c: inout DisasterRecoveryLayer.Config, workload: TenantWorkload) {
        guard let policies else { return }
        let names = workload.vms.map(\.id.raw)
        var out: [WorkloadPolicy] = []
        for p in policies {
            let selected = Set(p.vms.flatMap { Self.select($0.name, among: names) })
            let vms = workload.vms.filter { selected.contains($0.id.raw) }
            let action = p.vmAction.map { ProtectionActionName($0) } ?? c.orchestrator.vmAction
            var wp = WorkloadPolicy(name: p.name, tenant: workload.tenant)
            wp.members = vms.map { .init(resource: $0.id, kind: .vm, action: action) }
            let ids = Set(vms.map(\.id))
            for v in workload.volumes where v.attachedTo.map(ids.contains) ?? false {
                wp.members.append(.init(resource: v.id, kind: .volume, action: .defaultAction(for: v.type)))
            }
            out.append(wp)
            if p.interval != nil || p.logic != nil { c.orchestrator.perPolicy[p.name] = PolicySchedule(interval: p.interval, logic: p.logic) }
            if let n = p.concurrency { c.engine.policyConcurrency[p.name] = n }
        }
        c.policies = out
    }
}
