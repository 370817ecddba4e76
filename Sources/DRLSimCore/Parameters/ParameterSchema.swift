/// The declared parameters of one plug-in, in the order `describe` and the reference list them.
public struct ParameterSchema: Sendable, Hashable, ExpressibleByArrayLiteral {
    /// The parameters.
    public var parameters: [ParameterSpec]

    /// A schema of `parameters`.
    public init(_ parameters: [ParameterSpec]) { self.parameters = parameters }
    /// A schema of the listed parameters.
    public init(arrayLiteral elements: ParameterSpec...) { parameters = elements }
    /// No parameters.
    public static let empty = ParameterSchema([])

    /// Every key accepted, aliases included.
    public var keys: [String] { parameters.flatMap { [$0.name] + $0.aliases } }

    /// The parameter whose name or alias is `key`.
    public func spec(_ key: String) -> ParameterSpec? {
        parameters.first { $0.name == key || $0.aliases.contains(key) }
    }

    /// `raw` checked against the schema: keys resolved to their canonical names (an alias given
    /// together with its name is an error), unknown keys refused, each value read as its kind
    /// (text parsed with `Units`) and checked against its range, defaults filled in.
    public func resolve(_ raw: [String: ParameterValue]) -> Result<ParameterValues, ParameterError> {
        var out: [String: ParameterValue] = [:]
        for key in raw.keys.sorted() {
            guard let spec = spec(key) else { return .failure(.unknown(key: key, known: keys)) }
            if out[spec.name] != nil { return .failure(.invalid(key: key, "\(key) repeats \(spec.name) (an alias of it)")) }
            switch raw[key]!.read(as: spec.kind) {
            case .success(let v):
                if let why = spec.rangeViolation(v) { return .failure(.invalid(key: key, why)) }
                out[spec.name] = v
            case .failure(let e): return .failure(.wrongKind(key: key, spec.kind, e.description))
            }
        }
        for p in parameters where out[p.name] == nil {
            if let d = p.defaultValue { out[p.name] = d } else if p.isRequired { return .failure(.missing(key: p.name)) }
        }
        return .success(ParameterValues(out, written: Set(raw.keys.compactMap { spec($0)?.name })))
    }

    /// A Markdown table of the parameters (key, kind, default, range, meaning), the form of
    /// Docs/scenario-reference.md's tables. Nested mappings and lists follow their key as
    /// `key.sub` and `key[].sub` rows.
    public var markdownTable: String {
        (["| Key | Kind | Default | Range | Meaning |", "|---|---|---|---|---|"] + rows(prefix: "")).joined(separator: "\n")
    }

    /// The schema of the nested mapping or list `key`.
    public func nested(_ key: String) -> ParameterSchema? { spec(key)?.kind.nested }

    /// Every key path the schema declares (`resync.mode`, `faults[].at`), nested ones included.
    public var keyPaths: [String] {
        parameters.flatMap { p -> [String] in
            let own = [p.name] + p.aliases
            switch p.kind {
            case .mapping(let s): return own + s.keyPaths.map { "\(p.name).\($0)" }
            case .list(let s): return own + s.keyPaths.map { "\(p.name)[].\($0)" }
            default: return own
            }
        }
    }

    private func rows(prefix: String) -> [String] {
        var lines: [String] = []
        for p in parameters {
            let key = ([p.name] + p.aliases).map { "`\(prefix)\($0)`" }.joined(separator: " / ")
            let def = p.defaultValue.map { "`\($0.readable)`" } ?? (p.isRequired ? "required" : p.absent ?? "-")
            lines.append("| \(key) | \(p.kind.name) | \(def) | \(p.rangeText.isEmpty ? "-" : p.rangeText) | \(p.doc) |")
            switch p.kind {
            case .mapping(let s): lines += s.rows(prefix: "\(prefix)\(p.name).")
            case .list(let s): lines += s.rows(prefix: "\(prefix)\(p.name)[].")
            default: break
            }
        }
        return lines
    }
}

/// Why raw parameters do not fit a schema.
public enum ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A key the plug-in does not declare.
    case unknown(key: String, known: [String])
    /// A required key is absent.
    case missing(key: String)
    /// A value that is not of the parameter's kind (and why).
    case wrongKind(key: String, ParameterKind, String)
    /// A value that cannot be used.
    case invalid(key: String, String)

    /// The key concerned.
    public var key: String {
        switch self { case .unknown(let k, _), .missing(let k), .wrongKind(let k, _, _), .invalid(let k, _): return k }
    }

    /// One line.
    public var description: String {
        switch self {
        case .unknown(let k, let known): return "\(k): unknown parameter (known: \(known.joined(separator: ", ")))"
        case .missing(let k): return "\(k): required"
        case .wrongKind(let k, _, let why), .invalid(let k, let why): return "\(k): \(why)"
        }
    }
}
