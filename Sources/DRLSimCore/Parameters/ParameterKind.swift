/// What a plug-in parameter holds, and so how it is read and printed (`ParameterSpec.kind`).
public enum ParameterKind: Sendable, Hashable {
    /// A rate (`500mbit`), bits per second.
    case rate
    /// A size (`64kb`), bytes.
    case size
    /// A duration (`50ms`).
    case duration
    /// A non-negative whole number (packets, bands).
    case count
    /// A real number without unit.
    case number
    /// A probability in [0, 1], also written `0.5%`.
    case probability
    /// `true` or `false`.
    case bool
    /// A probability distribution of values of the inner kind (`size`, `duration`, `rate`,
    /// `number`): a constant quantity, or a mapping with `type:` (DRLScenario's `DistributionSpec`).
    indirect case distribution(ParameterKind)
    /// A `[low, high]` pair of the inner kind with `low <= high` (`video_size: [20MB, 100MB]`).
    indirect case interval(ParameterKind)
    /// A file path, relative to the scenario file unless absolute.
    case path
    /// A nested mapping whose `type:` picks one of `variants`, each with its own declared keys
    /// (`workload.vms[].writes`: a registered workload kind and that kind's keys).
    case variant([ParameterVariant])
    /// Free text (a class id, a priomap).
    case text
    /// One of the listed words.
    case choice([String])
    /// A list of names.
    case names
    /// A mapping of names to non-negative numbers.
    case weights
    /// A nested mapping with its own declared keys (`drbd.resync`, `sites.primary`).
    case mapping(ParameterSchema)
    /// A list of mappings, each with the declared keys (`wan.faults`, `wan.schedule`).
    case list(ParameterSchema)
    /// A value read by the plug-in's own decoder (a distribution, a qdisc tree): the text says
    /// what it holds, for the reference tables. Declared so that unknown-key checks, `describe`
    /// and the reference know the key; its value is not read by the schema.
    case custom(String)

    /// What a value of this kind looks like (`a rate such as 500mbit`), for error messages.
    public var expected: String {
        switch self {
        case .rate: return "a rate such as 500mbit"
        case .size: return "a size such as 64kb or 1500b"
        case .duration: return "a duration such as 100ms"
        case .count: return "a non-negative integer"
        case .number: return "a number"
        case .probability: return "a probability such as 1% or 0.01"
        case .bool: return "true or false"
        case .distribution(let of): return "a distribution of \(of.name)s (a \(of.name), or a mapping with type: exponential, uniform, ...)"
        case .interval(let of): return "[low, high] of \(of.expected), low <= high"
        case .path: return "a file path (relative to the scenario file)"
        case .variant(let vs): return "a mapping with type: one of \(vs.map(\.type).joined(separator: ", "))"
        case .text: return "text"
        case .choice(let c): return "one of \(c.joined(separator: ", "))"
        case .names: return "a list of names"
        case .weights: return "a mapping of names to numbers"
        case .mapping: return "a mapping"
        case .list: return "a list of mappings"
        case .custom(let what): return what
        }
    }

    /// The nested schema of a `.mapping` or `.list` kind.
    public var nested: ParameterSchema? {
        switch self { case .mapping(let s), .list(let s): return s; default: return nil }
    }

    /// True when the schema itself reads the value (not a nested mapping, list or custom value).
    public var isScalar: Bool {
        switch self { case .mapping, .list, .custom: return false; default: return true }
    }

    /// The kind's name in the reference tables (`rate`, `one of a, b`).
    public var name: String {
        switch self {
        case .rate: return "rate"
        case .size: return "size"
        case .duration: return "duration"
        case .count: return "count"
        case .number: return "number"
        case .probability: return "probability"
        case .bool: return "bool"
        case .distribution(let of): return "distribution of \(of.name)s"
        case .interval(let of): return "[low, high] \(of.name)s"
        case .path: return "path"
        case .variant(let vs): return "mapping, type: " + vs.map(\.type).joined(separator: " \\| ")
        case .text: return "text"
        case .choice(let c): return c.joined(separator: " \\| ")
        case .names: return "list of names"
        case .weights: return "map name: number"
        case .mapping: return "mapping"
        case .list: return "list"
        case .custom(let what): return what
        }
    }
}
