extension HeatTemplate {
    /// Checks that every reference resolves: `get_param` to a declared parameter, `get_resource`
    /// and `depends_on` to a resource of the template, resource names unique.
    ///
    /// - Returns: the first problem found, in template order, or nil.
    public func unresolvedReference() -> TemplateError? {
        var names = Set<String>()
        for r in resources {
            if !names.insert(r.name).inserted { return .duplicateResource(r.name) }
        }
        let params = Set(parameters.map(\.name))
        for r in resources {
            for p in r.properties.flatMap(\.value.parameterReferences) where !params.contains(p) {
                return .unknownParameter(resource: r.name, parameter: p)
            }
            for t in r.properties.flatMap(\.value.resourceReferences) + r.dependsOn where !names.contains(t) {
                return .unknownResource(resource: r.name, target: t)
            }
        }
        return nil
    }

    /// The template with the primary's IDs replaced by the backup's (the DR-Engine's
    /// pre-processing before Heat, paper §4.2).
    ///
    /// - Throws: `TemplateError` when a reference does not resolve or an ID has no counterpart.
    public func remapped(with map: IDMapping) throws(TemplateError) -> HeatTemplate {
        if let e = unresolvedReference() { throw e }
        var out = self
        for i in out.parameters.indices {
            let p = out.parameters[i]
            switch p.role {
            case .plain: continue
            case .image:
                guard let v = map.images[p.defaultValue] else { throw .unmappedID(parameter: p.name, role: .image, primaryID: p.defaultValue) }
                out.parameters[i].defaultValue = v
            case .volume:
                guard let v = map.volumes[p.defaultValue] else { throw .unmappedID(parameter: p.name, role: .volume, primaryID: p.defaultValue) }
                out.parameters[i].defaultValue = v
            case .floatingIP:
                let address = p.address ?? ""
                guard let v = map.floatingIPsByAddress[address] else { throw .floatingIPNotFound(parameter: p.name, address: address) }
                out.parameters[i].defaultValue = v
            case .externalNetwork:
                guard let v = map.externalNetwork else { throw .unmappedID(parameter: p.name, role: .externalNetwork, primaryID: p.defaultValue) }
                out.parameters[i].defaultValue = v
            }
        }
        return out
    }
}
