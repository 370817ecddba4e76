import DRLSimCore
/// A scenario tree node: what YAML holds, with the source location of every value.
///
/// DRLScenario converts Yams' composed `Node` into this Sendable value tree once, keeping line
/// numbers (Yams `Node.mark`), so overrides and sweep points can be applied to copies and every
/// later error still names the line. Scalars stay raw text: typed readers (`ConfigValue`) decide
/// whether `500mbit` is a rate, `64kb` a size, `true` a boolean.
public struct ConfigNode: Sendable, Hashable {
    /// The shape and payload of a node.
    public enum Content: Sendable, Hashable {
        /// An explicit null (`~`, `null`, or nothing after the colon).
        case null
        /// A scalar as written (quotes removed).
        case scalar(String)
        /// A sequence (`[a, b]` or `- a`).
        case sequence([ConfigNode])
        /// A mapping, in file order (duplicate keys are rejected when parsing).
        case mapping([ConfigEntry])
    }

    /// The payload.
    public var content: Content
    /// Where the node starts.
    public var location: SourceLocation

    /// A node with `content` at `location`.
    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }

    /// The scalar text, if this is a scalar.
    public var scalar: String? { if case .scalar(let s) = content { return s } else { return nil } }
    /// The entries, if this is a mapping.
    public var entries: [ConfigEntry]? { if case .mapping(let e) = content { return e } else { return nil } }
    /// The elements, if this is a sequence.
    public var elements: [ConfigNode]? { if case .sequence(let e) = content { return e } else { return nil } }
    /// True for an explicit null.
    public var isNull: Bool { if case .null = content { return true } else { return false } }

    /// The value of `key`, if this is a mapping holding it.
    public subscript(key: String) -> ConfigNode? {
        entries?.first(where: { $0.key == key })?.value
    }

    /// A short name of the node's shape for error messages ("a mapping", "a list", ...).
    public var shapeName: String {
        switch content {
        case .null: return "null"
        case .scalar(let s): return "\"\(s)\""
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }

    /// The node in YAML flow style on one line (`{type: tbf, rate: 500mbit}`, `[1GiB, 5GiB]`).
    public var flowText: String {
        switch content {
        case .null: return "null"
        case .scalar(let s): return ConfigNode.flowScalar(s)
        case .sequence(let items): return "[" + items.map(\.flowText).joined(separator: ", ") + "]"
        case .mapping(let es): return "{" + es.map { "\(ConfigNode.flowScalar($0.key)): \($0.value.flowText)" }.joined(separator: ", ") + "}"
        }
    }

    static func flowScalar(_ s: String) -> String {
        let special: Set<Character> = [",", "[", "]", "{", "}", ":", "#", "\"", "'", "&", "*", "!", "|", ">", "%", "@", "`"]
        if s.isEmpty || s.contains(where: { special.contains($0) || $0.isNewline }) || s.first == " " || s.last == " " {
            let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n")
            return "\"\(escaped)\""
        }
        return s
    }
}

/// One `key: value` pair of a mapping node.
public struct ConfigEntry: Sendable, Hashable {
    /// The key text.
    public var key: String
    /// Where the key is written.
    public var keyLocation: SourceLocation
    /// The value.
    public var value: ConfigNode

    /// An entry `key: value`.
    public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}
