/// One declared parameter of a plug-in (qdisc, section, workload kind, logic driver, protection
/// action): its key, kind, default, allowed range and a doc line, declared once and used for
/// decoding, validation, `drlsim describe` and the scenario reference, as ns-3's `TypeId`
/// attributes are (`TypeId::AddAttribute(name, help, initialValue, accessor, checker)`,
/// ns-3 src/core/model/type-id.h).
public struct ParameterSpec: Sendable, Hashable {
    /// The key (`burst`).
    public var name: String
    /// Other keys accepted for the same parameter (tc-tbf(8): `buffer`, `maxburst` for `burst`).
    public var aliases: [String]
    /// What it holds.
    public var kind: ParameterKind
    /// The value when absent (nil: required, or absent means "not set").
    public var defaultValue: ParameterValue?
    /// True when the plug-in cannot work without it.
    public var isRequired: Bool
    /// Lower bound in the base unit (bits/s, bytes, seconds, plain), if any.
    public var minimum: Double?
    /// True when `minimum` itself is excluded (`> 0`).
    public var minimumExcluded: Bool
    /// Upper bound in the base unit, if any.
    public var maximum: Double?
    /// True when `maximum` itself is excluded (`< 1`).
    public var maximumExcluded: Bool
    /// One line for `describe` and the reference.
    public var doc: String
    /// Where the bounds come from (`drbd_limits.h`): a violation then reads
    /// `<value> is outside <min>..<max> (<source>)`.
    public var source: String?
    /// The whole error text of a range violation, when the plug-in words it itself (nil: derived
    /// from the range).
    public var message: String?
    /// What an absent key without a default means (`none`, `half the volume tier's read rate`),
    /// for `describe` and the reference.
    public var absent: String?

    /// A parameter.
    public init(_ name: String, _ kind: ParameterKind, default defaultValue: ParameterValue? = nil, required: Bool = false,
                aliases: [String] = [], minimum: Double? = nil, excluding: Bool = false, maximum: Double? = nil, below: Bool = false,
                source: String? = nil, message: String? = nil, absent: String? = nil, doc: String) {
        self.maximumExcluded = below; self.source = source; self.message = message; self.absent = absent
        self.name = name; self.kind = kind; self.defaultValue = defaultValue; self.isRequired = required
        self.aliases = aliases; self.minimum = minimum; self.minimumExcluded = excluding; self.maximum = maximum; self.doc = doc
    }

    private func f(_ x: Double) -> String {
        switch kind {
        case .rate: return Units.formatRate(x)
        case .size: return Units.formatSize(Int64(x))
        case .duration: return Units.formatDuration(.seconds(x))
        default: return Units.formatNumber(x)
        }
    }

    private func format(_ v: ParameterValue) -> String {
        switch v {
        case .rate(let r): return Units.formatRate(r)
        case .size(let b): return Units.formatSize(b)
        case .duration(let d): return Units.formatDuration(d)
        default: return v.description
        }
    }

    /// The range as text (`> 0`, `(0, 1]`, `>= 4KiB`), or "" when unbounded.
    public var rangeText: String {
        switch (minimum, maximum) {
        case (let lo?, let hi?): return "\(minimumExcluded ? "(" : "[")\(f(lo)), \(f(hi))\(maximumExcluded ? ")" : "]")"
        case (let lo?, nil): return minimumExcluded ? (lo == 0 ? "positive" : "> \(f(lo))") : "at least \(f(lo))"
        case (nil, let hi?): return maximumExcluded ? "< \(f(hi))" : "at most \(f(hi))"
        case (nil, nil): return ""
        }
    }

    /// Nil when `value` is within the range, else why not (`must be positive`, `must be in (0, 1]`).
    public func rangeViolation(_ value: ParameterValue) -> String? {
        guard let x = value.magnitude else { return nil }
        let low = minimum.map { minimumExcluded ? x > $0 : x >= $0 } ?? true
        let high = maximum.map { maximumExcluded ? x < $0 : x <= $0 } ?? true
        if low && high { return nil }
        if let message { return message }
        if let source, let lo = minimum, let hi = maximum {
            return "\(format(value)) is outside \(f(lo))..\(f(hi)) (\(source))"
        }
        switch (minimum, maximum) {
        case (_?, _?): return "\(name) must be in \(rangeText)"
        case (let lo?, nil): return minimumExcluded && lo == 0 ? "\(name) must be positive" : "\(name) must be \(rangeText)"
        default: return "\(name) must be \(rangeText)"
        }
    }
}
