import DRLSimCore

/// The top-level keys every scenario has, decoded before any section.
///
/// `schema` is required and must be 1. `name` defaults to the file name without extension,
/// `seed` to 1, `replications` to 1; without `duration` a run lasts until its models have no
/// more events.
public struct ScenarioHeader: Sendable, Hashable {
    /// The schema versions this build reads.
    public static let supportedSchemas = [1]
    /// The header keys, in documentation order.
    /// The header's keys, declared once (the top-level keys that are not sections).
    public static let parameterSchema: ParameterSchema = [
        ParameterSpec("schema", .count, required: true, doc: "file format version (this drlsim reads 1)"),
        ParameterSpec("name", .text, doc: "scenario name, the results folder (default: the file name's stem)"),
        ParameterSpec("description", .text, doc: "free text"),
        ParameterSpec("seed", .custom("non-negative 64-bit integer"), default: .number(1), doc: "seed of every named random stream"),
        ParameterSpec("duration", .duration, minimum: 0, excluding: true, message: "duration must be positive",
                      absent: "until no event is left", doc: "simulated time of a run"),
        ParameterSpec("replications", .count, default: .number(1), minimum: 1, maximum: 1_000_000, doc: "runs per sweep point"),
        ParameterSpec("sweep", .custom("map key path: list of values"), doc: "the sweep (last key varies fastest)"),
    ]
    /// The header's keys.
    public static var keys: [String] { parameterSchema.keys }
    /// Header keys that a sweep may not vary (they identify the result set).
    public static let unsweepable: Set<String> = ["schema", "name", "description", "seed", "replications", "sweep"]

    /// The schema version (1).
    public var schema: Int
    /// The scenario name (result folder `Results/<name>/`).
    public var name: String
    /// Free text.
    public var description: String
    /// The base seed of every random stream.
    public var seed: UInt64
    /// How long each run lasts in virtual time; nil = until no event is left.
    public var duration: SimDuration?
    /// Replications per sweep point.
    public var replications: Int

    /// A header with the given values.
    public init(schema: Int = 1, name: String, description: String = "", seed: UInt64 = 1,
                duration: SimDuration? = nil, replications: Int = 1) {
        self.schema = schema
        self.name = name
        self.description = description
        self.seed = seed
        self.duration = duration
        self.replications = replications
    }

    /// Whether `name` may name a scenario (and its result folder, and the manifest's line):
    /// 1-100 ASCII letters, digits, `.`, `_`, `+`, `-`, not starting with `.` or `-`. The file's
    /// base name (the default name) is held to the same rule.
    public static func isSafeName(_ name: String) -> Bool {
        guard (1...100).contains(name.utf8.count), let first = name.utf8.first, first != UInt8(ascii: "."),
              first != UInt8(ascii: "-") else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 43 || c == 45
        }
    }

    /// A safe name made from a file's stem: disallowed characters become `-`, cut to 100.
    public static func safeName(from stem: String) -> String {
        var out = String(stem.unicodeScalars.prefix(100).map { u -> Character in
            let c = u.value
            let ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 46 || c == 95 || c == 43 || c == 45
            return ok ? Character(u) : "-"
        })
        while out.hasPrefix(".") || out.hasPrefix("-") { out.removeFirst() }
        return out.isEmpty ? "scenario" : out
    }
}
