import Foundation

extension Baseline {
    /// The metadata file's name.
    public static let metadataFile = "baseline.yaml"
    /// The curves file's name.
    public static let curvesFile = "curves.csv"
    /// The tolerances file's name.
    public static let tolerancesFile = "tolerances.yaml"

    /// The first line of every `baseline.yaml` drlsim writes (how a baseline folder is recognised).
    public static let metadataFirstLine = "# drlsim check baseline"

    /// What a baseline folder looks like to `AtomicFolder`: a `baseline.yaml` that drlsim wrote.
    /// Other files a user keeps there (notes) are copied into the new baseline, never deleted.
    static let folderKind = AtomicFolder.Kind(what: "baseline") { url, names in
        guard names.contains(metadataFile),
              let text = try? ResultSet.boundedText(url.appendingPathComponent(metadataFile).path, max: 1 << 20),
              text.hasPrefix(metadataFirstLine) else {
            return "holds no baseline.yaml written by drlsim (first line '\(metadataFirstLine)')"
        }
        return nil
    }

    /// Whether `folder` holds a baseline (`baseline.yaml`).
    public static func exists(at folder: String) -> Bool {
        FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(metadataFile))
    }

    /// Reads the baseline and its tolerances from `folder`.
    /// - Throws: `ExperimentError` naming the file when one is missing or malformed.
    public static func read(from folder: String) throws -> (baseline: Baseline, tolerances: ToleranceTable) {
        func load(_ name: String) throws -> String {
            let p = (folder as NSString).appendingPathComponent(name)
            do { return try ResultSet.boundedText(p, max: 256 << 20) } catch { throw ExperimentError("\(p): \(error)") }
        }
        let curvesPath = (folder as NSString).appendingPathComponent(curvesFile)
        guard let curves = CurveSet(csv: try load(curvesFile)) else { throw ExperimentError("\(curvesPath): malformed curves CSV") }
        let metaPath = (folder as NSString).appendingPathComponent(metadataFile)
        let baseline = try parse(metadata: try load(metadataFile), file: metaPath, curves: curves)
        let tolPath = (folder as NSString).appendingPathComponent(tolerancesFile)
        let tolerances = try ToleranceTable.parse(yaml: try load(tolerancesFile), file: tolPath)
        return (baseline, tolerances)
    }

    /// Writes the baseline to `folder` through a temporary sibling folder renamed into place,
    /// so the folder holds the old baseline or the new one, never a mixture. An existing
    /// `tolerances.yaml` is kept (tolerances are reviewed by hand); otherwise `tolerancesText`
    /// is written.
    public func write(to folder: String, tolerancesText: String = ToleranceTable.template()) throws {
        let fm = FileManager.default
        try AtomicFolder.replace(folder, kind: Self.folderKind) { tmp, dest in
            let existingTolerances = try? String(contentsOf: dest.appendingPathComponent(Self.tolerancesFile), encoding: .utf8)
            try Data(curves.csv.utf8).write(to: tmp.appendingPathComponent(Self.curvesFile))
            try Data((existingTolerances ?? tolerancesText).utf8).write(to: tmp.appendingPathComponent(Self.tolerancesFile))
            // Other files a user keeps in the folder (notes) survive an update.
            if let names = try? fm.contentsOfDirectory(atPath: dest.path) {
                for n in names.sorted() where ![Self.metadataFile, Self.curvesFile, Self.tolerancesFile].contains(n) {
                    try fm.copyItem(at: dest.appendingPathComponent(n), to: tmp.appendingPathComponent(n))
                }
            }
            try Data(metadataText.utf8).write(to: tmp.appendingPathComponent(Self.metadataFile))   // the marker, last
        }
    }
}
