import Foundation
import Testing
@testable import WatchkeeperApp

/// A real server with a key per role, and shortcuts for users, contact methods and the codes
/// queued in the outbox. Shared by the contact method, verification and notification rule tests.
struct NotificationAPIClient {
    let server: TestServer
    let admin: String
    let responder: String
    let viewer: String

    init() throws {
        server = try TestServer()
        admin = try server.key(.admin, name: "admin")
        responder = try server.key(.responder, name: "ana-responder")
        viewer = try server.key(.viewer, name: "viewer")
    }

    func send(_ method: String, _ path: String, _ json: Any? = nil, token: String? = nil) async throws -> TestServer.Reply {
        try await server.request(method, path, token: token ?? admin, json: json)
    }

    func user(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await send("POST", "/api/v1/users", ["name": name, "email": "\(name.lowercased())@example.com", "timeZone": "Europe/Oslo", "role": "responder"])
        #expect(reply.status == 201, "\(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["id"] as? String, sourceLocation: sourceLocation)
    }

    static func methods(_ user: String) -> String { "/api/v1/users/\(user)/contact-methods" }
    static func rules(_ user: String) -> String { "/api/v1/users/\(user)/notification-rules" }

    func method(_ user: String, type: String = "sms", address: String = "+4791234567", name: String = "Work phone",
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> String {
        let reply = try await send("POST", Self.methods(user), ["type": type, "name": name, "address": address])
        #expect(reply.status == 201, "\(reply.text)", sourceLocation: sourceLocation)
        return try #require(reply.object["id"] as? String, sourceLocation: sourceLocation)
    }

    /// The code in the newest verification message the console provider delivered to the method
    /// (what the user reads on their phone); waits up to 5 s for the outbox to send it.
    func queuedCode(_ methodId: String) throws -> String? {
        server.application.engine.runNow()
        #expect(server.application.outbox.waitUntilIdle(timeout: 5))
        let text = try server.application.database.read { db in
            try db.queryOne("SELECT text FROM console_messages WHERE contact_method_id = ? AND kind = 'verification' ORDER BY id DESC LIMIT 1",
                            [.text(methodId)])?.get("text", as: String.self)
        }
        return text.flatMap { $0.firstMatch(of: /code: (\d{6})/).map { String($0.1) } }
    }

    func count(_ table: String) throws -> Int {
        let sql = "SELECT count(*) AS n FROM \(table)"
        return Int(try server.application.database.read { db in try db.queryOne(sql)?.get("n", as: Int64.self) ?? -1 })
    }

    /// Verifies the method the way a user would: ask for a code, read it, send it back.
    func verify(_ user: String, _ methodId: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let path = "\(Self.methods(user))/\(methodId)"
        let sent = try await send("POST", "\(path)/send-verification")
        #expect(sent.status == 202, "\(sent.text)", sourceLocation: sourceLocation)
        let code = try #require(try queuedCode(methodId), sourceLocation: sourceLocation)
        let verified = try await send("POST", "\(path)/verify", ["code": code])
        #expect(verified.status == 200, "\(verified.text)", sourceLocation: sourceLocation)
    }

    static func fields(_ reply: TestServer.Reply) -> [String] {
        (reply.object["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

@Suite struct ContactMethodsTests {
    @Test func createListReadReplaceDelete() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let path = NotificationAPIClient.methods(ana)
        let created = try await api.send("POST", path, ["type": "sms", "name": " Work phone ", "address": "+4791234567", "shiftReminders": true])
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(id.hasPrefix("cm_") && id.count == 19)
        #expect(created.header("Location") == "\(path)/\(id)")
        #expect(created.object["userId"] as? String == ana)
        #expect(created.object["name"] as? String == "Work phone")
        #expect(created.object["statusUpdates"] as? Bool == false)
        #expect(created.object["shiftNotices"] as? Bool == true)
        #expect(created.object["shiftReminders"] as? Bool == true)
        #expect(created.object["verified"] as? Bool == false && created.object["verifiedAt"] is NSNull)
        #expect(created.object["disabled"] as? Bool == false)
        #expect(created.object["createdAt"] as? String == "2026-11-18T11:06:40Z")
        #expect(Set(created.object.keys) == ["id", "userId", "type", "name", "address", "statusUpdates", "shiftNotices", "shiftReminders",
                                             "verified", "verifiedAt", "disabled", "createdAt", "updatedAt"])

        let email = try await api.method(ana, type: "email", address: "ana@example.com", name: "Mail")
        let list = try await api.send("GET", path, token: api.viewer)
        #expect(list.status == 200)
        #expect((list.object["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [id, email].sorted())

        let read = try await api.send("GET", "\(path)/\(id)", token: api.viewer)
        #expect(read.status == 200 && read.object["address"] as? String == "+4791234567")

        // A GET answer, edited, is a valid replacement; omitted flags take their defaults.
        var replacement = read.object
        replacement["name"] = "Mobile"
        replacement["shiftReminders"] = nil
        api.server.time.advance(by: 60)
        let replaced = try await api.send("PUT", "\(path)/\(id)", replacement)
        #expect(replaced.status == 200, "\(replaced.text)")
        #expect(replaced.object["name"] as? String == "Mobile" && replaced.object["shiftReminders"] as? Bool == false)
        #expect(replaced.object["updatedAt"] as? String == "2026-11-18T11:07:40Z")
        #expect(replaced.object["createdAt"] as? String == "2026-11-18T11:06:40Z")

        #expect(try await api.send("DELETE", "\(path)/\(id)", token: api.responder).status == 204)
        #expect(try await api.send("GET", "\(path)/\(id)").status == 404)
        #expect(try await api.send("DELETE", "\(path)/\(id)").status == 404)
        #expect(try await api.send("GET", NotificationAPIClient.methods("usr_missing")).status == 404)
        // Another user's method is not found under this user.
        let bo = try await api.user("Bo")
        #expect(try await api.send("GET", "\(NotificationAPIClient.methods(bo))/\(email)").status == 404)
    }

    @Test func validationNamesEveryFieldAndStoresNothing() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let path = NotificationAPIClient.methods(ana)
        let everything = try await api.send("POST", path, ["type": "pager", "name": " ", "address": 42, "shiftNotices": "yes", "adress": "x", "id": "cm_mine"])
        #expect(everything.status == 400)
        #expect(everything.header("Content-Type") == "application/problem+json")
        #expect(NotificationAPIClient.fields(everything) == ["adress", "id", "type", "name", "address", "shiftNotices"])
        let missing = try await api.send("POST", path, [String: Any]())
        #expect(NotificationAPIClient.fields(missing) == ["type", "name", "address"])

        let badAddresses: [(String, String)] = [
            ("sms", "4791234567"), ("sms", "+47 912 34 567"), ("voice", "+1234567"), ("voice", "+1234567890123456"), ("sms", "+0791234567"),
            ("email", "ana.example.com"), ("email", "ana@localhost"),
            ("webhook", "http://hooks.example.com/x"), ("webhook", "ftp://hooks.example.com/x"), ("webhook", "/relative/path"),
            ("webhook", "https://"),
        ]
        for (type, address) in badAddresses {
            let reply = try await api.send("POST", path, ["type": type, "name": "x", "address": address])
            #expect(reply.status == 400 && NotificationAPIClient.fields(reply) == ["address"], "\(type) \(address): \(reply.text)")
        }
        #expect(try api.count("contact_methods") == 0)

        let good: [(String, String)] = [("sms", "+4791234567"), ("voice", "+12025550123"), ("email", "ana@example.com"),
                                        ("webhook", "https://hooks.example.com/wk"), ("webhook", "http://127.0.0.1:9/hook"), ("webhook", "http://localhost/h")]
        for (type, address) in good { _ = try await api.method(ana, type: type, address: address) }

        // The same type and address twice is a conflict; the same number for sms and voice is not.
        let duplicate = try await api.send("POST", path, ["type": "sms", "name": "again", "address": "+4791234567"])
        #expect(duplicate.status == 409 && NotificationAPIClient.fields(duplicate) == ["address"])
        _ = try await api.method(ana, type: "voice", address: "+4791234567")
        // Another user may have the same number.
        let bo = try await api.user("Bo")
        _ = try await api.method(bo, type: "sms", address: "+4791234567")
    }

    @Test func replaceChecksTheURLAndConflicts() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let path = NotificationAPIClient.methods(ana)
        let first = try await api.method(ana, address: "+4791234567")
        let second = try await api.method(ana, address: "+4791234568")
        let body: [String: Any] = ["type": "sms", "name": "x", "address": "+4791234567"]
        let conflict = try await api.send("PUT", "\(path)/\(second)", body)
        #expect(conflict.status == 409, "\(conflict.text)")
        let wrongIds = try await api.send("PUT", "\(path)/\(second)", body.merging(["id": first, "userId": "usr_other", "address": "+4791234569"]) { $1 })
        #expect(wrongIds.status == 400 && NotificationAPIClient.fields(wrongIds) == ["id", "userId"])
        let unknown = try await api.send("PUT", "\(path)/\(second)", body.merging(["address": "+4791234569", "color": "red"]) { $1 })
        #expect(unknown.status == 400 && NotificationAPIClient.fields(unknown) == ["color"])
        #expect(try await api.send("PUT", "\(path)/cm_missing", body).status == 404)
        // Replacing a method with its own address is not a conflict with itself.
        #expect(try await api.send("PUT", "\(path)/\(first)", body).status == 200)
    }

