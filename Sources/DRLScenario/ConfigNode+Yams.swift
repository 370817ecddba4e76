import DRLSimCore
import Foundation
import Yams

extension ConfigNode {
    /// Parses YAML text with Yams' `compose` into a tree that keeps line numbers.
    ///
    /// - Parameters:
    ///   - yaml: the document text (one document).
    ///   - file: the file name used in locations and errors.
    ///   - origin: where the text came from (file, `--set`, sweep).
    ///   - limits: size, nesting depth and expanded node count (`LoadLimits`), checked before and
    ///     while parsing so that no input can exhaust the stack or memory.
    /// - Throws: `ScenarioError` (`.syntax`) with the parser's line; duplicate or non-scalar keys;
    ///   `.limit` when the text is too large, too deep or expands to too many nodes.
    public static func parse(yaml: String, file: String, origin: SourceLocation.Origin = .file,
                             lineOffset: Int = 0, limits: LoadLimits = LoadLimits()) throws -> ConfigNode? {
        if let p = YAMLPrescan.problem(in: yaml, limits: limits) {
            throw ScenarioError(.limit, file: file, line: p.line == 0 ? 0 : p.line + lineOffset, keyPath: "", p.message)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let e as YamlError {
            throw syntaxError(e, file: file, yaml: yaml, lineOffset: lineOffset)
        } catch {
            throw ScenarioError(.syntax, file: file, line: 0, keyPath: "", "YAML error: \(error)")
        }
        guard let root else { return nil }
        var budget = NodeBudget(left: limits.maxNodes, limit: limits.maxNodes)
        return try convert(root, file: file, origin: origin, lineOffset: lineOffset, path: .root, budget: &budget)
    }

    private static func location(_ mark: Mark?, _ file: String, _ origin: SourceLocation.Origin, _ off: Int) -> SourceLocation {
        SourceLocation(file: file, line: (mark?.line ?? 0) + (mark == nil ? 0 : off), column: mark?.column ?? 0, origin: origin)
    }

    /// Nodes still allowed while converting one document.
    struct NodeBudget {
        var left: Int
        let limit: Int
    }

    /// Converts a Yams node; `budget` counts down the nodes produced (aliases expand at every use).
    private static func convert(_ node: Node, file: String, origin: SourceLocation.Origin, lineOffset: Int,
                                path: ConfigPath, budget: inout NodeBudget) throws -> ConfigNode {
        let loc = location(node.mark, file, origin, lineOffset)
        budget.left -= 1
        if budget.left < 0 {
            throw ScenarioError(.limit, at: loc, keyPath: path.description,
                                "the document expands to more than \(budget.limit) nodes (aliases count at every use); refusing to load it")
        }
        switch node {
        case .scalar(let s):
            if s.style == .plain || s.style == .any {
                if s.string.isEmpty || s.string == "~" || s.string == "null" || s.string == "Null" || s.string == "NULL" {
                    return ConfigNode(.null, at: loc)
                }
            }
            return ConfigNode(.scalar(s.string), at: loc)
        case .sequence(let seq):
            var items: [ConfigNode] = []
            for (i, item) in seq.enumerated() {
                items.append(try convert(item, file: file, origin: origin, lineOffset: lineOffset, path: path.appending(index: i), budget: &budget))
            }
            return ConfigNode(.sequence(items), at: loc)
        case .mapping(let map):
            var entries: [ConfigEntry] = []
            var merged: [ConfigEntry] = []
            for (k, v) in map {
                let kloc = location(k.mark, file, origin, lineOffset)
                guard case .scalar(let ks) = k else {
                    throw ScenarioError(.wrongType, at: kloc, keyPath: path.description, "mapping keys must be plain text")
                }
                let key = ks.string
                // YAML merge key (`<<: *anchor` or `<<: [*a, *b]`): entries of the merged
                // mappings that the mapping does not set itself (earlier merged mappings win).
                if key == "<<", ks.style == .plain || ks.style == .any {
                    let sources = v.sequence.map { Array($0) } ?? [v]
                    for src in sources {
                        let m = try convert(src, file: file, origin: origin, lineOffset: lineOffset, path: path, budget: &budget)
                        guard let es = m.entries else {
                            throw ScenarioError(.wrongType, at: kloc, keyPath: path.appending("<<").description,
                                                "a merge key needs a mapping or a list of mappings, found \(m.shapeName)")
                        }
                        for e in es where !merged.contains(where: { $0.key == e.key }) { merged.append(e) }
                    }
                    continue
                }
                if let first = entries.first(where: { $0.key == key }) {
                    throw ScenarioError(.syntax, at: kloc, keyPath: path.appending(key).description,
                                        "duplicate key (first defined on line \(first.keyLocation.line))")
                }
                let value = try convert(v, file: file, origin: origin, lineOffset: lineOffset, path: path.appending(key), budget: &budget)
                entries.append(ConfigEntry(key: key, keyLocation: kloc, value: value))
            }
            for e in merged where !entries.contains(where: { $0.key == e.key }) { entries.append(e) }
            return ConfigNode(.mapping(entries), at: loc)
        }
    }

    /// Converts a Yams error into a one-line `ScenarioError` with the line of the problem.
    static func syntaxError(_ error: YamlError, file: String, yaml: String, lineOffset: Int) -> ScenarioError {
        func ctx(_ c: YamlError.Context?) -> String {
            guard let c else { return "" }
            return " (\(c.text) at line \(c.mark.line + lineOffset))"
        }
        switch error {
        case .scanner(let c, let problem, let mark, _), .parser(let c, let problem, let mark, _),
             .composer(let c, let problem, let mark, _):
            return ScenarioError(.syntax, file: file, line: mark.line + lineOffset, keyPath: "",
                                 "YAML syntax error: \(problem)\(ctx(c))")
        case .reader(let problem, let offset, _, _):
            var line = 0
            if let offset {
                line = 1 + yaml.utf8.prefix(offset).reduce(0) { $0 + ($1 == 10 ? 1 : 0) } + lineOffset
            }
            return ScenarioError(.syntax, file: file, line: line, keyPath: "", "cannot read YAML: \(problem)")
        case .dataCouldNotBeDecoded:
            return ScenarioError(.unreadable, file: file, line: 0, keyPath: "", "file is not valid UTF-8 text")
        default:
            return ScenarioError(.syntax, file: file, line: 0, keyPath: "", "YAML error: \(error)")
        }
    }
}
