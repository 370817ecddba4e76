import DRLSimCore
/// Reading a model's string enums that are not `CaseIterable` (DRLCloud's `DRBDProtocol`, ...).
extension ConfigMapping {
    /// One of `cases` (by raw value), with typo suggestions; `default` when absent.
    public func choice<T: RawRepresentable>(_ key: String, of cases: [T], default def: T? = nil) throws -> T where T.RawValue == String {
        let s = try choice(key, among: cases.map(\.rawValue), default: def?.rawValue)
        return T(rawValue: s)!
    }
}
