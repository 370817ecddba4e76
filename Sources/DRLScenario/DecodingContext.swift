import DRLSimCore
/// Shared state of one decode pass over a scenario tree (one sweep point).
///
/// Holds the file name, the already-decoded header (sections may read `duration`, `seed`), and
/// the trace of every effective parameter that `drlsim describe` prints. One per decode, used on
/// one thread.
public final class DecodingContext {
    /// The scenario file as named by the user.
    public let file: String
    /// The header of the scenario (schema, name, seed, duration, replications).
    public internal(set) var header: ScenarioHeader
    /// Every value read so far, in reading order (file values and filled-in defaults).
    public private(set) var trace: [TraceEntry] = []
    private var traced: Set<String> = []
    /// The numeric value of every quantity read so far, in its base unit (`s`, `bit/s`, `B`, or
    /// `""` for plain numbers), by key path: what `points.csv` gives for swept keys.
    public private(set) var numbers: [String: (value: Double, unit: String)] = [:]

    /// Records the number behind the value at `path` (first record wins).
    public func recordNumber(_ path: ConfigPath, _ value: Double, unit: String) {
        let key = path.description
        if numbers[key] == nil { numbers[key] = (value, unit) }
    }

    /// The plug-ins the scenario may name (qdiscs, sections, drivers, actions).
    public let plugins: Plugins

    /// A context for decoding `file` whose header is `header`, with `plugins`.
    public init(file: String, header: ScenarioHeader, plugins: Plugins = .standard) {
        self.file = file
        self.header = header
        self.plugins = plugins
    }

    /// Records that `path` has the effective value `value` (first record of a path wins).
    public func record(_ path: ConfigPath, _ value: String, isDefault: Bool) {
        let key = path.description
        guard traced.insert(key).inserted else { return }
        trace.append(TraceEntry(path: key, value: value, isDefault: isDefault))
    }
}

/// One effective parameter of a decoded scenario, for `drlsim describe`.
public struct TraceEntry: Sendable, Hashable {
    /// `trace` with each of `derived` replacing the entry of the same path in place, or
    /// appended when the path was not recorded.
    public static func merging(_ trace: [TraceEntry], _ derived: [TraceEntry]) -> [TraceEntry] {
        var out = trace
        for d in derived {
            if let i = out.firstIndex(where: { $0.path == d.path }) { out[i] = d } else { out.append(d) }
        }
        return out
    }

    /// The key path (`wan.rate`).
    public var path: String
    /// The value as text (as written, or the default in canonical units).
    public var value: String
    /// True when the scenario did not set it and the default applies.
    public var isDefault: Bool
}
