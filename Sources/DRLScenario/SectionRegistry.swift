/// The table of every scenario section this build knows, in installation order.
///
/// Adding a model's section = one new file under `Sections/` plus one line here. Sections are
/// installed into a run in this order, so list a section after those whose components it
/// `require`s (sites, wan before workload; workload before protection ...). Static `let`: no
/// mutable global state.
public enum SectionRegistry {
    /// Every section type, in installation order.
    public static let sections: [any ScenarioSection.Type] = [
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

    /// The top-level keys of all sections, in registry order.
    public static var keys: [String] { sections.map { $0.key } }

    /// The section type for `key`.
    public static func section(forKey key: String) -> (any ScenarioSection.Type)? {
        sections.first { $0.key == key }
    }
}
