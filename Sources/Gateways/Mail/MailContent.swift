import Foundation

/// The two bodies of a page by e-mail: the text as the outbox rendered it, and the same text as
/// HTML (escaped, links clickable) with one button per ack link. Both carry every ack link.
struct MailContent: Sendable, Equatable {
    var text: String
    var html: String

    init(subject: String, text: String, ackLinks: [String]) {
        var plain = text
        let missing = ackLinks.filter { !text.contains($0) }
        if !missing.isEmpty {
            plain += "\n\n" + missing.map { "Acknowledge: \($0)" }.joined(separator: "\n")
        }
        self.text = plain

        var html = """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(Self.escape(subject))</title></head>
            <body style="font-family: sans-serif">

            """
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // An empty div would collapse; a blank line of the text stays a blank line.
            html += "<div>" + (line.isEmpty ? "&nbsp;" : Self.linked(String(line))) + "</div>\n"
        }
        for (index, link) in ackLinks.enumerated() {
            let label = ackLinks.count == 1 ? "Acknowledge" : "Acknowledge alert \(index + 1)"
            html += "<p><a href=\"\(Self.escape(link))\" style=\"display: inline-block; padding: 8px 16px; background: #b00020; color: #ffffff; text-decoration: none; border-radius: 4px\">\(label)</a></p>\n"
        }
        html += "</body></html>\n"
        self.html = html
    }

    /// `&`, `<`, `>` and both quotes: the result is safe in element text and quoted attributes.
    static func escape(_ text: String) -> String { MarkupEscaping.html(text) }

    /// Escapes a line and makes its http(s) URLs links (the ack link, runbook links).
    static func linked(_ line: String) -> String {
        var out = ""
        for (index, word) in line.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if index > 0 { out += " " }
            let text = String(word)
            if text.hasPrefix("https://") || text.hasPrefix("http://") {
                out += "<a href=\"\(escape(text))\">\(escape(text))</a>"
            } else {
                out += escape(text)
            }
        }
        return out
    }
}
