/// Helpers shared by DRLSim's test targets.
public enum Approx {
    /// True when `a` and `b` differ by at most `relative` of `b`'s magnitude.
    public static func equal(_ a: Double, _ b: Double, relative: Double) -> Bool {
        abs(a - b) <= relative * abs(b)
    }
}
