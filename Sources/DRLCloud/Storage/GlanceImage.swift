/// A Glance image: the base image a VM boots from.
///
/// The DR engine's image copy stores it once per tenant in a global container, keyed by the
/// image checksum (orbit-software.md section 3, "Image Copy"). The paper's VM image was below
/// 200 MB (section 7.1); the scenario sketch uses 190 MB.
public struct GlanceImage: Hashable, Sendable, Codable {
    /// Image name.
    public var name: String
    /// Size in bytes.
    public var size: Int64
    /// Checksum identifying the content (the global container's object key).
    public var checksum: String

    /// An image; the checksum defaults to `"<name>-<size>"`.
    public init(name: String, size: Int64, checksum: String? = nil) {
        self.name = name
        self.size = size
        self.checksum = checksum ?? "\(name)-\(size)"
    }
}
