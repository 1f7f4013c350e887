import Foundation
import HTTPServer
import Logging
import Synchronization

/// A fake Twilio REST API on loopback, shared by the gateway and the application tests. Every request is checked against the contract
/// (shared/research/providers-contract.md §1.1–1.3 and the OpenAPI spec): path with the account
/// SID, Basic auth, form encoding, required and known fields, callback URLs under our public URL.
/// Whatever breaks the contract is recorded in `violations` and answered 400; wrong credentials
/// get Twilio's 401. Replies are scripted: 201 by default, or queued errors, 429s and stalls.
public final class TwilioFakeServer: Sendable {
    public struct Received: Sendable {
        /// "Messages" or "Calls".
        public var resource: String
        public var fields: [(name: String, value: String)]
        public var rawBody: String
        /// The SID answered (when the answer was a 201).
        public var sid: String

        public func value(_ name: String) -> String? { fields.first { $0.name == name }?.value }
        public func values(_ name: String) -> [String] { fields.filter { $0.name == name }.map(\.value) }
    }

    public enum Reply: Sendable {
        case created
        /// An error answer with a JSON body; `retryAfter` becomes the `Retry-After` header.
        case error(status: Int, body: String, retryAfter: String?)
        /// Waits this long, then answers 201: longer than the client's timeout, it is a timeout.
        case stall(seconds: Double)
    }

    final class Log: Sendable {
        struct State {
            var received: [Received] = []
            var violations: [String] = []
            var replies: [Reply] = []
            var unauthorized = 0
            var nextSid = 1
        }
        let state = Mutex(State())
    }

    public let accountSid: String
    public let authToken: String
    /// Every StatusCallback and Url must start with this (the gateway's public callback base).
    public let callbackBase: String
    private let log: Log
    private let server: HTTPServer

    public var baseURL: String { "http://127.0.0.1:\(server.localPort)" }
    public var received: [Received] { log.state.withLock { $0.received } }
    public var violations: [String] { log.state.withLock { $0.violations } }
    public var unauthorizedCount: Int { log.state.withLock { $0.unauthorized } }

