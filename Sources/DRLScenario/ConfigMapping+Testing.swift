import DRLSimCore
extension ConfigMapping {
    /// Decodes `yaml` (a mapping) as if it were the value of `key` in a scenario, with
    /// unknown-key checking: for unit tests of section decoders.
    ///
    /// ```swift
    /// let wan = try ConfigMapping.read(yaml: "rate: 500mbit\ndelay: 2.5ms", at: "wan") { try WANSection.decode($0) }
    /// ```
    /// Lines in errors are lines of `yaml`; the header is a default one (`duration` from `header`).
    public static func read<T>(yaml: String, at key: String, file: String = "test.yaml",
                               header: ScenarioHeader = ScenarioHeader(name: "test"), plugins: Plugins = .standard,
                               _ body: (ConfigMapping) throws -> T) throws -> T {
        let ctx = DecodingContext(file: file, header: header, plugins: plugins)
        let path = ConfigPath.root.appending(key)
        guard let node = try ConfigNode.parse(yaml: yaml, file: file) else {
            let m = ConfigMapping(entries: [], path: path, location: SourceLocation(file: file, line: 1), isPresent: false, context: ctx)
            let r = try body(m)
            try m.finish()
            return r
        }
        return try ConfigValue(node: node, path: path, context: ctx).mapping(body)
    }
}
