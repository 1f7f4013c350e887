import Cryptography
import Foundation
import HTTPServer
import Logging

/// A fake Vonage on loopback, shared by the gateway and the application tests: `POST /sms/json` and `POST /v1/calls`, each request checked against
/// the contract (../shared/research/providers-contract.md §2, the fixtures) and recorded. Every
/// breach of the contract is kept in `violations` and answered 400. Answers are queued per test:
/// success by default, or an error status inside HTTP 200, an HTTP status with `Retry-After`, or
/// a hang longer than the client waits.
public final class VonageFakeServer: @unchecked Sendable {
    public enum Answer: Sendable {
        case success
        /// HTTP 200 with `messages[0].status` = code (SMS only).
        case smsStatus(String, errorText: String)
        /// This HTTP status, with a JSON problem body and `Retry-After` when given.
        case http(Int, retryAfter: String?)
        /// Sleeps this long before answering with success.
        case hang(TimeInterval)
    }

    public struct Received: Sendable {
        public var path: String
        public var headers: [String: String]
        public var body: [UInt8]
        /// Decoded form fields (SMS).
        public var form: [String: String]
        /// The JWT claims (voice).
        public var claims: [String: String]
    }

    public let apiKey: String
    public let apiSecret: String
    public let applicationId: String
    public let publicKey: RSAPublicKey?
    public let callbackBase: String

    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var answers: [Answer] = []
    private var received: [Received] = []
    private var violationList: [String] = []
    private var tokenIds = Set<String>()
    private var counter = 0

    private var server: HTTPServer!
    public var base: String { "http://127.0.0.1:\(server.localPort)" }

