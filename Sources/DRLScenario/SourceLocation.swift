import DRLSimCore
/// A place in a scenario file: the file as named on the command line, a 1-based line and column.
///
/// Values injected from the command line (`--set`) or by a sweep keep the location of the text
/// that produced them, with `origin` saying so, so errors still point at a line a user can find.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Where a value came from.
    public enum Origin: Sendable, Hashable {
        /// Written in the scenario file.
        case file
        /// Given by `--set key=value` on the command line.
        case override(String)
        /// Substituted by the scenario's `sweep:` section.
        case sweep
    }

    /// The file path as given by the user.
    public var file: String
    /// The 1-based line (0 when unknown).
    public var line: Int
    /// The 1-based column (0 when unknown).
    public var column: Int
    /// Where the value came from.
    public var origin: Origin

    /// A location in `file` at `line`:`column`.
    public init(file: String, line: Int, column: Int = 0, origin: Origin = .file) {
        self.file = file
        self.line = line
        self.column = column
        self.origin = origin
    }

    /// `FILE:LINE`.
    public var description: String { "\(file):\(line)" }
}
