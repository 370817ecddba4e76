import Foundation

/// A result file written in pieces, its bytes counted and FNV-1a hashed as they are written, so
/// that its manifest check needs no second read (the streaming writer, the streaming merge).
final class ChecksummedFile {
    /// The file.
    let url: URL
    private let handle: FileHandle
    private var fnv = StreamingFNV()

    /// Creates (truncates) the file at `url`.
    init(_ url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw ExperimentError("\(url.path): cannot create")
        }
        self.url = url
        handle = try FileHandle(forWritingTo: url)
    }

    deinit { try? handle.close() }

    /// Appends `data`.
    func write(_ data: Data) throws {
        try handle.write(contentsOf: data)
        fnv.add(data)
    }

    /// The manifest's check of the file written so far with `rows` data rows (rows only when
    /// not `withDigest`, as for timing.csv).
    func check(rows: Int, withDigest: Bool = true) -> Manifest.FileCheck {
        Manifest.FileCheck(name: url.lastPathComponent, rows: rows, bytes: withDigest ? fnv.bytes : nil,
                           fnv: withDigest ? fnv.hex : nil)
    }
}
