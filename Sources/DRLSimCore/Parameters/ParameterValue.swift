/// One plug-in parameter's value: a typed quantity once decoded, or text in tc spelling as a
/// library user writes it (`"500mbit"`), read by the parameter's declared kind (`ParameterKind`)
/// with the one unit parser, `Units`.
///
/// Values, not strings, travel from the scenario to the models: `wan.rate` decoded as
/// `.rate(5e8)` reaches the qdisc as that number (issue 15 item 4), never printed and parsed again.
public enum ParameterValue: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// Text as written (tc spelling for quantities); parsed when read as a quantity.
    case text(String)
    /// A rate in bits per second.
    case rate(Double)
    /// A size in bytes.
    case size(Int64)
    /// A duration.
    case duration(SimDuration)
    /// A plain number (count, probability, fraction).
    case number(Double)
    /// A boolean.
    case bool(Bool)
    /// A list of names.
    case names([String])
    /// Numbers by name (weights).
    case weights([String: Double])
    /// A probability distribution in the base unit (bytes, seconds, bits/s, plain).
    case distribution(Distribution)
    /// A `[low, high]` pair.
    indirect case interval(ParameterValue, ParameterValue)
    /// A nested mapping of the kind `type` (a `ParameterKind.variant`), its keys resolved.
    case typed(String, ParameterValues)

    /// Text as written.
    public init(stringLiteral value: String) { self = .text(value) }

    /// A canonical spelling, exact for quantities: `500000000bit`, `262144b`, `50000000ns`.
    public var description: String {
        switch self {
        case .text(let s): return s
        case .rate(let r): return "\(Int64(r.rounded()))bit"
        case .size(let b): return "\(b)b"
        case .duration(let d): return "\(d.nanoseconds)ns"
        case .number(let x): return Units.formatNumber(x)
        case .bool(let b): return String(b)
        case .names(let n): return "[" + n.joined(separator: ", ") + "]"
        case .weights(let w): return "{" + w.keys.sorted().map { "\($0): \(Units.formatNumber(w[$0]!))" }.joined(separator: ", ") + "}"
        case .distribution(let d): return d.description
        case .interval(let a, let b): return "[\(a), \(b)]"
        case .typed(let t, let v): return "{" + (["type: \(t)"] + v.values.keys.sorted().map { "\($0): \(v.values[$0]!)" }).joined(separator: ", ") + "}"
        }
    }

    /// The value in its dimension's readable unit (`500mbit`, `256KiB`, `50ms`), for `describe`.
    public var readable: String {
        switch self {
        case .rate(let r): return Units.formatRate(r)
        case .size(let b): return Units.formatSize(b)
        case .duration(let d): return Units.formatDuration(d)
        case .interval(let a, let b): return "[\(a.readable), \(b.readable)]"
        default: return description
        }
    }

    /// Reads the value as `kind`: typed values pass when they match, text is parsed with `Units`
    /// (counts and numbers as plain numbers, probabilities also as `0.5%`). The error says what
    /// was expected.
    public func read(as kind: ParameterKind) -> Result<ParameterValue, UnitError> {
        switch (kind, self) {
        case (.rate, .rate), (.size, .size), (.duration, .duration), (.bool, .bool), (.names, .names), (.weights, .weights),
             (.count, .number), (.number, .number), (.probability, .number), (.text, .text), (.path, .text),
             (.distribution, .distribution), (.variant, .typed):
            return .success(self)
        case (.distribution(let of), _):   // a constant written as one quantity
            return read(as: of).flatMap { v in v.magnitude.map { .success(.distribution(.constant($0))) }
                ?? .failure(.message("\(self) is not a \(kind.name)")) }
        case (.interval(let of), .interval(let a, let b)):
            return a.read(as: of).flatMap { lo in b.read(as: of).flatMap { hi in
                (lo.magnitude ?? 0) <= (hi.magnitude ?? 0) ? .success(.interval(lo, hi)) : .failure(.message("\(self): low must not exceed high"))
            } }
        case (.choice(let among), .text(let s)):
            return among.contains(s) ? .success(self) : .failure(.message("\"\(ErrorText.value(s, limit: 60))\" is not one of \(among.joined(separator: ", "))"))
        case (.rate, .text(let s)): return Units.parseRate(s).map { .rate($0) }
        case (.size, .text(let s)): return Units.parseSize(s).map { .size($0) }
        case (.duration, .text(let s)): return Units.parseDuration(s).map { .duration($0) }
        case (.count, .text(let s)):
            guard let v = Int64(s.trimmingCharacters(in: .whitespaces)), v >= 0 else { return .failure(.notA("count", s, example: "1000")) }
            return .success(.number(Double(v)))
        case (.number, .text(let s)):
            guard let v = Double(s.trimmingCharacters(in: .whitespaces)), v.isFinite else { return .failure(.notA("number", s, example: "0.5")) }
            return .success(.number(v))
        case (.probability, .text(let s)):
            let t = s.trimmingCharacters(in: .whitespaces)
            let v = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
            guard let p = v, p >= 0, p <= 1 else { return .failure(.notA("probability", s, example: "1% or 0.01")) }
            return .success(.number(p))
        case (.bool, .text(let s)):
            switch s { case "true": return .success(.bool(true)); case "false": return .success(.bool(false))
            default: return .failure(.notA("boolean", s, example: "true")) }
        default:
            return .failure(.message("\(self) is not a \(kind.name)"))
        }
    }

    /// The number behind a quantity in its base unit (bits/s, bytes, seconds, plain), if any.
    public var magnitude: Double? {
        switch self {
        case .rate(let r): return r
        case .size(let b): return Double(b)
        case .duration(let d): return d.seconds
        case .number(let x): return x
        default: return nil
        }
    }
}
