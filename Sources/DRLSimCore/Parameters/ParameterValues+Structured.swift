/// Typed getters for the structured kinds (`distribution`, `interval`, `path`, `variant`).
extension ParameterValues {
    /// A distribution in the base unit.
    public func distribution(_ key: String) -> Distribution? { if case .distribution(let d)? = values[key] { return d }; return nil }
    /// A `[low, high]` pair of sizes in bytes.
    public func sizeInterval(_ key: String) -> (low: Int64, high: Int64)? {
        if case .interval(.size(let a), .size(let b))? = values[key] { return (a, b) }; return nil
    }
    /// A file path (resolved against the scenario file's folder when decoded from a scenario).
    public func path(_ key: String) -> String? { text(key) }
    /// The `type:` and the resolved keys of a nested variant mapping.
    public func typed(_ key: String) -> (type: String, values: ParameterValues)? {
        if case .typed(let t, let v)? = values[key] { return (t, v) }; return nil
    }
}