    public init(accountSid: String = "ACedf4d5fe3e00e6f515b456eda2e535e3", authToken: String = "02509860a76422650dfe0baed95e4389",
         callbackBase: String) throws {
        self.accountSid = accountSid
        self.authToken = authToken
        self.callbackBase = callbackBase
        let contract = Contract(accountSid: accountSid, authToken: authToken, callbackBase: callbackBase)
        let log = Log()
        self.log = log
        var router = Router()
        router.post("/2010-04-01/Accounts/:account/:resource") { request, context in
            Self.handle(request, account: context.parameters["account"] ?? "", resource: context.parameters["resource"] ?? "",
                        contract: contract, log: log)
        }
        router.fallback { request, _ in
            log.state.withLock { $0.violations.append("\(request.method) \(request.path): no such Twilio resource") }
            return HTTPResponse(status: .notFound, contentType: "application/json",
                                body: Array(#"{"code": 20404, "message": "The requested resource was not found", "status": 404}"#.utf8))
        }
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "fake-twilio") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
    }

    public func stop() { server.shutdown() }

    /// The next answers, in order; once they run out, 201.
    public func enqueue(_ replies: Reply...) {
        log.state.withLock { $0.replies += replies }
    }

    private static func handle(_ request: HTTPRequest, account: String, resource: String, contract: Contract, log: Log) -> HTTPResponse {
        guard contract.authorized(request) else {
            log.state.withLock { $0.unauthorized += 1 }
            return json(401, #"{"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}"#)
        }
        let (fields, problems) = contract.check(request, account: account, resource: resource)
        guard problems.isEmpty else {
            log.state.withLock { $0.violations += problems.map { "\(resource): \($0)" } }
            return json(400, #"{"code": 21100, "message": "contract violation: \#(problems.joined(separator: "; "))", "status": 400}"#)
        }
        let kind = resource == "Messages.json" ? "Messages" : "Calls"
        let (reply, sid) = log.state.withLock { state -> (Reply, String) in
            let sid = (kind == "Messages" ? "SM" : "CA") + String(format: "%032x", state.nextSid)
            state.nextSid += 1
            state.received.append(Received(resource: kind, fields: fields, rawBody: String(decoding: request.body, as: UTF8.self), sid: sid))
            return (state.replies.isEmpty ? Reply.created : state.replies.removeFirst(), sid)
        }
        switch reply {
        case .created:
            return created(kind: kind, sid: sid, fields: fields, account: account)
        case .error(let status, let body, let retryAfter):
            var response = json(status, body)
            if let retryAfter { response.headers["Retry-After"] = retryAfter }
            return response
        case .stall(let seconds):
            Thread.sleep(forTimeInterval: seconds)
            return created(kind: kind, sid: sid, fields: fields, account: account)
        }
    }

    private static func created(kind: String, sid: String, fields: [(name: String, value: String)], account: String) -> HTTPResponse {
        let value = { (name: String) in fields.first { $0.name == name }?.value }
        var resource: [String: Any] = ["sid": sid, "account_sid": account, "api_version": "2010-04-01", "to": value("To") ?? "",
                                       "from": value("From") as Any? ?? NSNull(), "status": "queued",
                                       "uri": "/2010-04-01/Accounts/\(account)/\(kind)/\(sid).json"]
        if kind == "Messages" {
            resource["body"] = value("Body") ?? ""
            resource["num_segments"] = "1"
            resource["messaging_service_sid"] = value("MessagingServiceSid") as Any? ?? NSNull()
        }
        let body = (try? JSONSerialization.data(withJSONObject: resource, options: [.sortedKeys])) ?? Data()
        return HTTPResponse(status: .created, contentType: "application/json; charset=utf-8", body: Array(body))
    }

    private static func json(_ status: Int, _ body: String) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(code: status), contentType: "application/json; charset=utf-8", body: Array(body.utf8))
    }

    /// The checks, from the contract.
    public struct Contract: Sendable {
        let accountSid: String
        let authToken: String
        let callbackBase: String

        /// Fields the Messages and Calls create operations define (OpenAPI spec, CreateMessage / CreateCall).
        static let messageFields: Set<String> = [
            "To", "From", "MessagingServiceSid", "Body", "MediaUrl", "ContentSid", "StatusCallback", "ApplicationSid", "MaxPrice",
            "ProvideFeedback", "Attempt", "ValidityPeriod", "ForceDelivery", "ContentRetention", "AddressRetention", "SmartEncoded",
            "PersistentAction", "TrafficType", "ShortenUrls", "ScheduleType", "SendAt", "SendAsMms", "ContentVariables", "RiskCheck",
        ]
        static let callFields: Set<String> = [
            "To", "From", "Method", "FallbackUrl", "FallbackMethod", "StatusCallback", "StatusCallbackEvent", "StatusCallbackMethod",
            "SendDigits", "Timeout", "Record", "RecordingChannels", "RecordingStatusCallback", "RecordingStatusCallbackMethod",
            "SipAuthUsername", "SipAuthPassword", "MachineDetection", "MachineDetectionTimeout", "RecordingStatusCallbackEvent", "Trim",
            "CallerId", "MachineDetectionSpeechThreshold", "MachineDetectionSpeechEndThreshold", "MachineDetectionSilenceTimeout",
            "AsyncAmd", "AsyncAmdStatusCallback", "AsyncAmdStatusCallbackMethod", "Byoc", "CallReason", "CallToken",
            "RecordingTrack", "TimeLimit", "Url", "Twiml", "ApplicationSid",
        ]

        func authorized(_ request: HTTPRequest) -> Bool {
            let expected = "Basic " + Data("\(accountSid):\(authToken)".utf8).base64EncodedString()
            return request.headers["Authorization"] == expected
        }

        /// The decoded form and every way the request breaks the contract.
        func check(_ request: HTTPRequest, account: String, resource: String) -> ([(name: String, value: String)], [String]) {
            var problems: [String] = []
            if account != accountSid { problems.append("path account \(account) is not \(accountSid)") }
            guard resource == "Messages.json" || resource == "Calls.json" else { return ([], ["unknown resource \(resource)"]) }
            let contentType = request.headers["Content-Type"] ?? ""
            if MediaType(parsing: contentType).map({ "\($0.type)/\($0.subtype)" }) != "application/x-www-form-urlencoded" {
                problems.append("Content-Type is \(contentType), not application/x-www-form-urlencoded")
            }
            guard let fields = Self.decodeForm(request.body) else { return ([], problems + ["the body is not a valid form"]) }
            let value = { (name: String) in fields.first { $0.name == name }?.value }
            let known = resource == "Messages.json" ? Self.messageFields : Self.callFields
            for field in fields where !known.contains(field.name) { problems.append("unknown field \(field.name)") }
            for name in Set(fields.map(\.name)) where name != "StatusCallbackEvent" && fields.filter({ $0.name == name }).count > 1 {
                problems.append("\(name) given twice")
            }
            if !Self.isE164(value("To")) { problems.append("To \(value("To") ?? "(missing)") is not E.164 (a + sent unencoded arrives as a space)") }
            if resource == "Messages.json" {
                if value("From") == nil && value("MessagingServiceSid") == nil { problems.append("neither From nor MessagingServiceSid") }
                if let from = value("From"), !Self.isE164(from) { problems.append("From \(from) is not E.164") }
                guard let body = value("Body"), !body.isEmpty else { return (fields, problems + ["Body is missing"]) }
                if body.count > 1600 { problems.append("Body is longer than 1600 characters") }
                if let period = value("ValidityPeriod"), !(Int(period).map { (1...36000).contains($0) } ?? false) {
                    problems.append("ValidityPeriod \(period) is not 1–36000")
                }
                checkCallback(value("StatusCallback"), path: "/sms-status?page=", name: "StatusCallback", &problems)
            } else {
                if !Self.isE164(value("From")) { problems.append("From \(value("From") ?? "(missing)") is not E.164") }
                if value("Twiml") != nil || value("ApplicationSid") != nil { problems.append("expected Url, not Twiml/ApplicationSid") }
                checkCallback(value("Url"), path: "/voice/answer?page=", name: "Url", &problems)
                checkCallback(value("StatusCallback"), path: "/voice/status?page=", name: "StatusCallback", &problems)
                let events = fields.filter { $0.name == "StatusCallbackEvent" }.map(\.value)
                for event in events where !["initiated", "ringing", "answered", "completed"].contains(event) {
                    problems.append("StatusCallbackEvent \(event) is not initiated/ringing/answered/completed (repeat the field per event)")
                }
                if let timeout = value("Timeout"), !(Int(timeout).map { (1...600).contains($0) } ?? false) {
                    problems.append("Timeout \(timeout) is not 1–600")
                }
                if let detection = value("MachineDetection"), !["Enable", "DetectMessageEnd"].contains(detection) {
                    problems.append("MachineDetection \(detection) is not Enable/DetectMessageEnd")
                }
            }
            return (fields, problems)
        }

        private func checkCallback(_ url: String?, path: String, name: String, _ problems: inout [String]) {
            guard let url else { problems.append("\(name) is missing"); return }
            if !url.hasPrefix(callbackBase + path) { problems.append("\(name) \(url) is not under \(callbackBase + path)") }
            // "URL must contain a valid hostname and underscores are not allowed" (in the host).
            if let host = URL(string: url)?.host, host.contains("_") { problems.append("\(name) host has an underscore") }
            if URL(string: url) == nil { problems.append("\(name) \(url) is not a URL") }
        }

        static func isE164(_ number: String?) -> Bool {
            guard let number, number.hasPrefix("+") else { return false }
            let digits = number.dropFirst()
            return (2...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber } && digits.first != "0"
        }

        /// Strict `application/x-www-form-urlencoded`: only unreserved bytes, `+` and escapes.
        public static func decodeForm(_ body: [UInt8]) -> [(name: String, value: String)]? {
            guard let text = String(validating: body, as: UTF8.self) else { return nil }
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._*~+%=&")
            guard text.allSatisfy({ allowed.contains($0) }) else { return nil }
            var fields: [(name: String, value: String)] = []
            for pair in text.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let name = PercentEncoding.decode(String(parts[0]), plusAsSpace: true),
                      let value = PercentEncoding.decode(String(parts[1]), plusAsSpace: true) else { return nil }
                fields.append((name, value))
            }
            return fields
        }
    }
}
