import FakeGateways
import Foundation
@testable import Gateways
import Logging
import OutboundHTTP
import Storage
import Testing
@testable import WatchkeeperApp

/// The real application, started with a gateways file whose only gateway is Twilio pointing at
/// a fake Twilio on loopback, with shortcuts to set up who gets paged for what, a log of what
/// reached the fake at which instant of the injected clock, and Twilio's callbacks signed as
/// Twilio signs them. The public URL is https://pager.example.eu while the server listens on
/// 127.0.0.1, as behind a TLS-terminating reverse proxy: every callback validates against the
/// public URL.
final class TwilioAppHarness {
    static let publicURL = "https://pager.example.eu"
    static let gatewayName = "twilio-main"
    static let callbackBase = publicURL + "/providers/twilio/" + gatewayName
    static let backupName = "twilio-backup"
    let fake: TwilioFakeServer
    let backup: TwilioFakeServer?
    let application: Application
    let time = ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000))
    let directory: URL
    let admin: String
    let client = HTTPClient()
    /// What the main fake received, each with the test clock's instant when the step that sent it ran.
    private(set) var sends: [(at: Date, request: TwilioFakeServer.Received)] = []

    /// `withBackup`: a second Twilio gateway, "twilio-backup" (another account, another fake),
    /// second in the SMS and voice routes.
    init(withBackup: Bool = false) throws {
        fake = try TwilioFakeServer(callbackBase: Self.callbackBase)
        backup = withBackup ? try TwilioFakeServer(accountSid: "AC0000000000000000000000000000b4c7", authToken: "backup-token-5e1f",
                                                   callbackBase: Self.publicURL + "/providers/twilio/" + Self.backupName) : nil
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("wk-twilio-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var entries = [(Self.gatewayName, fake)]
        if let backup { entries.append((Self.backupName, backup)) }
        let list = entries.map { name, fake in
            #"{"name": "\#(name)", "kind": "twilio", "accountSid": "\#(fake.accountSid)", "authToken": "\#(fake.authToken)", "from": "+447700900500", "baseURL": "\#(fake.baseURL)", "requestTimeout": 2}"#
        }
        let names = entries.map { "\"\($0.0)\"" }.joined(separator: ", ")
        let gateways = #"{"gateways": [\#(list.joined(separator: ", "))], "routes": {"sms": [\#(names)], "voice": [\#(names)]}}"#
        let gatewaysPath = directory.appendingPathComponent("gateways.json").path
        try Data(gateways.utf8).write(to: URL(fileURLWithPath: gatewaysPath))
        var configuration = Configuration()
        configuration.listenPort = 0
        configuration.databasePath = directory.appendingPathComponent("test.db").path
        configuration.publicDirectory = TestServer.packageRoot.appendingPathComponent("Public").path
        configuration.publicURL = Self.publicURL
        configuration.gatewaysPath = gatewaysPath
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        application = try Application(configuration: configuration, logger: logger, time: time)
        try application.start()
        admin = try application.keys.create(name: "admin", role: .admin).secret
    }

    deinit {
        application.shutdown()
        fake.stop()
        backup?.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var local: String { "http://127.0.0.1:\(application.port)" }

    var now: Date { time.now() }
    var database: Database { application.database }

    func request(_ method: String, _ path: String, json: Any? = nil, token: String? = nil) throws -> (status: Int, object: [String: Any], text: String) {
        var headers: [(name: String, value: String)] = []
        if let token = token ?? (path.hasPrefix("/api/v1/integrations/") ? nil : admin) { headers.append(("Authorization", "Bearer \(token)")) }
        var body: [UInt8] = []
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json))
            headers.append(("Content-Type", "application/json"))
        }
        let response = try client.send(HTTPClientRequest(method: method, url: local + path, headers: headers, body: body))
        let object = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return (response.status, object, response.text)
    }

    /// A Twilio callback to `target` (path and query under our routes), signed for the public URL
    /// unless `signature` says otherwise.
    func callback(_ target: String, _ parameters: [(name: String, value: String)], signature: String?? = .none) throws -> HTTPClientResponse {
        let token = target.hasPrefix("/providers/twilio/\(Self.backupName)/") ? backup?.authToken ?? "" : fake.authToken
        let signed = TwilioSignature.compute(url: Self.publicURL + target, parameters: parameters, authToken: token)
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]
        if let value = signature ?? signed { headers.append(("X-Twilio-Signature", value)) }
        return try client.send(HTTPClientRequest(method: "POST", url: local + target, headers: headers, body: Array(FormEncoding.encode(parameters).utf8)))
    }

    func create(_ path: String, _ json: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let reply = try request("POST", path, json: json)
        #expect(reply.status == 201, "\(path): \(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["id"] as? String, sourceLocation: sourceLocation)
    }

    /// A user with verified contact methods, each with a notification rule at `delaySeconds`.
    func user(_ name: String, methods: [(type: String, address: String, delaySeconds: Int)]) throws -> String {
        let id = try create("/api/v1/users", ["name": name, "email": "\(name.lowercased())@example.com", "timeZone": "Europe/Oslo", "role": "responder"])
        let now = self.now
        for method in methods {
            let methodId = "cm_\(UUID().uuidString.prefix(12))", ruleId = "nr_\(UUID().uuidString.prefix(12))"
            try database.write { db in
                try db.run("""
                    INSERT INTO contact_methods (id, user_id, type, name, address, verified_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(methodId), .text(id), .text(method.type), .text(method.type), .text(method.address), SQLValue(now), SQLValue(now), SQLValue(now)])
                try db.run("INSERT INTO notification_rules (id, user_id, contact_method_id, delay_seconds, created_at) VALUES (?, ?, ?, ?, ?)",
                           [.text(ruleId), .text(id), .text(methodId), .integer(Int64(method.delaySeconds)), SQLValue(now)])
            }
        }
        return id
    }

    /// A one-step policy paging `users`, and a service on it; the integration key's secret.
    func service(_ name: String, paging users: [String]) throws -> String {
        let policy = try create("/api/v1/escalation-policies", [
            "name": "Policy \(name)", "repeatCount": 0,
            "steps": [["targets": users.map { ["kind": "user", "id": $0] }, "delaySeconds": 3600]],
        ])
        let service = try create("/api/v1/services", ["name": name, "escalationPolicyId": policy])
        let reply = try request("POST", "/api/v1/services/\(service)/integration-keys", json: ["name": "sentinel", "format": "events-v2"])
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.object["secret"] as? String)
    }

    func trigger(_ key: String, _ summary: String) throws -> String {
        let body: [String: Any] = ["routing_key": "ignored", "event_action": "trigger", "dedup_key": summary,
                                   "payload": ["summary": summary, "severity": "critical", "source": "sentinel-prod"]]
        let reply = try request("POST", "/api/v1/integrations/\(key)/events", json: body)
        #expect(reply.status == 202, "\(reply.text)")
        return try #require(reply.object["alertId"] as? String)
    }

    /// Runs engine passes and waits for the sends they start, until nothing more happens; what
    /// reached the fake meanwhile is logged at the current instant.
    func settle() {
        for _ in 0..<4 {
            application.engine.runNow()
            #expect(application.outbox.waitUntilIdle(timeout: 10))
        }
        let received = fake.received
        for request in received.dropFirst(sends.count) { sends.append((now, request)) }
    }

    /// Settles at the current instant (so sends already made are logged there), then moves the clock.
    func advance(by seconds: TimeInterval) {
        settle()
        time.advance(by: seconds)
        settle()
    }

    /// The logged sends to `number` of `resource` ("Messages" or "Calls").
    func sends(to number: String, _ resource: String) -> [(at: Date, request: TwilioFakeServer.Received)] {
        sends.filter { $0.request.value("To") == number && $0.request.resource == resource }
    }
}
