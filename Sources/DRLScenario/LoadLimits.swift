import DRLSimCore
/// Bounds on what loading one input may cost, checked before anything is allocated for it.
///
/// Yams' composer and `ConfigNode`'s conversion are recursive, and YAML aliases are expanded
/// when the tree is converted; an alias bomb (nine levels of nine aliases) or a few thousand
/// levels of nesting would otherwise exhaust memory or the stack. So the text is measured first
/// (`YAMLPrescan`: size and nesting depth, without recursion), and conversion counts the nodes it
/// produces after alias expansion. Runs (sweep points x replications) are bounded with
/// overflow-checked arithmetic before any point is decoded.
///
/// The defaults are far above any real study (the paper's scenarios are below 200 lines, depth
/// 6, 300 nodes, 180 runs); `drlsim run --max-runs N` raises the run bound for a large study.
public struct LoadLimits: Sendable, Equatable {
    /// Largest scenario or baseline file, in bytes.
    public var maxBytes: Int = 8 << 20
    /// Deepest nesting of mappings and sequences (block and flow together).
    public var maxDepth: Int = 64
    /// Most nodes a document may expand to (aliases counted at every use).
    public var maxNodes: Int = 1_000_000
    /// Most sweep points (each point is decoded and kept in memory).
    public var maxPoints: Int = 10_000
    /// Most runs (points x replications).
    public var maxRuns: Int = 1_000_000

    /// The defaults.
    public init() {}
}
