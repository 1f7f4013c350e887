import Foundation

/// Renders an RFC 5322 message with a multipart/alternative body (text/plain and text/html, both
/// UTF-8 quoted-printable). Lines end in CRLF and never exceed 78 characters, header values are
/// stripped of line breaks (no header injection from alert text) and non-ASCII or long subjects
/// and names become RFC 2047 encoded-words. Dot-stuffing is left to libcurl's SMTP DATA phase.
public struct SMTPMessage: Sendable {
    public var from: SMTPMailbox
    public var to: [SMTPMailbox]
    public var subject: String
    public var date: Date
    /// Without angle brackets, e.g. `msg_01J…@example.com`.
    public var messageId: String
    public var text: String
    public var html: String
    /// Extra headers, e.g. `Auto-Submitted`; values are sanitised like the others.
    public var extraHeaders: [(name: String, value: String)]

    public init(from: SMTPMailbox, to: [SMTPMailbox], subject: String, date: Date, messageId: String, text: String, html: String,
                extraHeaders: [(name: String, value: String)] = []) {
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageId = messageId
        self.text = text
        self.html = html
        self.extraHeaders = extraHeaders
    }

    /// The whole message; `boundary` is random unless given (tests).
    public func rendered(boundary: String = SMTPMessage.randomBoundary()) -> [UInt8] {
        var lines: [String] = []
        lines.append(Self.fold("From: " + Self.mailbox(from)))
        lines.append(Self.fold("To: " + to.map(Self.mailbox).joined(separator: ", ")))
        lines.append(Self.fold("Subject: " + Self.headerText(subject, prefixLength: "Subject: ".count)))
        lines.append("Date: " + Self.rfc5322Date(date))
        lines.append("Message-ID: <\(messageId)>")
        for header in extraHeaders {
            lines.append(Self.fold("\(header.name): " + Self.headerText(header.value, prefixLength: header.name.count + 2)))
        }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: multipart/alternative;\r\n boundary=\"\(boundary)\"")
        lines.append("")
        lines.append("This is a multi-part message in MIME format.")
        for (type, body) in [("text/plain", text), ("text/html", html)] {
            lines.append("--" + boundary)
            lines.append("Content-Type: \(type); charset=utf-8")
            lines.append("Content-Transfer-Encoding: quoted-printable")
            lines.append("")
            lines.append(Self.quotedPrintable(body))
        }
        lines.append("--" + boundary + "--")
        lines.append("")
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// `=_` cannot occur in quoted-printable output (`=` is always followed by hex or a line
    /// break), so this boundary never collides with a body.
    public static func randomBoundary() -> String {
        "=_wk_" + String(UInt64.random(in: .min ... .max), radix: 16) + String(UInt64.random(in: .min ... .max), radix: 16)
    }

    // MARK: Headers

    static func mailbox(_ mailbox: SMTPMailbox) -> String {
        guard let name = mailbox.displayName.map(singleLine), !name.isEmpty else { return "<\(mailbox.address)>" }
        if !name.allSatisfy(\.isASCII) || name.count > 60 { return encodedWords(name, firstLineRoom: 60) + " <\(mailbox.address)>" }
        if name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == " " || "!#$%&'*+-/=?^_`{|}~".contains($0) }) {
            return "\(name) <\(mailbox.address)>"
        }
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" <\(mailbox.address)>"
    }

    /// Plain when short ASCII, else encoded-words (which also fold cleanly).
    static func headerText(_ raw: String, prefixLength: Int) -> String {
        let value = singleLine(raw)
        if value.allSatisfy(\.isASCII), prefixLength + value.utf8.count <= 78, !value.contains("=?") { return value }
        return encodedWords(value, firstLineRoom: 75 - prefixLength)
    }

    /// Line breaks and other controls become spaces: alert text must not start a new header.
    static func singleLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
            .trimmingCharacters(in: .whitespaces)
    }

    /// RFC 2047 B-encoded words of at most 75 characters, split between characters (never inside
    /// a UTF-8 sequence), separated by CRLF SP so each header line stays short.
    static func encodedWords(_ text: String, firstLineRoom: Int) -> String {
        let overhead = "=?UTF-8?B??=".count
        var words: [String] = []
        var chunk: [UInt8] = []
        var room = max(20, firstLineRoom)
        func encodedLength(_ count: Int) -> Int { (count + 2) / 3 * 4 + overhead }
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && encodedLength(chunk.count + bytes.count) > room {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
                room = 75
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Headers built here are already short or made of encoded-words; this only keeps a long
    /// address list under the limit by breaking after commas.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 78, !line.contains("\r\n") else { return line }
        let parts = line.components(separatedBy: ", ")
        return parts.joined(separator: ",\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }

    // MARK: Bodies

    /// RFC 2045 §6.7 quoted-printable of UTF-8 text: any line ending becomes CRLF, lines are
    /// soft-broken before 76 characters, trailing white space is encoded.
    static func quotedPrintable(_ text: String) -> String {
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var out: [String] = []
        for line in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let bytes = Array(line.utf8)
            var current = ""
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
                let token = literal ? String(UnicodeScalar(byte)) : "=" + hexByte(byte)
                // Keep room for the soft break's "=" (76 characters in all).
                if current.utf8.count + token.utf8.count > 75 {
                    out.append(current + "=")
                    current = ""
                }
                current += token
            }
            out.append(current)
        }
        return out.joined(separator: "\r\n")
    }

    private static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
