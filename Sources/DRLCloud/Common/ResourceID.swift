/// The identity of an OpenStack resource (a Nova server, a Cinder volume, a Glance image, ...).
///
/// Identifiers are plain strings, as OpenStack UUIDs are; they order lexically so that every
/// collection keyed by them can be iterated deterministically.
public struct ResourceID: Hashable, Comparable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The identifier text.
    public var raw: String
    /// Wraps an identifier.
    public init(_ raw: String) { self.raw = raw }
    /// Wraps a literal identifier.
    public init(stringLiteral value: String) { self.raw = value }
    /// Lexical order of the identifiers.
    public static func < (a: ResourceID, b: ResourceID) -> Bool { a.raw < b.raw }
    /// A one-line human-readable form.
    public var description: String { raw }
}

/// Whether a protected resource is a VM or a volume (the `kind` column of `protection.csv`).
public enum ResourceKind: String, Sendable, Hashable, CaseIterable {
    /// A Nova server.
    case vm
    /// A Cinder volume.
    case volume
}
