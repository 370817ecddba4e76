import DRLSimCore

extension ConfigMapping {
    /// Reads the keys of `schema` from this mapping (aliases included; writing a key and its
    /// alias is an error), each as its declared kind with the scenario's unit readers and
    /// checked against its range; defaults are recorded for `describe` and filled in. Keys not
    /// in the schema are left for `finish()` to reject (unknown key, with file, line and path).
    ///
    /// Nested mappings, lists and custom values (`ParameterKind.mapping`, `.list`, `.custom`)
    /// are only declared here: the section reads them itself (nested ones again through their
    /// schema). A plug-in's keys share their mapping with `type`; a section's mapping is read
    /// with `values(of:)`, which makes the schema the mapping's whole key set.
    public func parameters(_ schema: ParameterSchema) throws -> ParameterValues {
        try read(schema, sectionWording: false)
    }

    /// `parameters(_:)`; with `sectionWording`, a bounded count is refused in the integer
    /// reader's words (`0 must be between 1 and 1000`), as the sections' errors always were.
    func read(_ schema: ParameterSchema, sectionWording: Bool) throws -> ParameterValues {
        var out: [String: ParameterValue] = [:]
        var written: Set<String> = []
        for spec in schema.parameters {
            guard spec.kind.isScalar else {
                for key in [spec.name] + spec.aliases where value(key) != nil { written.insert(spec.name) }
                if !written.contains(spec.name), case .custom = spec.kind {   // the section reads it; describe shows its default
                    if let text = spec.defaultValue?.readable ?? spec.absent { context.record(path.appending(spec.name), text, isDefault: true) }
                }
                continue
            }
            var found: (key: String, value: ConfigValue)?
            for key in [spec.name] + spec.aliases {
                guard let v = value(key) else { continue }
                if let f = found {
                    throw error(key, .invalidValue, "\(key) repeats \(f.key) (both set \(spec.name))")
                }
                found = (key, v)
            }
            guard let (key, v) = found else {
                if let d = spec.defaultValue {
                    out[spec.name] = d
                    context.record(path.appending(spec.name), d.readable, isDefault: true)
                } else if spec.isRequired {
                    throw missing(spec.name)
                } else if let text = spec.absent {
                    context.record(path.appending(spec.name), text, isDefault: true)
                }
                continue
            }
            let x: ParameterValue
            if sectionWording, spec.kind == .count, spec.message == nil, spec.source == nil, spec.minimum != nil || spec.maximum != nil {
                // Whole numbers keep the integer reader's wording ("0 must be between 1 and 16").
                let lo = Int((spec.minimum ?? 0) + (spec.minimumExcluded ? 1 : 0))
                let hi = spec.maximum.map { Int($0) - (spec.maximumExcluded ? 1 : 0) } ?? Int(Int32.max)
                x = .number(Double(try v.int(in: lo...hi)))
            } else if spec.kind == .count, spec.message != nil {
                x = .number(Double(try v.int()))   // any integer, refused below in the plug-in's words
            } else {
                x = try v.parameter(spec.kind)
            }
            if let why = spec.rangeViolation(x) { throw error(key, .invalidValue, why) }
            out[spec.name] = x
            written.insert(spec.name)
        }
        return ParameterValues(out, written: written)
    }
}

extension ConfigMapping {
    /// Declares `schema` as this mapping's keys without reading them, for mappings whose keys
    /// depend on another key (a fault's `type`): the decoder reads each key itself, and
    /// `finish()` refuses one it reads that the schema does not declare.
    public func declare(_ schema: ParameterSchema) { declare(schema.keys) }

    /// Reads this mapping through `schema` (`parameters(_:)`) and makes the schema its whole
    /// key set: from here on `finish()` refuses any key the decoder asks about that the schema
    /// does not declare, so a section's key is spelled in its schema or nowhere.
    public func values(of schema: ParameterSchema) throws -> ParameterValues {
        declare(schema)
        return try read(schema, sectionWording: true)
    }

    /// Reads the nested mapping `key`, a `.mapping` parameter of `schema`, through its declared
    /// keys (`values(of:)`; an absent mapping gives the defaults).
    public func values(of schema: ParameterSchema, in key: String) throws -> ParameterValues {
        guard let nested = schema.nested(key) else {
            preconditionFailure("\(path.appending(key)) is not a nested mapping of the schema")
        }
        return try mapping(key) { try $0.values(of: nested) }
    }
}

extension ConfigValue {
    /// This value read as a parameter of `kind`.
    public func parameter(_ kind: ParameterKind) throws -> ParameterValue {
        switch kind {
        case .rate:
            let r = try rate()
            guard r < 1e15 else { throw error(.invalidValue, "rate out of range") }
            return .rate(r)
        case .size: return .size(try size())
        case .duration: return .duration(try duration())
        case .count: return .number(Double(try int(in: 0...Int(Int32.max))))
        case .number: return .number(try double())
        case .probability:
            let p = try double()
            guard p >= 0, p <= 1 else { throw error(.invalidValue, "a probability must be in [0, 1]") }
            return .number(p)
        case .bool: return .bool(try bool())
        case .distribution(let of): return .distribution(try distribution(QuantityDimension(of)))
        case .interval(let of): return try interval(of)
        case .path: return .text(try filePath())
        case .variant(let variants): return try mapping { try $0.variant(variants) }
        case .text: return .text(try string())
        case .choice(let among): return .text(try choice(among: among))
        case .names: return .names(try list().map { try $0.string() })
        case .mapping, .list, .custom:
            throw error(.wrongType, "\(kind.expected) is read by its section's decoder")
        case .weights:
            var w: [String: Double] = [:]
            try mapping { m in
                for k in m.writtenKeys {
                    let x = try m.double(k)
                    try m.check(x >= 0 && x.isFinite, k, "weight must be non-negative")
                    w[k] = x
                }
            }
            return .weights(w)
        }
    }
}
