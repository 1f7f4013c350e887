import Foundation
import Gateways
import HTTPServer
import Logging
import OutboundHTTP
import Testing

/// SMTPGateway against a real SMTP server (aiosmtpd, Tests/python/smtp_sink.py) whose own
/// parser (Python's email package) reports what arrived.
@Suite(.serialized) struct MailGatewayTests {
    static let sentAt = Date(timeIntervalSince1970: 1_795_000_000)

    static func gateway(_ settings: [String: Any], caBundle: String? = nil) throws -> SMTPGateway {
        var object = settings
        object["name"] = "mail"
        object["kind"] = "smtp"
        let context = GatewayContext(publicURL: "https://pager.example.eu/", http: HTTPClient(caBundlePath: caBundle),
                                     logger: Logger(label: "mail-test") { _ in SwiftLogNoOpLogHandler() }, now: { sentAt })
        return try SMTPGateway(name: "mail", settings: JSONSerialization.data(withJSONObject: object), context: context)
    }

    static func page(to address: String = "ana@example.org", subject: String = "Sev 1: ransomware on FIN-DB-01",
                     text: String? = nil) -> OutgoingMessage {
        let link = "https://pager.example.eu/a/tok_3JqP9x"
        return OutgoingMessage(
            id: "msg_01JAB", kind: .alert, type: .email, address: address, userId: "usr_ana", contactMethodId: "cm_mail",
            alertIds: ["alt_7"], subject: subject,
            text: text ?? "Sev 1: ransomware on FIN-DB-01\nService: SOC Tier 1\nAcknowledge: \(link)", ackLinks: [link])
    }

