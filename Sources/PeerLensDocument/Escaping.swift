/// The one escaping function for HTML and SVG: every text node and every attribute value that the HTML
/// renderer and the SVG chart module write goes through `HTML.escape`, whether it came from the logs (ids,
/// space names, versions) or not.
public enum HTML {
    /// `text` safe as HTML/XML text or as a double- or single-quoted attribute value: `&`, `<`, `>`, `"` and
    /// `'` become character references, and characters XML forbids (C0 controls other than tab, newline and
    /// carriage return; U+FFFE, U+FFFF) become U+FFFD, so that the inline SVG stays well-formed XML.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}

/// Escaping for Markdown text: characters that would start markup (HTML tags, links, emphasis, code, table
/// cell breaks) are backslash-escaped, so that a log string renders as the text it is.
package enum MarkdownText {
    /// `text` safe in a Markdown paragraph or table cell; line breaks become spaces.
    package static func escape(_ text: String) -> String {
        var out = ""
        let characters = Array(text)
        for (i, ch) in characters.enumerated() {
            switch ch {
            case "\\", "`", "*", "<", ">", "|": out.append("\\"); out.append(ch)
            // A bracket pair only becomes a link when `](` follows (reference definitions are never written).
            case "]" where i + 1 < characters.count && characters[i + 1] == "(": out.append("\\"); out.append(ch)
            case "\n", "\r", "\t": out.append(" ")
            default:
                if let s = ch.unicodeScalars.first, ch.unicodeScalars.count == 1, s.value < 0x20 || s.value == 0x7F {
                    out += "\u{FFFD}"
                } else {
                    out.append(ch)
                }
            }
        }
        return out
    }
}

/// Preformatted text as the renderers write it: line endings normalised to `\n`, control characters other
/// than tab and newline (terminal escape sequences, for example) replaced by U+FFFD.
package enum CodeText {
    /// `text` with `\r\n` and `\r` as `\n` and other control characters replaced.
    package static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            if scalar == "\r" { out += "\n"; continue }
            if scalar == "\t" || scalar == "\n" { out.unicodeScalars.append(scalar); continue }
            if scalar.value < 0x20 || scalar.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
