import DRLSimCore

/// The paper's driver: never triggers on its own; the orchestrator's countdown protects every
/// `interval` (paper §3: "a simple driver that performs synchronization actions with a fixed
/// frequency"; orbit-software.md §2).
public final class FixedFrequencyDriver: LogicDriver {
    /// `fixed`.
    public let name = "fixed"
    /// The driver.
    public init() {}
    /// The driver's verdict for one policy at this tick.
    public func decide(_ input: LogicInput) -> LogicDecision { .wait }
}

extension FixedFrequencyDriver {
    /// `fixed`: no parameters; the orchestrator's countdown alone protects.
    public static let plugin = LogicDriverPlugin(name: "fixed", summary: "protect every protection.interval (the released code's driver)") { _, _ in
        FixedFrequencyDriver()
    }
}
