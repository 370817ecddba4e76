import DRLSimCore
import DRLNetwork
import DRLCloud
import DRLOrchestration

/// Everything a scenario may name that is open to extension: queueing disciplines, sections,
/// DR-Logic drivers, protection actions, the data paths they send their jobs through, and write
/// workload kinds. A value passed to scenario loading
/// (`Scenario.load(file:plugins:)`), never a global table: `Plugins.standard` is what `drlsim`
/// knows, and another package registers its own on a copy (Examples/PluginExample):
///
/// ```swift
/// var plugins = Plugins.standard
/// plugins.register(driver: MyDriver.plugin)
/// plugins.register(action: MyAction.plugin)
/// plugins.register(dataPath: MyDataPath.plugin)   // if the action moves its bytes its own way
/// let scenario = try Scenario.load(file: "scenario.yaml", plugins: plugins)
/// ```
///
/// Each plug-in declares its keys once (`ParameterSchema`); that declaration decodes and checks
/// the scenario's keys, and `drlsim describe --plugins` lists it.
public struct Plugins: Sendable {
    /// Queueing disciplines of `wan.qdisc` (by `type:`).
    public var qdiscs: QdiscRegistry
    /// Top-level sections, in installation order (a section after those whose components it
    /// `require`s).
    public var sections: [any ScenarioSection.Type]
    /// DR-Logic drivers of `protection.logic` (by `type:`).
    public var logicDrivers: LogicDriverRegistry
    /// Protection actions (`protection.vm_action`, `protection.actions.<name>`).
    public var actions: [ProtectionActionPlugin]
    /// DRLCloud data paths by action name (`DataPathJob.action`): each run's
    /// `ProtectionService` gets a fresh one of each (`WorldAssembly.installDataPaths`).
    public var dataPaths: [DataPathPlugin]
    /// Write workload kinds (`workload.vms[].writes.type`).
    public var workloads: [WorkloadKindPlugin]

    /// The standard plug-ins: nine qdiscs, eleven sections, four drivers, four actions and their
    /// four data paths, the built-in workload kinds.
    public static var standard: Plugins {
        Plugins(qdiscs: .standard, sections: standardSections, logicDrivers: .standard, actions: ProtectionActionPlugin.standard,
                workloads: WorkloadKindPlugin.standard, dataPaths: DataPathPlugin.standard)
    }

    /// The built-in sections in installation order.
    public static let standardSections: [any ScenarioSection.Type] = [
        QueueSection.self,
        SitesSection.self,
        OutputsSection.self,
        WANSection.self,
        FlowsSection.self,
        DetectorSection.self,
        DRBDSection.self,
        WorkloadSection.self,
        RecoverySection.self,
        ProtectionSection.self,
        DisasterSection.self,
    ]

    /// Plug-ins of the given kinds (data paths: the paper's four unless given).
    public init(qdiscs: QdiscRegistry, sections: [any ScenarioSection.Type], logicDrivers: LogicDriverRegistry,
                actions: [ProtectionActionPlugin], workloads: [WorkloadKindPlugin],
                dataPaths: [DataPathPlugin] = DataPathPlugin.standard) {
        self.qdiscs = qdiscs; self.sections = sections; self.logicDrivers = logicDrivers; self.actions = actions
        self.workloads = workloads; self.dataPaths = dataPaths
    }

    /// Registers a queueing discipline (replacing one of the same type).
    public mutating func register(qdisc: QdiscPlugin) { qdiscs.register(qdisc) }
    /// Registers a DR-Logic driver (replacing one of the same name).
    public mutating func register(driver: LogicDriverPlugin) { logicDrivers.register(driver) }
    /// Registers a protection action (replacing one of the same name).
    public mutating func register(action: ProtectionActionPlugin) {
        actions.removeAll { $0.name == action.name }
        actions.append(action)
    }
    /// Registers a data path under its action name (replacing one of the same name).
    public mutating func register(dataPath: DataPathPlugin) {
        dataPaths.removeAll { $0.action == dataPath.action }
        dataPaths.append(dataPath)
    }
    /// Registers a write workload kind (replacing one of the same type).
    public mutating func register(workload: WorkloadKindPlugin) {
        workloads.removeAll { $0.type == workload.type }
        workloads.append(workload)
    }
    /// Registers a section, installed after the existing ones unless `before` names one
    /// (replacing a section of the same key).
    public mutating func register(section: any ScenarioSection.Type, before key: String? = nil) {
        sections.removeAll { $0.key == section.key }
        if let key, let i = sections.firstIndex(where: { $0.key == key }) { sections.insert(section, at: i) } else { sections.append(section) }
    }

    /// The top-level keys of all sections, in installation order.
    public var sectionKeys: [String] { sections.map { $0.key } }
    /// The section type for `key`.
    public func section(forKey key: String) -> (any ScenarioSection.Type)? { sections.first { $0.key == key } }
    /// The action plug-in named `name`.
    public func action(_ name: String) -> ProtectionActionPlugin? { actions.first { $0.name == name } }
    /// The data path plug-in of action `name`.
    public func dataPath(_ name: ProtectionActionName) -> DataPathPlugin? { dataPaths.first { $0.action == name } }
}
