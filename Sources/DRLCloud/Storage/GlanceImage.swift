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
    /// Bytes of data once flattened (`qemu-img convert` to an uncompressed qcow2, as a Nova
    /// snapshot writes it): larger than `size` for a compressed qcow2 cloud image. Default: `size`
    /// (the paper does not say how its image was stored).
    public var dataSize: Int64

    /// An image; the checksum defaults to `"<name>-<size>"`, the flattened data to `size`.
    public init(name: String, size: Int64, checksum: String? = nil, dataSize: Int64? = nil) {
        self.name = name
        self.size = size
        self.checksum = checksum ?? "\(name)-\(size)"
        self.dataSize = dataSize ?? size
    }
}
