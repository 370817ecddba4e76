import DRLSimCore
import DRLScenario

/// A problem of the experiment layer (output folder, merge, inconsistent tables), one line.
public struct ExperimentError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, one line, naming the file or folder.
    public var message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message on one readable line (`ErrorText.line`).
    public var description: String { ErrorText.line(message) }
}
