import Foundation
import Testing
@testable import WatchkeeperApp

@Suite struct NotificationRulesTests {
    @Test func createListReadDelete() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let sms = try await api.method(ana)
        let voice = try await api.method(ana, type: "voice")
        let path = NotificationAPIClient.rules(ana)
        let later = try await api.send("POST", path, ["contactMethodId": voice, "delaySeconds": 120], token: api.responder)
        #expect(later.status == 201, "\(later.text)")
        let laterId = try #require(later.object["id"] as? String)
        #expect(laterId.hasPrefix("nr_") && laterId.count == 19)
        #expect(later.header("Location") == "\(path)/\(laterId)")
        #expect(later.object["userId"] as? String == ana && later.object["contactMethodId"] as? String == voice)
        #expect(later.object["delaySeconds"] as? Int == 120)
        #expect(later.object["createdAt"] as? String == "2026-11-18T11:06:40Z")
        let now = try await api.send("POST", path, ["contactMethodId": sms, "delaySeconds": 0])
        let nowId = try #require(now.object["id"] as? String)
        let last = try await api.send("POST", path, ["contactMethodId": sms, "delaySeconds": 86400])
        #expect(last.status == 201)

        let list = try await api.send("GET", path, token: api.viewer)
        #expect(list.status == 200)
        #expect((list.object["items"] as? [[String: Any]])?.compactMap { $0["delaySeconds"] as? Int } == [0, 120, 86400])
        #expect(try await api.send("GET", "\(path)/\(nowId)", token: api.viewer).object["contactMethodId"] as? String == sms)

        #expect(try await api.send("DELETE", "\(path)/\(nowId)", token: api.responder).status == 204)
        #expect(try await api.send("GET", "\(path)/\(nowId)").status == 404)
        #expect(try await api.send("DELETE", "\(path)/\(nowId)").status == 404)

        // Deleting a contact method deletes its rules.
        #expect(try await api.send("DELETE", "\(NotificationAPIClient.methods(ana))/\(voice)").status == 204)
        #expect((try await api.send("GET", path).object["items"] as? [Any])?.count == 1)
        #expect(try await api.send("GET", NotificationAPIClient.rules("usr_missing")).status == 404)
        #expect(try await api.send("POST", NotificationAPIClient.rules("usr_missing"), ["contactMethodId": sms, "delaySeconds": 0]).status == 404)
    }

    @Test func validationNamesEveryField() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let path = NotificationAPIClient.rules(ana)
        let sms = try await api.method(ana)
        let everything = try await api.send("POST", path, ["contactMethodId": 7, "delaySeconds": -1, "urgency": "high"])
        #expect(everything.status == 400 && NotificationAPIClient.fields(everything) == ["urgency", "contactMethodId", "delaySeconds"])
        #expect(NotificationAPIClient.fields(try await api.send("POST", path, [String: Any]())) == ["contactMethodId", "delaySeconds"])
        for delay: Any in [86401, 1.5, "60", NSNull()] {
            let reply = try await api.send("POST", path, ["contactMethodId": sms, "delaySeconds": delay])
            #expect(reply.status == 400 && NotificationAPIClient.fields(reply) == ["delaySeconds"], "\(delay): \(reply.text)")
        }
        let unknownMethod = try await api.send("POST", path, ["contactMethodId": "cm_missing", "delaySeconds": 0])
        #expect(unknownMethod.status == 400 && NotificationAPIClient.fields(unknownMethod) == ["contactMethodId"])
        #expect(try api.count("notification_rules") == 0)

        #expect(try await api.send("POST", path, ["contactMethodId": sms, "delaySeconds": 60]).status == 201)
        let duplicate = try await api.send("POST", path, ["contactMethodId": sms, "delaySeconds": 60])
        #expect(duplicate.status == 409)
    }

    @Test func anotherUsersMethodIsRefused() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let bo = try await api.user("Bo")
        let bosPhone = try await api.method(bo)
        let reply = try await api.send("POST", NotificationAPIClient.rules(ana), ["contactMethodId": bosPhone, "delaySeconds": 0])
        #expect(reply.status == 400 && NotificationAPIClient.fields(reply) == ["contactMethodId"])
        #expect(try api.count("notification_rules") == 0)
        // Nor is Bo's rule visible under Ana.
        let bosRule = try await api.send("POST", NotificationAPIClient.rules(bo), ["contactMethodId": bosPhone, "delaySeconds": 0])
        let ruleId = try #require(bosRule.object["id"] as? String)
        #expect(try await api.send("GET", "\(NotificationAPIClient.rules(ana))/\(ruleId)").status == 404)
        #expect(try await api.send("DELETE", "\(NotificationAPIClient.rules(ana))/\(ruleId)").status == 404)
    }

    @Test func roles() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let sms = try await api.method(ana)
        let path = NotificationAPIClient.rules(ana)
        let body: [String: Any] = ["contactMethodId": sms, "delaySeconds": 0]
        #expect(try await api.server.request("GET", path).status == 401)
        #expect(try await api.server.request("POST", path, token: "wk_forged", json: body).status == 401)
        #expect(try await api.send("POST", path, body, token: api.viewer).status == 403)
        let created = try await api.send("POST", path, body, token: api.responder)
        let id = try #require(created.object["id"] as? String)
        #expect(try await api.send("GET", path, token: api.viewer).status == 200)
        #expect(try await api.send("DELETE", "\(path)/\(id)", token: api.viewer).status == 403)
        #expect(try await api.send("DELETE", "\(path)/\(id)", token: api.admin).status == 204)
    }
}
