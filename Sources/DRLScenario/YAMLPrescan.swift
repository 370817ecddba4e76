import DRLSimCore
/// A single, non-recursive pass over YAML text that bounds its nesting depth before a recursive
/// parser sees it.
///
/// Yams (libyaml's composer driven by Swift recursion) overflows the stack at about 3,000 levels;
/// the pass here needs constant stack. It follows YAML 1.2's structure closely enough to give an
/// upper bound of the depth, never an underestimate:
/// - block collections: a stack of indentation columns (a line deeper than the top pushes, a
///   shallower one pops), plus one level for every compact `- ` or `? ` indicator on a line
///   (`- - - x` is three nested sequences, YAML 1.2 §8.2.1);
/// - flow collections: `[` and `{` that open at a value position, and every bracket inside flow
///   context, outside quoted scalars and comments (§7.4);
/// - block scalars (`|`, `>`) and their more-indented lines are skipped (§8.1).
enum YAMLPrescan {
    /// Why `text` exceeds `limits` (bytes or depth), with its 1-based line, or nil.
    static func problem(in text: String, limits: LoadLimits) -> (line: Int, message: String)? {
        let bytes = text.utf8.count
        if bytes > limits.maxBytes {
            return (0, "file of \(bytes) bytes exceeds the limit of \(limits.maxBytes) bytes")
        }
        var blockStack: [Int] = []
        var flowDepth = 0
        var inQuote: UInt8? = nil
        var blockScalarIndent: Int? = nil   // lines indented more than this belong to a block scalar
        var lineNumber = 0
        var maxSeen = 0
        for rawLine in text.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = Array(rawLine)
            var i = 0
            while i < line.count, line[i] == 32 { i += 1 }
            let indent = i
            let blank = i >= line.count || line[i] == 35 || line[i] == 13   // empty or comment
            if let bsi = blockScalarIndent {
                if blank || indent > bsi { continue }
                blockScalarIndent = nil
            }
            if blank && inQuote == nil { continue }
            var depthHere = 0
            if flowDepth == 0 && inQuote == nil {
                while let top = blockStack.last, top >= indent { blockStack.removeLast() }
                blockStack.append(indent)
                // Compact nested block sequences / complex keys on one line.
                while i + 1 < line.count, (line[i] == 45 || line[i] == 63), line[i + 1] == 32 {
                    depthHere += 1
                    i += 2
                    while i < line.count, line[i] == 32 { i += 1 }
                }
            }
            var valueStart = true         // at a position where a node may start
            var lastNonSpace: UInt8 = 32
            var j = i
            while j < line.count {
                let c = line[j]
                if let q = inQuote {
                    if q == 34, c == 92 { j += 2; continue }            // \" escape in "..."
                    if c == q {
                        if q == 39, j + 1 < line.count, line[j + 1] == 39 { j += 2; continue } // '' in '...'
                        inQuote = nil
                        valueStart = false
                    }
                    j += 1
                    continue
                }
                if c == 35 && (lastNonSpace == 32 || j == 0) {       // a comment: rest of the line
                    break
                } else if (c == 34 || c == 39) && valueStart {        // a quoted scalar starts
                    inQuote = c
                } else if (c == 91 || c == 123) && (valueStart || flowDepth > 0) {   // [ {
                    flowDepth += 1
                    maxSeen = max(maxSeen, blockStack.count + depthHere + flowDepth)
                    if maxSeen > limits.maxDepth { return (lineNumber, depthMessage(limits)) }
                    valueStart = true
                } else if (c == 93 || c == 125) && flowDepth > 0 {    // ] }
                    flowDepth -= 1
                    valueStart = false
                } else if c == 44 && flowDepth > 0 {                  // ,
                    valueStart = true
                } else if c == 58 {                                   // : then space, end, or in flow
                    if j + 1 >= line.count || line[j + 1] == 32 || flowDepth > 0 { valueStart = true }
                } else if c == 32 {
                    // spaces keep the position's kind
                } else if (c == 124 || c == 62) && valueStart && flowDepth == 0 {   // | > : block scalar
                    blockScalarIndent = indent
                    break
                } else if c == 45 && valueStart && flowDepth == 0 && j + 1 < line.count && line[j + 1] == 32 {
                    depthHere += 1                                    // a nested "- " after a key
                } else {
                    valueStart = false
                }
                if c != 32 { lastNonSpace = c } else { lastNonSpace = 32 }
                j += 1
            }
            maxSeen = max(maxSeen, blockStack.count + depthHere + flowDepth)
            if maxSeen > limits.maxDepth { return (lineNumber, depthMessage(limits)) }
        }
        return nil
    }

    private static func depthMessage(_ limits: LoadLimits) -> String {
        "nesting deeper than \(limits.maxDepth) levels (the input limit); refusing to parse"
    }
}
