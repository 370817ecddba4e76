import DRLSimCore
import ArgumentParser
import Foundation
import DRLScenario
import DRLExperiment

/// The `drlsim` command: runs, validates and describes DRLSim scenarios (Docs/scenario-reference.md).
///
/// Exit codes: 0 success; 1 a check failed; 2 bad input (file, key, value, arguments), with
/// exactly one line per problem on stderr and nothing written. Every error is caught here: no
/// stack traces.
///
/// A library entry point: the `drlsim` executable is `DRLSim.main(plugins: .standard)`, and a
/// package with its own plug-ins ships the same tool over its own `Plugins` value
/// (Examples/PluginExample's `plugin-demo`).
public struct DRLSim: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "drlsim",
        abstract: "A discrete-event simulator of disaster recovery between datacenters.",
        version: DRLSimVersion.current,
        subcommands: [RunCommand.self, ValidateCommand.self, DescribeCommand.self, MergeCommand.self, SlurmCommand.self, CheckCommand.self, ReportCommand.self, CompareCommand.self])

    /// Runs the command line `arguments` (nil: the process's) with `plugins`, then exits.
    public static func main(plugins: Plugins, arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            if let c = command as? any PluginCommand { try c.run(plugins: plugins) } else { try command.run() }
        } catch {
            exit(with: error)
        }
        Foundation.exit(0)
    }

    /// The standard tool.
    public static func main() { main(plugins: .standard) }

    /// Parsing needs no state.
    public init() {}

    /// Prints `error` as one line on stderr and exits with its status.
    static func exit(with error: any Error) -> Never {
        switch error {
        case let e as ScenarioError: Console.error(e.description); Foundation.exit(2)
        case let e as ExperimentError: Console.error(e.description); Foundation.exit(2)
        case let e as CLIError: Console.error(e.description); Foundation.exit(e.status)
        case let e as ExitCode: Foundation.exit(e.rawValue)
        default:
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            let message = DRLSim.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            Console.error("drlsim: \(message) (see 'drlsim help')")
            Foundation.exit(2)
        }
    }
}

/// A command-line problem, one line, with its exit status.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    var status: Int32 = 2
}

/// Writing to stderr, and progress only when stderr is a terminal.
enum Console {
    /// Writes one error line, made readable (`ErrorText.line`) whatever it echoes.
    static func error(_ line: String) {
        FileHandle.standardError.write(Data((ErrorText.line(line) + "\n").utf8))
    }

    static let isTerminal = isatty(STDERR_FILENO) != 0

    static func progress(_ text: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    static func endProgress() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
