import DRLScenario

/// A stored baseline of one scenario for `drlsim check`: what produced it and its curves.
///
/// On disk (`Results/baselines/<scenario name>/`, see `Baseline+Folder.swift` and
/// Results/baselines/README.md): `baseline.yaml` (this metadata), `curves.csv` (the values) and
/// `tolerances.yaml` (kept across `--update`). `check` reruns the scenario file with the
/// recorded overrides, so a baseline made with `--set queue.customers=2000` is compared with a
/// run of the same size.
public struct Baseline: Sendable, Equatable {
    /// The format line's value.
    public static let format = "drlsim-baseline 1"
    /// The scenario name (the baseline folder's name).
    public var scenario: String
    /// The scenario file as given to `--update` (relative to the folder `check` runs in).
    public var file: String
    /// The drlsim version that made the baseline.
    public var version: String
    /// `Scenario.fingerprint` of the file text and overrides at `--update` time.
    public var fingerprint: String
    /// The base seed.
    public var seed: UInt64
    /// Sweep points.
    public var points: Int
    /// Replications per point.
    public var replications: Int
    /// The `--set` overrides (`key.path=value`, including `seed=` and `replications=` from
    /// `--seed`/`--replications`) that `check` applies when rerunning.
    public var overrides: [String]
    /// The curves.
    public var curves: CurveSet

    /// A baseline with every field given.
    public init(scenario: String, file: String, version: String, fingerprint: String, seed: UInt64, points: Int,
                replications: Int, overrides: [String], curves: CurveSet) {
        self.scenario = scenario
        self.file = file
        self.version = version
        self.fingerprint = fingerprint
        self.seed = seed
        self.points = points
        self.replications = replications
        self.overrides = overrides
        self.curves = curves
    }

    /// `baseline.yaml`: the metadata as YAML, strings double-quoted (deterministic bytes).
    public var metadataText: String {
        func q(_ s: String) -> String {
            "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var s = "# drlsim check baseline (Docs/check.md); regenerate with: drlsim check --update \(file)\n"
        s += "format: \(q(Self.format))\nscenario: \(q(scenario))\nfile: \(q(file))\ndrlsim: \(q(version))\n"
        s += "fingerprint: \(q(fingerprint))\nseed: \(seed)\npoints: \(points)\nreplications: \(replications)\n"
        s += "curves: \(curves.values.count)\n"
        s += "overrides: [\(overrides.map(q).joined(separator: ", "))]\n"
        return s
    }

    /// Parses `baseline.yaml` text (named `file` in messages) with the curves read separately.
    /// - Throws: `ExperimentError` naming the file and the key.
    public static func parse(metadata yaml: String, file path: String, curves: CurveSet) throws -> Baseline {
        let root: ConfigNode?
        do { root = try ConfigNode.parse(yaml: yaml, file: path) } catch let e as ScenarioError {
            throw ExperimentError(e.description)
        }
        guard let entries = root?.entries else { throw ExperimentError("\(path): not a drlsim baseline (expected a mapping)") }
        func value(_ k: String) throws -> ConfigNode {
            guard let v = entries.first(where: { $0.key == k })?.value else {
                throw ExperimentError("\(path): \(k): required key is missing")
            }
            return v
        }
        func text(_ k: String) throws -> String {
            let v = try value(k)
            guard let s = v.scalar else { throw ExperimentError("\(path):\(v.location.line): \(k): expected a string") }
            return s
        }
        func int(_ k: String) throws -> Int {
            let v = try value(k)
            guard let s = v.scalar, let i = Int(s), i >= 0 else { throw ExperimentError("\(path):\(v.location.line): \(k): expected a count") }
            return i
        }
        let format = try text("format")
        guard format == Self.format else {
            throw ExperimentError("\(path): format \"\(format)\" is not supported (this drlsim reads \"\(Self.format)\")")
        }
        let seedNode = try value("seed")
        guard let seed = seedNode.scalar.flatMap({ UInt64($0) }) else {
            throw ExperimentError("\(path):\(seedNode.location.line): seed: expected an unsigned integer")
        }
        let o = try value("overrides")
        var overrides: [String] = []
        if !o.isNull {
            guard let items = o.elements else { throw ExperimentError("\(path):\(o.location.line): overrides: expected a list of key.path=value") }
            for item in items {
                guard let s = item.scalar else { throw ExperimentError("\(path):\(item.location.line): overrides: expected key.path=value") }
                overrides.append(s)
            }
        }
        return Baseline(scenario: try text("scenario"), file: try text("file"), version: try text("drlsim"),
                        fingerprint: try text("fingerprint"), seed: seed, points: try int("points"),
                        replications: try int("replications"), overrides: overrides, curves: curves)
    }
}
