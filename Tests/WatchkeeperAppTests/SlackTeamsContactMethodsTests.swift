import Foundation
import Testing
@testable import WatchkeeperApp

/// Slack and Teams contact methods through the API: the enum, the address rule (https, loopback
/// http aside) and the database's CHECK (migration 0009) all accept them.
@Suite struct SlackTeamsContactMethodsTests {
    @Test func chatWebhooksAreContactMethodsWithHTTPSAddresses() async throws {
        let api = try NotificationAPIClient()
        let ana = try await api.user("Ana")
        let path = NotificationAPIClient.methods(ana)
        for (type, address) in [("slack", "http://hooks.slack.com/services/T/B/X"), ("teams", "ftp://example.com/x"), ("slack", "hooks.slack.com"),
                                ("teams", "https://")] {
            let reply = try await api.send("POST", path, ["type": type, "name": "x", "address": address])
            #expect(reply.status == 400 && NotificationAPIClient.fields(reply) == ["address"], "\(type) \(address): \(reply.text)")
        }
        let slack = try await api.method(ana, type: "slack", address: "https://hooks.slack.com/services/T000/B000/XXXX", name: "SOC channel")
        let teams = try await api.method(ana, type: "teams", address: "https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x",
                                         name: "SOC team")
        let listed = try await api.send("GET", path)
        let items = try #require(listed.object["items"] as? [[String: Any]])
        #expect(Set(items.compactMap { $0["id"] as? String }) == [slack, teams])
        #expect(Set(items.compactMap { $0["type"] as? String }) == ["slack", "teams"])
    }
}
