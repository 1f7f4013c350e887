import Cryptography
import Foundation
import Gateways
import HTTPServer
import Logging
import OutboundHTTP
import Synchronization

/// A fake webhook, Slack and Teams receiver on 127.0.0.1. Each route checks what the real
/// receiver would (the signature, the payload's required shape) and answers 400/403 when it is
/// wrong; others answer with errors, 429 + Retry-After or too late. Every request is recorded.
final class WebhookReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
    }

    static let secret = "whsec_0123456789abcdef"
    let server: HTTPServer
    let now: Date
    private final class Log: Sendable {
        let entries = Mutex<[Received]>([])
    }
    private let log = Log()
    var base: String { "http://127.0.0.1:\(server.localPort)" }
    var received: [Received] { log.entries.withLock { $0 } }

    init(now: Date) throws {
        self.now = now
        var router = Router()
        let record: @Sendable (HTTPRequest) -> Void = { [log] request in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.lowercased()] = field.value }
            log.entries.withLock { $0.append(Received(path: request.path, headers: headers, body: request.body)) }
        }
        router.post("/hook") { request, _ in
            record(request)
            guard request.headers["Content-Type"] == "application/json" else { return .text("json expected", status: .unsupportedMediaType) }
            // Computed here from the documented scheme, not with the gateway's own helper.
            guard let timestamp = request.headers["X-Watchkeeper-Timestamp"], let seconds = TimeInterval(timestamp),
                  abs(seconds - now.timeIntervalSince1970) <= 300,
                  let signature = request.headers["X-Watchkeeper-Signature"],
                  constantTimeEquals(Array(signature.utf8),
                                     Array(("sha256=" + Hex.encode(HMAC.sha256(key: Array(Self.secret.utf8), message: Array("\(timestamp).".utf8) + request.body))).utf8))
            else { return .text("bad signature", status: .forbidden) }
            guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                  object["id"] is String, object["kind"] is String, object["subject"] is String, object["text"] is String,
                  object["sentAt"] is String, let alerts = object["alerts"] as? [[String: Any]],
                  alerts.allSatisfy({ $0["id"] is String && ($0["ackLink"] as? String)?.hasPrefix("https://") == true })
            else { return .text("bad payload", status: .badRequest) }
            return HTTPResponse(status: .noContent)
        }
        router.post("/slack") { request, _ in
            record(request)
            guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                  let text = object["text"] as? String, !text.isEmpty, let blocks = object["blocks"] as? [[String: Any]],
                  blocks.count <= 50, blocks.allSatisfy({ ["header", "section", "actions", "context", "divider"].contains($0["type"] as? String ?? "") }),
                  let header = blocks.first(where: { $0["type"] as? String == "header" })?["text"] as? [String: Any],
                  header["type"] as? String == "plain_text", (header["text"] as? String)?.count ?? 999 <= 150,
                  let section = blocks.first(where: { $0["type"] as? String == "section" })?["text"] as? [String: Any],
                  section["type"] as? String == "mrkdwn", (section["text"] as? String)?.count ?? 9999 <= 3000,
                  blocks.filter({ $0["type"] as? String == "actions" }).allSatisfy({ actions in
                      let elements = actions["elements"] as? [[String: Any]] ?? []
                      return !elements.isEmpty && elements.count <= 25 && elements.allSatisfy {
                          $0["type"] as? String == "button" && ($0["url"] as? String) != nil
                              && (($0["text"] as? [String: Any])?["text"] as? String)?.count ?? 99 <= 75
                      }
                  })
            else { return .text("invalid_payload", status: .badRequest) }
            return .text("ok")
        }
        router.post("/teams") { request, _ in
            record(request)
            guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any],
                  object["type"] as? String == "message", let attachments = object["attachments"] as? [[String: Any]],
                  attachments.count == 1, attachments[0]["contentType"] as? String == "application/vnd.microsoft.card.adaptive",
                  let card = attachments[0]["content"] as? [String: Any], card["type"] as? String == "AdaptiveCard",
                  ["1.4", "1.5"].contains(card["version"] as? String ?? ""),
                  card["$schema"] as? String == "http://adaptivecards.io/schemas/adaptive-card.json",
                  let body = card["body"] as? [[String: Any]], !body.isEmpty,
                  (card["actions"] as? [[String: Any]] ?? []).allSatisfy({ $0["type"] as? String == "Action.OpenUrl" && $0["url"] is String && $0["title"] is String })
            else { return .text("bad card", status: .badRequest) }
            return HTTPResponse(status: .accepted)
        }
        router.post("/throttled") { request, _ in
            record(request)
            var headers = HTTPHeaders()
            headers.add("Retry-After", "7")
            return HTTPResponse(status: .tooManyRequests, headers: headers, body: .bytes(Array("rate_limited".utf8)))
        }
        router.post("/broken") { request, _ in
            record(request)
            return .text("rollup_error", status: .internalServerError)
        }
        router.post("/gone") { request, _ in
            record(request)
            return .text("no_service", status: .notFound)
        }
        router.post("/archived") { request, _ in
            record(request)
            return .text("channel_is_archived", status: .gone)
        }
        router.post("/slow") { request, _ in
            record(request)
            Thread.sleep(forTimeInterval: 2)
            return .text("ok")
        }
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "receiver") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
    }

    func stop() { server.shutdown() }

    /// A webhook gateway whose clock is `now` and whose secret this receiver knows.
    func gateway(timeout: TimeInterval = 5) throws -> WebhookGateway {
        let fixed = now
        let context = GatewayContext(publicURL: "https://pager.example.eu", http: HTTPClient(),
                                     logger: Logger(label: "webhook-test") { _ in SwiftLogNoOpLogHandler() }, now: { fixed })
        let settings = try JSONSerialization.data(withJSONObject: ["name": "hooks", "kind": "webhook", "signingSecret": Self.secret, "timeout": timeout])
        return try WebhookGateway(name: "hooks", settings: settings, context: context)
    }

    static func page(_ type: ContactMethodType, to url: String, subject: String = "Sev 1: ransomware on FIN-DB-01",
                     text: String = "Sev 1: ransomware on FIN-DB-01\nAcknowledge: https://pager.example.eu/a/tok_1",
                     alertIds: [String] = ["alt_1"], ackLinks: [String] = ["https://pager.example.eu/a/tok_1"]) -> OutgoingMessage {
        OutgoingMessage(id: "msg_01JWH", kind: .alert, type: type, address: url, userId: "usr_ana", contactMethodId: "cm_hook",
                        alertIds: alertIds, subject: subject, text: text, ackLinks: ackLinks)
    }
}