    @Test func changingTheAddressUnverifies() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let id = try await api.method(ana)
        try await api.verify(ana, id)
        let path = "\(NotificationAPIClient.methods(ana))/\(id)"
        let renamed = try await api.send("PUT", path, ["type": "sms", "name": "Renamed", "address": "+4791234567"])
        #expect(renamed.object["verified"] as? Bool == true, "a new name keeps the verification")
        let moved = try await api.send("PUT", path, ["type": "sms", "name": "Renamed", "address": "+4799999999"])
        #expect(moved.status == 200)
        #expect(moved.object["verified"] as? Bool == false && moved.object["verifiedAt"] is NSNull)
        #expect(try await api.send("GET", path).object["verified"] as? Bool == false)
        // A pending code was sent to the old address, so it is dropped too.
        #expect(try await api.send("POST", "\(path)/send-verification").status == 202)
        _ = try await api.send("PUT", path, ["type": "sms", "name": "Renamed", "address": "+4798888888"])
        #expect(try api.count("contact_method_verifications") == 0)
    }

    @Test func rolesAndAuthentication() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let path = NotificationAPIClient.methods(ana)
        let body: [String: Any] = ["type": "email", "name": "Mail", "address": "ana@example.com"]
        #expect(try await api.server.request("GET", path).status == 401)
        #expect(try await api.server.request("POST", path, json: body).status == 401)
        #expect(try await api.send("POST", path, body, token: api.viewer).status == 403)
        // API keys are not linked to users, so any responder manages contact methods.
        let created = try await api.send("POST", path, body, token: api.responder)
        #expect(created.status == 201)
        let id = try #require(created.object["id"] as? String)
        #expect(try await api.send("GET", path, token: api.viewer).status == 200)
        #expect(try await api.send("GET", "\(path)/\(id)", token: api.viewer).status == 200)
        #expect(try await api.send("PUT", "\(path)/\(id)", body, token: api.viewer).status == 403)
        #expect(try await api.send("DELETE", "\(path)/\(id)", token: api.viewer).status == 403)
        #expect(try await api.send("POST", "\(path)/\(id)/send-verification", token: api.viewer).status == 403)
        #expect(try await api.send("POST", "\(path)/\(id)/verify", ["code": "123456"], token: api.viewer).status == 403)
        #expect(try await api.send("POST", "\(path)/\(id)/test", token: api.viewer).status == 403)
        #expect(try await api.send("PUT", "\(path)/\(id)", body, token: api.responder).status == 200)
        #expect(try await api.send("DELETE", "\(path)/\(id)", token: api.admin).status == 204)
    }

    @Test func deletingTheUserDeletesTheirMethodsRulesAndCodes() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let sms = try await api.method(ana)
        _ = try await api.method(bo)
        #expect(try await api.send("POST", NotificationAPIClient.rules(ana), ["contactMethodId": sms, "delaySeconds": 0]).status == 201)
        #expect(try await api.send("POST", "\(NotificationAPIClient.methods(ana))/\(sms)/send-verification").status == 202)
        #expect(try await api.send("DELETE", "/api/v1/users/\(ana)").status == 204)
        #expect(try api.count("contact_methods") == 1)
        #expect(try api.count("notification_rules") == 0)
        #expect(try api.count("contact_method_verifications") == 0)
        #expect(try await api.send("GET", NotificationAPIClient.methods(ana)).status == 404)
    }

    @Test func methodsAreInTheOpenAPIDocument() async throws {
        let api = try NotificationAPIClient()
        let document = try await api.server.request("GET", "/openapi.json")
        #expect(document.status == 200)
        for operation in ["listContactMethods", "createContactMethod", "getContactMethod", "replaceContactMethod", "deleteContactMethod",
                          "sendContactMethodVerification", "verifyContactMethod", "sendContactMethodTest",
                          "listNotificationRules", "createNotificationRule", "getNotificationRule", "deleteNotificationRule"] {
            #expect(document.text.contains("\"\(operation)\""), "\(operation)")
        }
    }
}
