/// Two descriptions are equal when every field is, the write workload compared as a value of
/// its kind (`WriteWorkload` is `Hashable`: same kind, same parameters), so scenario decoding,
/// sweeps and `count:` copies can be checked against a hand-written description.
extension VMDescription: Hashable {
    public static func == (a: VMDescription, b: VMDescription) -> Bool {
        a.id == b.id && a.name == b.name && a.image == b.image && a.imageBytes == b.imageBytes
            && a.imageChecksum == b.imageChecksum && a.snapshotBytes == b.snapshotBytes && a.flavor == b.flavor
            && a.keyName == b.keyName && a.securityGroups == b.securityGroups && a.ports == b.ports
            && a.floatingIP == b.floatingIP && a.state == b.state && a.host == b.host && a.ephemeralSize == b.ephemeralSize
            && a.volume == b.volume && a.queueDepth == b.queueDepth && a.writesKey == b.writesKey
    }

    public func hash(into h: inout Hasher) {
        h.combine(id); h.combine(name); h.combine(image); h.combine(imageBytes); h.combine(imageChecksum)
        h.combine(snapshotBytes); h.combine(flavor); h.combine(keyName); h.combine(securityGroups); h.combine(ports)
        h.combine(floatingIP); h.combine(state); h.combine(host); h.combine(ephemeralSize); h.combine(volume)
        h.combine(queueDepth); h.combine(writesKey)
    }

    /// The write workload as a hashable value (its kind's own `==`: a different kind is unequal).
    private var writesKey: AnyHashable? { writes.map { AnyHashable($0) } }
}
