import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration

extension Plugins {
    /// Every registered plug-in and the keys it declares, as Markdown (the form of
    /// Docs/scenario-reference.md's plug-in tables): what `drlsim describe --plugins` prints.
    public var reference: String {
        var out = "# Plug-ins\n"
        out += "\n## Sections (installation order)\n\n"
        for s in sections { out += "- `\(s.key)`: \(s.summary)\n" }
        out += "\n### Header (top-level keys that are not sections)\n\n\(ScenarioHeader.parameterSchema.markdownTable)\n"
        for s in sections where !s.schema.parameters.isEmpty {
            out += "\n### `\(s.key)`\n\n\(s.schema.markdownTable)\n"
        }
        out += "\n## Queueing disciplines (`wan.qdisc.type`)\n"
        for q in qdiscs.all {
            out += "\n### `\(q.type)`\n\n\(q.summary)\n\n\(q.schema.markdownTable)\n"
            if let c = q.classSchema, !c.parameters.isEmpty { out += "\nClass keys (`classes[]`):\n\n\(c.markdownTable)\n" }
        }
        out += "\n## DR-Logic drivers (`protection.logic.type`)\n"
        for d in logicDrivers.all {
            out += "\n### `\(d.name)`\n\n\(d.summary)\(d.shapesTraffic ? " (shapes traffic: needs wan.qdisc htb)" : "")\n"
            out += d.schema.parameters.isEmpty ? "\nNo keys.\n" : "\n\(d.schema.markdownTable)\n"
        }
        out += "\n## Protection actions (`protection.vm_action`, `protection.actions.<name>`)\n"
        for a in actions {
            out += "\n### `\(a.name)` (\(a.kind.rawValue))\n\n\(a.summary)\n"
            out += a.schema.parameters.isEmpty ? "\nNo keys.\n" : "\n\(a.schema.markdownTable)\n"
        }
        out += "\n## Data paths (DRLCloud; by action name)\n\n"
        for d in dataPaths { out += "- `\(d.action)` (\(d.resourceKind.rawValue)): \(d.summary)\n" }
        out += "\n## Write workloads (`workload.vms[].writes.type`)\n"
        for w in workloads {
            out += "\n### `\(w.type)`\n\n\(w.summary)\n"
            out += w.schema.parameters.isEmpty ? "\nKeys read by its decoder.\n" : "\n\(w.schema.markdownTable)\n"
        }
        return out
    }
}
