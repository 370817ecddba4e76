import DRLSimCore
/// A key path into a scenario tree: `wan.qdisc.rate`, `workload.vms[0].volume.size`.
///
/// Keys are separated by `.`, sequence indices written `[i]` (0-based). The same spelling is used
/// in error messages, in `sweep:` keys, in `--set key.path=value` and in `runs.csv` headers.
public struct ConfigPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Component: Sendable, Hashable {
        /// A mapping key.
        case key(String)
        /// A 0-based sequence index.
        case index(Int)
    }

    /// The steps from the root.
    public var components: [Component]

    /// A path of `components`.
    public init(_ components: [Component] = []) { self.components = components }

    /// The root path.
    public static let root = ConfigPath()

    /// This path extended by a key.
    public func appending(_ key: String) -> ConfigPath { ConfigPath(components + [.key(key)]) }
    /// This path extended by an index.
    public func appending(index: Int) -> ConfigPath { ConfigPath(components + [.index(index)]) }

    /// The path as written by users, e.g. `workload.vms[0].volume.size`.
    public var description: String {
        var s = ""
        for c in components {
            switch c {
            case .key(let k): s += s.isEmpty ? k : ".\(k)"
            case .index(let i): s += "[\(i)]"
            }
        }
        return s
    }

    /// Parses `a.b[0].c`; returns nil for malformed text (empty keys, bad indices).
    public init?(parsing text: String) {
        var comps: [Component] = []
        var current = ""
        var i = text.startIndex
        var afterIndex = false
        while i < text.endIndex {
            let ch = text[i]
            if ch == "." {
                if current.isEmpty && !afterIndex { return nil }
                if !current.isEmpty { comps.append(.key(current)) }
                current = ""
                afterIndex = false
                i = text.index(after: i)
                guard i < text.endIndex else { return nil }
            } else if ch == "[" {
                if !current.isEmpty { comps.append(.key(current)) } else if comps.isEmpty { return nil }
                current = ""
                guard let close = text[i...].firstIndex(of: "]") else { return nil }
                guard let n = Int(text[text.index(after: i)..<close]), n >= 0 else { return nil }
                comps.append(.index(n))
                afterIndex = true
                i = text.index(after: close)
                if i < text.endIndex, text[i] != ".", text[i] != "[" { return nil }
            } else if ch == "]" || ch == "=" || ch.isWhitespace {
                return nil
            } else {
                current.append(ch)
                afterIndex = false
                i = text.index(after: i)
            }
        }
        if !current.isEmpty { comps.append(.key(current)) }
        if comps.isEmpty { return nil }
        self.components = comps
    }
}
