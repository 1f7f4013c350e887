import FakeAzure
import Foundation
import HTTPServer
import Logging
import OutboundHTTP
import Testing

/// The fake token endpoint behaves like Entra ID, so the client tests can trust it.
@Suite struct FakeEntraIDTests {
    @Test func issuesTokensToKnownAppsAndRefusesWrongSecrets() throws {
        let entra = FakeEntraID()
        entra.register(.init(tenantId: "tenant-a", clientId: "app-1", clientSecret: "s3cret"))
        var router = Router()
        entra.register(on: &router)
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, responder: router, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try server.start()
        defer { server.shutdown() }
        let client = HTTPClient()
        func token(tenant: String, secret: String) throws -> HTTPClientResponse {
            try client.send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(server.localPort)/\(tenant)/oauth2/v2.0/token",
                                              headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                              body: Array("client_id=app-1&client_secret=\(secret)&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default".utf8)))
        }
        let ok = try token(tenant: "tenant-a", secret: "s3cret")
        #expect(ok.status == 200)
        let json = try JSONSerialization.jsonObject(with: Data(ok.body)) as? [String: Any]
        let accessToken = try #require(json?["access_token"] as? String)
        #expect(json?["expires_in"] as? Int == 3599 && json?["token_type"] as? String == "Bearer")
        #expect(entra.tenant(ofToken: accessToken) == "tenant-a")
        let wrong = try token(tenant: "tenant-a", secret: "nope")
        #expect(wrong.status == 401 && wrong.text.contains("AADSTS7000215"))
        #expect(try token(tenant: "tenant-b", secret: "s3cret").text.contains("AADSTS700016"))
        entra.revokeAllTokens()
        #expect(entra.tenant(ofToken: accessToken) == nil)
    }
}
