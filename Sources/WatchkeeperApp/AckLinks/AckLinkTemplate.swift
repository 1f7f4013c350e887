import Foundation
import Gateways

/// The ack-link page's HTML template (`Public/ack.html`), read once at startup.
///
/// Two constructs only, so the template stays plain HTML a designer can edit: `{{name}}` is
/// replaced by a value, always HTML-escaped; `<!--name-->…<!--/name-->` is a section, kept or cut
/// whole. Unknown placeholders become empty text.
struct AckLinkTemplate: Sendable {
    let text: String

    /// Reads `ack.html` from `publicDirectory`; nil when it cannot be read.
    init?(publicDirectory: String) {
        let url = URL(fileURLWithPath: publicDirectory).appendingPathComponent("ack.html")
        guard let data = try? Data(contentsOf: url), let text = String(data: data, encoding: .utf8) else { return nil }
        self.text = text
    }

    init(text: String) { self.text = text }

    /// Used when the public directory has no `ack.html`: a link in a page must still work, so
    /// an unstyled but complete page beats an error.
    static let builtIn = AckLinkTemplate(text: """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow"><title>{{title}} · Watchkeeper</title></head><body>
        <!--message--><p role="status">{{message}}</p><!--/message-->
        <!--alert--><h1>{{summary}}</h1>
        <p>Service: {{service}}<br>Status: {{status}}<br>Created: {{created}}<br>Acknowledged by: {{acknowledgedBy}}<!--resolved--><br>Resolved by: {{resolvedBy}}<!--/resolved--></p>
        <!--actions--><!--acknowledge--><form method="post"><input type="hidden" name="action" value="acknowledge"><button>Acknowledge</button></form><!--/acknowledge-->
        <!--resolve--><form method="post"><input type="hidden" name="action" value="resolve"><button>Resolve</button></form><!--/resolve-->
        <!--escalate--><form method="post"><input type="hidden" name="action" value="escalate"><button>Escalate</button></form><!--/escalate-->
        <p>Buttons act as {{user}}.</p><!--/actions--><!--/alert-->
        </body></html>
        """)

    /// The page with `sections` kept (all others cut) and `values` filled in, escaped.
    func render(values: [String: String], sections: Set<String>) -> String {
        var html = text
        // Sections first, so placeholders inside a cut section are never evaluated.
        while let open = html.range(of: "<!--"), let close = html.range(of: "-->", range: open.upperBound..<html.endIndex) {
            let name = String(html[open.upperBound..<close.lowerBound])
            guard !name.hasPrefix("/"), let end = html.range(of: "<!--/\(name)-->", range: close.upperBound..<html.endIndex) else {
                // A plain comment or a stray closing marker: drop it.
                html.removeSubrange(open.lowerBound..<close.upperBound)
                continue
            }
            if sections.contains(name) {
                html.replaceSubrange(end, with: "")
                html.replaceSubrange(open.lowerBound..<close.upperBound, with: "")
            } else {
                html.removeSubrange(open.lowerBound..<end.upperBound)
            }
        }
        var out = ""
        out.reserveCapacity(html.utf8.count)
        var rest = html[...]
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            out += rest[rest.startIndex..<open.lowerBound]
            out += MarkupEscaping.html(values[String(rest[open.upperBound..<close.lowerBound])] ?? "")
            rest = rest[close.upperBound...]
        }
        out += rest
        return out
    }
}
