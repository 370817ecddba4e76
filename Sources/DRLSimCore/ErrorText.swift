/// Makes text from an input safe to print in a one-line error message.
///
/// Error lines echo what the user wrote (values, keys, file names). Input may hold newlines,
/// escape sequences, NUL bytes, bidirectional overrides or megabytes on one line; printed as they
/// are, they would break the one-line contract or rewrite the user's terminal. So control and
/// format characters are shown as `\u{..}` escapes and a long value is cut to a prefix that says
/// how long it was.
public enum ErrorText {
    /// `text` with control and invisible format characters escaped, cut to `limit` characters.
    public static func value(_ text: String, limit: Int = 120) -> String {
        var out = ""
        var count = 0
        var total = 0
        for ch in text {
            total += 1
            guard count < limit else { continue }
            let piece = escaped(ch)
            out += piece
            count += piece.count
        }
        if total > limit || count > limit {
            return out.prefix(limit) + "... (\(total) characters)"
        }
        return out
    }

    /// A whole error line: control characters escaped, newlines as spaces, and every run of
    /// characters without a space longer than 160 cut; at most 1,000 characters.
    public static func line(_ text: String) -> String {
        var out = ""
        var run = 0
        var skipped = 0
        for ch in text {
            if ch.isNewline { flush(&out, &skipped); out += " "; run = 0; continue }
            if ch == " " { flush(&out, &skipped); out += " "; run = 0; continue }
            run += 1
            if run > 160 { skipped += 1; continue }
            out += escaped(ch)
        }
        flush(&out, &skipped)
        if out.count > 1000 { return String(out.prefix(990)) + "... (cut)" }
        return out
    }

    private static func flush(_ out: inout String, _ skipped: inout Int) {
        if skipped > 0 { out += "... (\(skipped) more characters)"; skipped = 0 }
    }

    /// One character, escaped when it is a control or format character.
    static func escaped(_ ch: Character) -> String {
        var s = ""
        for u in ch.unicodeScalars {
            switch u.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned:
                if u == "\t" { s += "\\t" } else { s += "\\u{\(String(u.value, radix: 16))}" }
            default:
                s.unicodeScalars.append(u)
            }
        }
        return s
    }
}
