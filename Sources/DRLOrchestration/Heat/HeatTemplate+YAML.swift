extension HeatTemplate {
    /// The template as HOT YAML text, as stored in an execution's `template.yaml`.
    ///
    /// Deterministic: parameters and resources in template order, property keys in emission
    /// order. Intrinsics are written in flow style (`{get_param: server_0_image}`).
    public var yaml: String {
        var out = "heat_template_version: \(version)\n"
        out += "description: \(Self.scalar(description))\n"
        out += Self.mappingKey("parameters", isEmpty: parameters.isEmpty)
        for p in parameters {
            out += "  \(p.name):\n"
            out += "    type: \(p.type)\n"
            out += "    default: \(Self.scalar(p.defaultValue))\n"
            out += "    description: \(Self.scalar(p.description))\n"
        }
        out += Self.mappingKey("resources", isEmpty: resources.isEmpty)
        for r in resources {
            out += "  \(r.name):\n"
            out += "    type: \(r.type.rawValue)\n"
            if !r.dependsOn.isEmpty { out += "    depends_on: [\(r.dependsOn.joined(separator: ", "))]\n" }
            out += "    properties:\n"
            for p in r.properties { out += Self.render(key: p.key, value: p.value, indent: 6) }
        }
        return out
    }

    /// `key:` opening a block mapping, or `key: {}` when it has no entries.
    static func mappingKey(_ key: String, isEmpty: Bool) -> String { isEmpty ? "\(key): {}\n" : "\(key):\n" }

    static func render(key: String, value: HeatValue, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .list(let items):
            if items.isEmpty { return "\(pad)\(key): []\n" }
            var s = "\(pad)\(key):\n"
            for item in items { s += renderItem(item, indent: indent) }
            return s
        case .map(let entries):
            if entries.isEmpty { return "\(pad)\(key): {}\n" }
            var s = "\(pad)\(key):\n"
            for e in entries { s += render(key: e.key, value: e.value, indent: indent + 2) }
            return s
        default:
            return "\(pad)\(key): \(inline(value))\n"
        }
    }

    static func renderItem(_ item: HeatValue, indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch item {
        case .map(let entries) where !entries.isEmpty:
            var s = ""
            for (i, e) in entries.enumerated() {
                let line = render(key: e.key, value: e.value, indent: indent + 2)
                s += i == 0 ? pad + "- " + line.dropFirst(indent + 2) : line
            }
            return s
        default:
            return "\(pad)- \(inline(item))\n"
        }
    }

    static func inline(_ v: HeatValue) -> String {
        switch v {
        case .string(let s): return scalar(s)
        case .int(let i): return String(i)
        case .param(let p): return "{get_param: \(p)}"
        case .resource(let r): return "{get_resource: \(r)}"
        case .list(let l): return "[" + l.map(inline).joined(separator: ", ") + "]"
        case .map(let m): return "{" + m.map { "\($0.key): \(inline($0.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// A YAML scalar, quoted when plain style would change its meaning.
    static func scalar(_ s: String) -> String {
        let special: Set<Character> = [":", "#", "{", "}", "[", "]", ",", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`"]
        let reserved = ["true", "false", "yes", "no", "null", "~", "on", "off"]
        let needsQuote = s.isEmpty || s.contains(where: { special.contains($0) }) || s.first == " " || s.last == " "
            || s.first == "-" || reserved.contains(s.lowercased()) || Double(s) != nil
        if !needsQuote { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
