/// Text put into HTML (e-mail, the ack-link page) or XML (TwiML): `&`, `<`, `>` and both quotes
/// escaped, so the result is safe in element content and in quoted attribute values.
public enum MarkupEscaping {
    public static func html(_ text: String) -> String {
        escape(text, xml: false)
    }

    /// XML 1.0 also forbids most control characters outright: they become spaces.
    public static func xml(_ text: String) -> String {
        escape(text, xml: true)
    }

    private static func escape(_ text: String, xml: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += xml ? "&apos;" : "&#39;"
            default:
                if xml && forbiddenInXML(character) { out += " " } else { out.unicodeScalars.append(character) }
            }
        }
        return out
    }

    private static func forbiddenInXML(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{FFFE}", "\u{FFFF}": true
        default: false
        }
    }
}
