import ArgumentParser
import DRLScenario

/// A subcommand that loads scenarios, run with the `Plugins` value the tool was started with
/// (`DRLSim.main(plugins:)`): the value is handed down, never kept in a global.
protocol PluginCommand: ParsableCommand {
    /// Runs the command with `plugins`.
    func run(plugins: Plugins) throws
}

extension PluginCommand {
    /// Runs with the standard plug-ins (when called outside `DRLSim.main(plugins:)`).
    func run() throws { try run(plugins: .standard) }
}
