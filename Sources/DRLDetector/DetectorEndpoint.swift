/// A place a detector message can be sent to: a host of a site (indices into the deployment's sites).
public struct DetectorEndpoint: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Index of the site.
    public var site: Int
    /// Index of the host within the site.
    public var host: Int
    /// The host `host` of site `site`.
    public init(site: Int, host: Int) { self.site = site; self.host = host }
    /// Orders by site, then host.
    public static func < (a: Self, b: Self) -> Bool { (a.site, a.host) < (b.site, b.host) }
    /// `site/host`.
    public var description: String { "\(site)/\(host)" }
}
