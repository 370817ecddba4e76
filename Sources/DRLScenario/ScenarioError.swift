import DRLSimCore
/// A problem with a scenario (syntax, unknown key, wrong type, bad value), as a typed value.
///
/// Its `description` is ONE line, `FILE:LINE: key.path: message`, e.g.
/// `fig7.yaml:12: wan.qdisc.rate: "fast" is not a rate (expected e.g. 500mbit)`. The CLI prints
/// exactly that line on stderr and exits with status 2.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of problem this is (tests match on it; users read the message).
    public enum Kind: String, Sendable, Equatable {
        /// The file cannot be read.
        case unreadable
        /// YAML syntax error reported by the parser.
        case syntax
        /// The `schema:` header is missing or names an unknown version.
        case schema
        /// A key that no section knows.
        case unknownKey
        /// A required key is absent.
        case missingKey
        /// The value has the wrong shape or type (e.g. a list where a number is expected).
        case wrongType
        /// The value has the right type but is not acceptable (unit, range, choice).
        case invalidValue
        /// A `--set` or sweep key path that cannot be applied to the tree.
        case badPath
        /// Problems found when assembling a run from valid sections (cross-references).
        case assembly
        /// An input bound was hit (`LoadLimits`: size, depth, nodes, points, runs, or a quantity
        /// beyond what a model can hold).
        case limit
    }

    /// The kind of problem.
    public var kind: Kind
    /// The file as named by the user.
    public var file: String
    /// The 1-based line, or 0 when unknown (then omitted from the description).
    public var line: Int
    /// The key path (`wan.qdisc.rate`, `workload.vms[0].volume.size`); empty for file-level errors.
    public var keyPath: String
    /// What is wrong, one line.
    public var message: String

    /// An error of `kind` at `location` for `keyPath`.
    public init(_ kind: Kind, at location: SourceLocation, keyPath: String, _ message: String) {
        self.kind = kind
        self.file = location.file
        self.line = location.line
        self.keyPath = keyPath
        var m = message
        if case .override(let text) = location.origin { m += " (from --set \(text))" }
        if case .sweep = location.origin { m += " (from sweep)" }
        self.message = m
    }

    /// An error in `file` at `line` (0 when unknown).
    public init(_ kind: Kind, file: String, line: Int, keyPath: String, _ message: String) {
        self.init(kind, at: SourceLocation(file: file, line: line), keyPath: keyPath, message)
    }

    /// `FILE:LINE: key.path: message` on one line, readable whatever the input held
    /// (`ErrorText.line`: control characters escaped, overlong values cut).
    public var description: String {
        var s = ErrorText.value(file, limit: 200)
        if line > 0 { s += ":\(line)" }
        if !keyPath.isEmpty { s += ": \(ErrorText.value(keyPath, limit: 200))" }
        s += ": \(message)"
        return ErrorText.line(s)
    }
}
