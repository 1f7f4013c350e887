import Foundation
import OutboundHTTP
import Testing

@Suite struct SMTPMessageTests {
    static func message(subject: String = "Sev 1", text: String = "hello", name: String? = "Watchkeeper") -> SMTPMessage {
        SMTPMessage(from: SMTPMailbox(displayName: name, address: "pager@example.com"), to: [SMTPMailbox(address: "ana@example.org")],
                    subject: subject, date: Date(timeIntervalSince1970: 0), messageId: "msg_1@example.com", text: text, html: "<p>hello</p>")
    }

    static func lines(_ bytes: [UInt8]) -> [String] { String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n") }

    @Test func headersAndStructure() {
        let rendered = Self.message().rendered(boundary: "=_b")
        let lines = Self.lines(rendered)
        #expect(Array(lines.prefix(5)) == ["From: Watchkeeper <pager@example.com>", "To: <ana@example.org>", "Subject: Sev 1",
                                           "Date: Thu, 01 Jan 1970 00:00:00 +0000", "Message-ID: <msg_1@example.com>"])
        #expect(lines.contains("Content-Type: multipart/alternative;") && lines.contains(" boundary=\"=_b\""))
        #expect(lines.filter { $0 == "--=_b" }.count == 2)
        #expect(lines.contains("--=_b--"))
        // No bare LF anywhere.
        #expect(!String(decoding: rendered, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func lineBreaksInHeaderValuesCannotInjectHeaders() {
        let lines = Self.lines(Self.message(subject: "Sev 1\r\nBcc: eve@example.net", name: "A\nB").rendered())
        #expect(!lines.contains { $0.hasPrefix("Bcc:") })
        #expect(lines.contains("Subject: Sev 1  Bcc: eve@example.net"))
    }

    @Test func nonASCIISubjectsBecomeShortEncodedWords() throws {
        let subject = String(repeating: "på ✓ ", count: 30)
        let lines = Self.lines(Self.message(subject: subject).rendered())
        let start = try #require(lines.firstIndex { $0.hasPrefix("Subject: ") })
        var words: [String] = [String(lines[start].dropFirst("Subject: ".count))]
        var index = start + 1
        while lines[index].hasPrefix(" ") { words.append(String(lines[index].dropFirst())); index += 1 }
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let payload = word.dropFirst(10).dropLast(2)
            // Each word holds whole characters, so it decodes on its own.
            let bytes = try #require(Data(base64Encoded: String(payload)))
            #expect(String(data: bytes, encoding: .utf8) != nil)
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject.trimmingCharacters(in: .whitespaces))
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
    }

    @Test func quotedPrintableKeepsLinesShortAndEncodesWhatItMust() {
        let text = "a=b " + String(repeating: "é", count: 50) + " \n" + String(repeating: "x", count: 200) + "\tend\t"
        let rendered = Self.message(text: text).rendered(boundary: "=_b")
        let lines = Self.lines(rendered)
        #expect(lines.allSatisfy { $0.utf8.count <= 76 || $0.hasPrefix("Content-Type") })
        let body = String(decoding: rendered, as: UTF8.self)
        #expect(body.contains("a=3Db =C3=A9"))
        // Trailing white space is encoded, so no relay can strip it.
        #expect(body.contains("=C3=A9=20\r\n"))
        #expect(body.contains("end=09\r\n"))
        #expect(Self.decodeQuotedPrintable(body.components(separatedBy: "quoted-printable\r\n\r\n")[1].components(separatedBy: "\r\n--=_b")[0]) == text)
    }

    @Test func mailboxesParse() {
        #expect(SMTPMailbox(parsing: "Watchkeeper <pager@example.com>") == SMTPMailbox(displayName: "Watchkeeper", address: "pager@example.com"))
        #expect(SMTPMailbox(parsing: "\"Pager, SOC\" <p@example.com>") == SMTPMailbox(displayName: "Pager, SOC", address: "p@example.com"))
        #expect(SMTPMailbox(parsing: "p@example.com") == SMTPMailbox(address: "p@example.com"))
        #expect(SMTPMailbox(parsing: "p@example.com")?.domain == "example.com")
        for bad in ["Pager", "a@b@c", "<a@b", "a b@c.d", "a@b.c>\r\nRCPT TO:<e@f.g", "@b.c"] {
            #expect(SMTPMailbox(parsing: bad) == nil, "\(bad)")
        }
        let quoted = Self.lines(Self.message(name: "Pager, \"SOC\"").rendered())
        #expect(quoted.first == "From: \"Pager, \\\"SOC\\\"\" <pager@example.com>")
    }

    /// An independent decoder for the test (RFC 2045 §6.7).
    static func decodeQuotedPrintable(_ encoded: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(encoded.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "\r\n", with: "\n").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count + 0, let value = UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
