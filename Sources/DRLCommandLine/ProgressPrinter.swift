import ArgumentParser
import Foundation
import Dispatch
import DRLExperiment

/// How `run` shows progress on stderr.
enum ProgressStyle: String, ExpressibleByArgument, CaseIterable {
    /// One line rewritten in place (`\r`), for a terminal.
    case terminal
    /// One JSON object per line every second, for batch and cluster logs.
    case json
    /// Nothing.
    case none
}

/// Prints a `ProgressReport` every second on stderr, from a timer on its own queue, until
/// `finish()` (which prints the last state: a final JSON line, or clears the terminal line).
final class ProgressPrinter: @unchecked Sendable {
    private let report: ProgressReport
    private let style: ProgressStyle
    private let scenario: String
    private var timer: (any DispatchSourceTimer)?

    init(report: ProgressReport, style: ProgressStyle, scenario: String) {
        self.report = report
        self.style = style
        self.scenario = scenario
        guard style != .none else { return }
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue(label: "drlsim.progress"))
        t.schedule(deadline: .now() + 1, repeating: 1)
        t.setEventHandler { [weak self] in self?.emit() }
        t.resume()
        timer = t
    }

    private func emit() {
        let snap = report.snapshot()
        switch style {
        case .terminal: FileHandle.standardError.write(Data("\r\u{1B}[K\(scenario): \(snap.line)".utf8))
        case .json: FileHandle.standardError.write(Data((snap.json(scenario: scenario) + "\n").utf8))
        case .none: break
        }
    }

    /// Stops the timer and closes the output.
    func finish() {
        timer?.cancel()
        timer = nil
        switch style {
        case .terminal: FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        case .json: emit()
        case .none: break
        }
    }
}
