/// A result set on disk, verified but not loaded: its manifest and its tables as files read a
/// row at a time (`CSVFileTable`). `drlsim check --results` computes the curves from it without
/// holding the set (memory: the curves' samples).
public struct ResultFolder {
    /// The folder.
    public let path: String
    /// Its manifest.
    public let manifest: Manifest
    /// Its tables by name.
    public let tables: [String: CSVFileTable]

    /// Opens `path`, verified like `ResultSet.read(from:)` (manifest, every file's rows, size and
    /// checksum, every line parsed, runs in range; the same refusals) in one streaming pass per file.
    public static func open(_ path: String) throws -> ResultFolder {
        let s = try ResultMerger.verify(path)
        return ResultFolder(path: path, manifest: s.manifest, tables: s.tables)
    }

    /// The tables as row sources.
    public var lookup: TableLookup { { name in self.tables[name] } }
}