    public init(apiKey: String, apiSecret: String, applicationId: String, publicKey: RSAPublicKey?, callbackBase: String) throws {
        self.apiKey = apiKey
        self.apiSecret = apiSecret
        self.applicationId = applicationId
        self.publicKey = publicKey
        self.callbackBase = callbackBase
        var router = Router()
        router.post("/sms/json") { [unowned self] request, _ in self.sms(request) }
        router.post("/v1/calls") { [unowned self] request, _ in self.call(request) }
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.shutdownGracePeriod = .seconds(1)
        server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "fake-vonage") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
    }

    public func stop() { server.shutdown() }

    public func enqueue(_ answers: Answer...) {
        condition.lock()
        self.answers += answers
        condition.unlock()
    }

    public var requests: [Received] {
        condition.lock()
        defer { condition.unlock() }
        return received
    }

    public var violations: [String] {
        condition.lock()
        defer { condition.unlock() }
        return violationList
    }

    /// Waits (up to `timeout`, a safety net, not an assertion) until `count` requests arrived.
    public func waitForRequests(_ count: Int, timeout: TimeInterval = 10) -> [Received] {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while received.count < count, condition.wait(until: deadline) {}
        return received
    }

    // MARK: SMS API

    private func sms(_ request: HTTPRequest) -> HTTPResponse {
        var problems: [String] = []
        if request.headers["Content-Type"] != "application/x-www-form-urlencoded" { problems.append("SMS content type \(request.headers["Content-Type"] ?? "none")") }
        let form = Self.decodeForm(request.body)
        if form == nil { problems.append("SMS body is not a form") }
        let fields = form ?? [:]
        let allowed: Set<String> = ["api_key", "api_secret", "from", "to", "text", "type", "client-ref", "callback", "status-report-req", "ttl"]
        for name in fields.keys where !allowed.contains(name) { problems.append("SMS field \(name) is not in the contract") }
        if fields["api_key"] != apiKey || fields["api_secret"] != apiSecret { problems.append("SMS credentials wrong") }
        if !Self.isWireNumber(fields["to"]) { problems.append("SMS to \(fields["to"] ?? "missing") is not E.164 without +") }
        if !Self.isWireNumber(fields["from"]) { problems.append("SMS from \(fields["from"] ?? "missing") is not E.164 without +") }
        if (fields["text"] ?? "").isEmpty { problems.append("SMS text missing") }
        if !["text", "unicode"].contains(fields["type"] ?? "") { problems.append("SMS type \(fields["type"] ?? "missing")") }
        if let text = fields["text"], fields["type"] == "text", !text.unicodeScalars.allSatisfy({ $0.isASCII || "£€é".unicodeScalars.contains($0) }) {
            problems.append("SMS text with non-GSM characters sent as type=text")
        }
        guard let reference = fields["client-ref"], !reference.isEmpty, reference.count <= 40 else {
            return record(request, form: fields, claims: [:], problems: problems + ["SMS client-ref missing or longer than 40"])
        }
        if let report = fields["status-report-req"] {
            if report != "1" { problems.append("status-report-req \(report)") }
            if fields["callback"] != callbackBase + "/dlr" { problems.append("SMS callback \(fields["callback"] ?? "missing")") }
        } else if fields["callback"] != nil {
            problems.append("SMS callback without status-report-req")
        }
        if let ttl = fields["ttl"], Int(ttl).map({ $0 < 20_000 || $0 > 604_800_000 }) ?? true { problems.append("SMS ttl \(ttl)") }
        return record(request, form: fields, claims: [:], problems: problems) { answer, number in
            switch answer {
            case .smsStatus(let code, let errorText):
                let body = ["message-count": "1", "messages": [["status": code, "error-text": errorText]]] as [String: Any]
                return HTTPResponse(status: .ok, contentType: "application/json", body: Array(try! JSONSerialization.data(withJSONObject: body)))
            default:
                let body = ["message-count": "1", "messages": [[
                    "to": fields["to"] ?? "", "message-id": String(format: "1C00000A3F8E%04X", number), "status": "0",
                    "remaining-balance": "42.81730000", "message-price": "0.04210000", "network": "23415", "client-ref": reference,
                ]]] as [String: Any]
                return HTTPResponse(status: .ok, contentType: "application/json", body: Array(try! JSONSerialization.data(withJSONObject: body)))
            }
        }
    }

    // MARK: Voice API

    private func call(_ request: HTTPRequest) -> HTTPResponse {
        var problems: [String] = []
        let claims = verifyJWT(request.headers["Authorization"], &problems)
        if request.headers["Content-Type"] != "application/json" { problems.append("call content type \(request.headers["Content-Type"] ?? "none")") }
        guard let body = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
            return record(request, form: [:], claims: claims, problems: problems + ["call body is not a JSON object"])
        }
        // The same fields as the contract's fixture request, plus the explicit event_method.
        let expectedKeys: Set<String> = ["to", "from", "ncco", "event_url", "event_method", "ringing_timer", "length_timer", "machine_detection"]
        if Set(body.keys) != expectedKeys { problems.append("call fields \(body.keys.sorted())") }
        let to = (body["to"] as? [[String: Any]]) ?? []
        if to.count != 1 || to.first?["type"] as? String != "phone" || !Self.isWireNumber(to.first?["number"] as? String) {
            problems.append("call to \(to)")
        }
        let from = body["from"] as? [String: Any]
        if from?["type"] as? String != "phone" || !Self.isWireNumber(from?["number"] as? String) { problems.append("call from") }
        let ncco = (body["ncco"] as? [[String: Any]]) ?? []
        if ncco.first?["action"] as? String != "talk" || ((ncco.first?["text"] as? String) ?? "").isEmpty { problems.append("NCCO does not start with talk") }
        if ncco.count == 2 {
            let input = ncco[1]
            let dtmf = input["dtmf"] as? [String: Any]
            let eventURL = (input["eventUrl"] as? [String])?.first ?? ""
            if input["action"] as? String != "input" || input["type"] as? [String] != ["dtmf"] || dtmf?["maxDigits"] as? Int != 1
                || !(1...10).contains(dtmf?["timeOut"] as? Int ?? 0) || !eventURL.hasPrefix(callbackBase + "/input/") || input["eventMethod"] as? String != "POST" {
                problems.append("NCCO input \(input)")
            }
            if ncco[0]["bargeIn"] as? Bool != true { problems.append("talk before input without bargeIn") }
        }
        if body["event_url"] as? [String] != [callbackBase + "/event"] || body["event_method"] as? String != "POST" { problems.append("event_url") }
        if !(1...120).contains(body["ringing_timer"] as? Int ?? 0) { problems.append("ringing_timer") }
        if !["continue", "hangup"].contains(body["machine_detection"] as? String ?? "") { problems.append("machine_detection") }
        return record(request, form: [:], claims: claims, problems: problems) { _, number in
            let uuid = String(format: "15f79a16-c6b6-4f7c-b43b-%012x", number)
            let answer = ["uuid": uuid, "status": "started", "direction": "outbound", "conversation_uuid": "CON-\(uuid)"]
            return HTTPResponse(status: .created, contentType: "application/json", body: Array(try! JSONSerialization.data(withJSONObject: answer)))
        }
    }

    /// RS256 with the application's public key; application_id, iat, exp and a jti never seen before.
    private func verifyJWT(_ authorization: String?, _ problems: inout [String]) -> [String: String] {
        guard let authorization, authorization.hasPrefix("Bearer ") else { problems.append("no bearer token"); return [:] }
        let parts = authorization.dropFirst(7).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Base64URL.decode(parts[0]), let payload = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let claims = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
            problems.append("bearer token is not a JWT"); return [:]
        }
        if String(decoding: header, as: UTF8.self) != #"{"alg":"RS256","typ":"JWT"}"# { problems.append("JWT header") }
        if publicKey?.verifyRS256(signature: signature, message: Array("\(parts[0]).\(parts[1])".utf8)) != true { problems.append("JWT signature") }
        if claims["application_id"] as? String != applicationId { problems.append("JWT application_id") }
        let issuedAt = claims["iat"] as? Int ?? 0
        let expiresAt = claims["exp"] as? Int ?? 0
        if issuedAt <= 0 || expiresAt <= issuedAt || expiresAt - issuedAt > 86_400 { problems.append("JWT iat/exp") }
        let tokenId = claims["jti"] as? String ?? ""
        condition.lock()
        let fresh = !tokenId.isEmpty && tokenIds.insert(tokenId).inserted
        condition.unlock()
        if !fresh { problems.append("JWT jti missing or reused") }
        return ["application_id": claims["application_id"] as? String ?? "", "iat": String(issuedAt), "exp": String(expiresAt), "jti": tokenId]
    }

    // MARK: Recording

    private func record(_ request: HTTPRequest, form: [String: String], claims: [String: String], problems: [String],
                        success: ((Answer, Int) -> HTTPResponse)? = nil) -> HTTPResponse {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.lowercased()] = field.value }
        condition.lock()
        counter += 1
        let number = counter
        received.append(Received(path: request.path, headers: headers, body: request.body, form: form, claims: claims))
        violationList += problems
        let answer = answers.isEmpty ? Answer.success : answers.removeFirst()
        condition.broadcast()
        condition.unlock()
        guard problems.isEmpty, let success else {
            return HTTPResponse(status: .badRequest, contentType: "application/json", body: Array(#"{"title":"Bad Request","detail":"contract violated"}"#.utf8))
        }
        switch answer {
        case .http(let status, let retryAfter):
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            if let retryAfter { headers["Retry-After"] = retryAfter }
            return HTTPResponse(status: HTTPStatus(code: status), headers: headers, body: .bytes(Array(#"{"title":"Failure","detail":"as asked"}"#.utf8)))
        case .hang(let seconds):
            Thread.sleep(forTimeInterval: seconds)
            return success(.success, number)
        case .success, .smsStatus:
            return success(answer, number)
        }
    }

    public static func isWireNumber(_ text: String?) -> Bool {
        guard let text else { return false }
        return (7...15).contains(text.count) && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    public static func decodeForm(_ body: [UInt8]) -> [String: String]? {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true),
                  let value = PercentEncoding.decode(String(parts[1]), plusAsSpace: true), fields[name] == nil else { return nil }
            fields[name] = value
        }
        return fields
    }
}
