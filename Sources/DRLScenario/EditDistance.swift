import DRLSimCore
/// Levenshtein distance and "did you mean" suggestions for unknown keys and choices.
public enum EditDistance {
    /// The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions).
    ///
    /// - Complexity: O(|a| * |b|) time, O(|b|) space.
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.lowercased()), y = Array(b.lowercased())
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The candidate closest to `word`, when it is close enough to be a plausible typo:
    /// distance <= max(2, |word| / 3). Ties go to the earliest candidate (deterministic).
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates where c != word {
            let d = distance(word, c)
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best, d <= Swift.max(2, word.count / 3) else { return nil }
        return c
    }

    /// `" (did you mean 'x'?)"` or an empty string.
    public static func hint(for word: String, among candidates: [String]) -> String {
        suggestion(for: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