    @Test func aPageArrivesWithBothPartsTheAckLinkAndAnEncodedSubject() throws {
        let sink = try MailSink(mode: .plain)
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(sink.port)", "starttls": false,
                                        "from": "Watchkeeper Pager <pager@example.com>"])
        let subject = "Sev 1 – løsepengevirus på FIN-DB-01 ✓ " + String(repeating: "ø", count: 60)
        let link = "https://pager.example.eu/a/tok_3JqP9x"
        let text = "Sev 1 <script>alert(1)</script> & more\n.a line that starts with a dot\n"
            + String(repeating: "long ", count: 60) + "\nTrailing space \nAcknowledge: \(link)"
        let result = gateway.send(Self.page(subject: subject, text: text))
        #expect(result == .accepted(providerMessageId: "<msg_01JAB@example.com>"))

        let received = try sink.received()
        try #require(received.count == 1)
        let mail = received[0]
        #expect(mail.mailFrom == "pager@example.com")
        #expect(mail.rcptTos == ["ana@example.org"])
        #expect(mail.defects.isEmpty, "\(mail.defects)")
        #expect(mail.longestLine <= 78)
        #expect(mail.bareLineFeeds == 0)
        #expect(mail.headers["From"] == "Watchkeeper Pager <pager@example.com>")
        #expect(mail.headers["To"] == "ana@example.org")
        #expect(mail.headers["Subject"] == subject)
        #expect(mail.rawSubject.hasPrefix("=?UTF-8?B?"))
        #expect(mail.headers["Message-ID"] == "<msg_01JAB@example.com>")
        #expect(mail.headers["Date"] == "Wed, 18 Nov 2026 11:06:40 +0000")
        #expect(mail.headers["Auto-Submitted"] == "auto-generated")
        #expect(mail.headers["MIME-Version"] == "1.0")
        #expect(mail.contentType == "multipart/alternative")

        let plain = try #require(mail.part("text/plain"))
        #expect(plain.charset == "utf-8")
        let plainText = plain.content.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(plainText == text || plainText == text + "\n")
        // libcurl dot-stuffed the line and the server undid it.
        #expect(plainText.contains("\n.a line that starts with a dot\n"))
        let html = try #require(mail.part("text/html"))
        #expect(html.content.contains("<a href=\"\(link)\""))
        #expect(html.content.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
        #expect(!html.content.contains("<script>"))
        #expect(mail.parts.count == 2)
    }

    @Test func starttlsUpgradesBeforeTheMessage() throws {
        let sink = try MailSink(mode: .starttls)
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(sink.port)", "from": "pager@example.com"], caBundle: sink.certificatePath)
        #expect(gateway.send(Self.page()) == .accepted(providerMessageId: "<msg_01JAB@example.com>"))
        let mail = try #require(try sink.received().first)
        #expect(mail.tls)
        #expect(mail.headers["From"] == "pager@example.com")
    }

    @Test func aServerWithoutStarttlsGetsNothingInClearText() throws {
        let sink = try MailSink(mode: .plain)
        // starttls defaults to true for smtp://
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(sink.port)", "from": "pager@example.com"], caBundle: sink.certificatePath)
        guard case .temporaryFailure = gateway.send(Self.page()) else { Issue.record("expected a temporary failure"); return }
        #expect(try sink.received().isEmpty)
    }

    @Test func implicitTLS() throws {
        let sink = try MailSink(mode: .smtps)
        let gateway = try Self.gateway(["url": "smtps://127.0.0.1:\(sink.port)", "from": "pager@example.com"], caBundle: sink.certificatePath)
        #expect(gateway.send(Self.page()) == .accepted(providerMessageId: "<msg_01JAB@example.com>"))
        #expect(try sink.received().first?.tls == true)
    }

    @Test func anUntrustedCertificateIsRefused() throws {
        let sink = try MailSink(mode: .smtps)
        let gateway = try Self.gateway(["url": "smtps://127.0.0.1:\(sink.port)", "from": "pager@example.com"])
        guard case .temporaryFailure = gateway.send(Self.page()) else { Issue.record("expected a temporary failure"); return }
        #expect(try sink.received().isEmpty)
    }

    @Test func authenticatesWithTheSecret() throws {
        let sink = try MailSink(mode: .starttls, auth: ("pager", "s3cret"))
        setenv("WK_TEST_SMTP_PASSWORD", "s3cret", 1)
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(sink.port)", "from": "pager@example.com", "username": "pager",
                                        "password": "env:WK_TEST_SMTP_PASSWORD"], caBundle: sink.certificatePath)
        #expect(gateway.send(Self.page()) == .accepted(providerMessageId: "<msg_01JAB@example.com>"))
        let mail = try #require(try sink.received().first)
        #expect(mail.authenticated && mail.login == "pager" && mail.tls)

        let wrong = try Self.gateway(["url": "smtp://127.0.0.1:\(sink.port)", "from": "pager@example.com", "username": "pager",
                                      "password": "guess"], caBundle: sink.certificatePath)
        guard case .gatewayFailure(let reason) = wrong.send(Self.page()) else { Issue.record("a refused login is the gateway's failure, for the next gateway"); return }
        #expect(reason.contains("535"))
        #expect(try sink.received().count == 1)
    }

    @Test func anUnknownMailboxIsPermanentABusyServerTemporary() throws {
        let sink = try MailSink(mode: .plain)
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(sink.port)", "starttls": false, "from": "pager@example.com"])
        guard case .permanentFailure(let reason) = gateway.send(Self.page(to: "unknown@example.org")) else {
            Issue.record("550 is permanent"); return
        }
        #expect(reason.contains("550"))
        guard case .temporaryFailure(let busy, _) = gateway.send(Self.page(to: "busy@example.org")) else {
            Issue.record("451 is temporary"); return
        }
        #expect(busy.contains("451"))
        #expect(try sink.received().isEmpty)
    }

    @Test func aServerThatIsDownIsTemporary() throws {
        let sink = try MailSink(mode: .plain)
        let port = sink.port
        sink.stop()
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(port)", "starttls": false, "from": "pager@example.com", "timeout": 5])
        guard case .temporaryFailure = gateway.send(Self.page()) else { Issue.record("expected a temporary failure"); return }
    }

    @Test func aServerThatNeverGreetsIsATimeout() throws {
        // An HTTP server waits for a request while the SMTP client waits for the 220 greeting.
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let silent = HTTPServer(configuration: configuration, responder: Router(), logger: Logger(label: "silent") { _ in SwiftLogNoOpLogHandler() })
        try silent.start()
        defer { silent.shutdown() }
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:\(silent.localPort)", "starttls": false, "from": "pager@example.com", "timeout": 0.5])
        #expect(gateway.send(Self.page()) == .temporaryFailure(reason: "timed out", retryAfter: nil))
    }

    @Test func badAddressesAndTypesArePermanent() throws {
        let gateway = try Self.gateway(["url": "smtp://127.0.0.1:9", "from": "pager@example.com"])
        guard case .permanentFailure = gateway.send(Self.page(to: "ana@example.org>\r\nRCPT TO:<eve@example.net")) else {
            Issue.record("an address with a line break is refused"); return
        }
        var sms = Self.page()
        sms.type = .sms
        guard case .permanentFailure = gateway.send(sms) else { Issue.record("sms is not e-mail"); return }
        #expect(gateway.supports(.email) && !gateway.supports(.sms) && !gateway.supports(.webhook))
    }

    @Test func settingsAreChecked() throws {
        #expect(throws: (any Error).self) { try Self.gateway(["url": "http://mail.example.com", "from": "pager@example.com"]) }
        #expect(throws: (any Error).self) { try Self.gateway(["url": "smtp://mail.example.com", "from": "Pager"]) }
        #expect(throws: (any Error).self) { try Self.gateway(["url": "smtps://mail.example.com", "from": "p@example.com", "starttls": true]) }
        #expect(throws: (any Error).self) { try Self.gateway(["url": "smtp://mail.example.com", "from": "p@example.com", "username": "u"]) }
        #expect(throws: (any Error).self) {
            try Self.gateway(["url": "smtp://mail.example.com", "from": "p@example.com", "username": "u", "password": "env:WK_TEST_UNSET_VARIABLE"])
        }
        #expect(throws: Never.self) { try Self.gateway(["url": "smtps://mail.example.com:465", "from": "\"Pager, SOC\" <p@example.com>"]) }
        #expect(GatewayKinds.named("smtp") is SMTPGateway.Type)
    }
}
