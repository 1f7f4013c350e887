import Foundation
import Testing
@testable import WatchkeeperApp

/// The served playbook template: a parseable ARM template with the Sentinel incident trigger
/// and one HTTP action that POSTs the trigger body to the key's Sentinel URL; a live key and an
/// API key are both required.
@Suite struct PlaybookTemplateTests {
    @Test func templateHasTheTriggerAndTheHTTPActionForTheKey() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let secret = try await api.integrationKey(service)
        let reply = try await api.send("GET", "/integrations/sentinel/playbook.json?key=\(secret)", token: api.viewer)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.header("Cache-Control") == "no-store")
        let template = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        #expect(template["$schema"] as? String == "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")
        let resources = try #require(template["resources"] as? [[String: Any]])
        let connection = try #require(resources.first { $0["type"] as? String == "Microsoft.Web/connections" })
        #expect(((connection["properties"] as? [String: Any])?["api"] as? [String: Any])?["id"] as? String
                == "[concat('/subscriptions/', subscription().subscriptionId, '/providers/Microsoft.Web/locations/', resourceGroup().location, '/managedApis/azuresentinel')]")
        let workflow = try #require(resources.first { $0["type"] as? String == "Microsoft.Logic/workflows" })
        let properties = try #require(workflow["properties"] as? [String: Any])
        let definition = try #require(properties["definition"] as? [String: Any])

        let triggers = try #require(definition["triggers"] as? [String: [String: Any]])
        #expect(triggers.count == 1)
        let trigger = try #require(triggers.values.first)
        #expect(trigger["type"] as? String == "ApiConnectionWebhook")
        let triggerInputs = try #require(trigger["inputs"] as? [String: Any])
        #expect(triggerInputs["path"] as? String == "/incident-creation")
        #expect((triggerInputs["body"] as? [String: Any])?["callback_url"] as? String == "@{listCallbackUrl()}")
        #expect(((triggerInputs["host"] as? [String: Any])?["connection"] as? [String: Any])?["name"] as? String
                == "@parameters('$connections')['azuresentinel']['connectionId']")

        let actions = try #require(definition["actions"] as? [String: [String: Any]])
        #expect(actions.count == 1)
        let action = try #require(actions.values.first)
        #expect(action["type"] as? String == "Http")
        let inputs = try #require(action["inputs"] as? [String: Any])
        #expect(inputs["method"] as? String == "POST")
        #expect(inputs["uri"] as? String == "\(api.server.application.configuration.publicURL)/api/v1/integrations/\(secret)/sentinel")
        #expect(inputs["body"] as? String == "@{triggerBody()}")
        #expect((inputs["headers"] as? [String: Any])?["Content-Type"] as? String == "application/json")
        let retry = try #require(inputs["retryPolicy"] as? [String: Any])
        #expect(retry["type"] as? String == "exponential" && retry["count"] as? Int == 4 && retry["interval"] as? String == "PT7.5S")

        let connections = ((properties["parameters"] as? [String: Any])?["$connections"] as? [String: Any])?["value"] as? [String: Any]
        #expect((connections?["azuresentinel"] as? [String: Any])?["connectionId"] as? String
                == "[resourceId('Microsoft.Web/connections', variables('AzureSentinelConnectionName'))]")
    }

    @Test func theTemplateForwardsToAnEndpointThatAcceptsTheTriggerBody() async throws {
        // The URL in the template, called with a fixture trigger body, creates the alert.
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let secret = try await api.integrationKey(service)
        let reply = try await api.send("GET", "/integrations/sentinel/playbook.json?key=\(secret)", token: api.viewer)
        let template = try #require(try JSONSerialization.jsonObject(with: reply.body) as? [String: Any])
        let workflow = try #require((template["resources"] as? [[String: Any]])?.first { $0["type"] as? String == "Microsoft.Logic/workflows" })
        let actions = (((workflow["properties"] as? [String: Any])?["definition"] as? [String: Any])?["actions"] as? [String: [String: Any]])
        let uri = try #require((actions?.values.first?["inputs"] as? [String: Any])?["uri"] as? String)
        let path = try #require(uri.range(of: "/api/v1/").map { String(uri[$0.lowerBound...]) })
        let posted = try await api.server.request("POST", path, json: try SentinelFixtureClient.object("logicapp-incident-created-high.json"))
        #expect(posted.status == 202, "\(posted.text)")
        #expect(try api.count("alerts") == 1)
    }

    @Test func needsALiveIntegrationKeyAndAnAPIKey() async throws {
        let api = try AlertsAPIClient()
        let service = try await api.service()
        let created = try await api.send("POST", "/api/v1/services/\(service)/integration-keys", ["name": "sentinel", "format": "generic"])
        let secret = try #require(created.object["secret"] as? String)
        let keyId = try #require((created.object["key"] as? [String: Any])?["id"] as? String)

        let anonymous = try await api.server.request("GET", "/integrations/sentinel/playbook.json?key=\(secret)")
        #expect(anonymous.status == 401)
        let unknown = try await api.send("GET", "/integrations/sentinel/playbook.json?key=wki_neverissued", token: api.viewer)
        #expect(unknown.status == 404 && unknown.header("Content-Type") == "application/problem+json")
        let missing = try await api.send("GET", "/integrations/sentinel/playbook.json", token: api.viewer)
        #expect(missing.status == 400 && (missing.object["errors"] as? [[String: Any]])?.first?["field"] as? String == "key")

        #expect(try await api.send("DELETE", "/api/v1/services/\(service)/integration-keys/\(keyId)").status == 204)
        let revoked = try await api.send("GET", "/integrations/sentinel/playbook.json?key=\(secret)", token: api.viewer)
        #expect(revoked.status == 404)
    }
}
