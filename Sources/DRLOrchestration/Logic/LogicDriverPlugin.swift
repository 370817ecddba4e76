import DRLSimCore

/// A DR-Logic driver as a plug-in (paper §3: "plug-ins that can be easily implemented and
/// dynamically loaded"): its `type:` name, its declared parameters (the keys of
/// `protection.logic` besides `type`) and its factory. The schema drives the scenario's
/// decoding and validation of `protection.logic`, `drlsim describe` and the reference.
public struct LogicDriverPlugin: Sendable {
    /// Builds a driver from its resolved parameters (defaults filled in) and the run's context.
    public typealias Factory = @Sendable (ParameterValues, LogicDriverContext) -> any LogicDriver
    /// The `type:` name (`rpo-target`).
    public var name: String
    /// One line for `describe`.
    public var summary: String
    /// The driver's keys.
    public var schema: ParameterSchema
    /// True for a driver that sets WAN class rates (`shape`): the scenario then checks that
    /// `wan.qdisc` is an htb with one leaf per shaped class, from its `classes` parameter (when
    /// declared) or the qdisc's `class:` filters, and hands the classes to `make`.
    public var shapesTraffic: Bool
    /// Builds the driver.
    public var make: Factory

    /// A plug-in.
    public init(name: String, summary: String, schema: ParameterSchema = .empty, shapesTraffic: Bool = false,
                make: @escaping Factory) {
        self.name = name; self.summary = summary; self.schema = schema; self.shapesTraffic = shapesTraffic; self.make = make
    }
}

/// What a driver factory may use besides its parameters.
public struct LogicDriverContext: Sendable, Hashable {
    /// The traffic classes a shaping driver shapes, in order (empty for other drivers).
    public var shapedClasses: [String]
    /// A context.
    public init(shapedClasses: [String] = []) { self.shapedClasses = shapedClasses }
}

/// The scenario's choice of driver: its name and its parameters as decoded (`protection.logic`).
public struct LogicDriverChoice: Sendable, Hashable {
    /// The driver's registry name (`fixed` by default).
    public var type: String
    /// Its parameters (canonical keys; absent ones take the schema's defaults).
    public var parameters: ParameterValues
    /// A choice of `type` with `parameters`.
    public init(type: String = "fixed", parameters: ParameterValues = ParameterValues()) {
        self.type = type; self.parameters = parameters
    }
}
