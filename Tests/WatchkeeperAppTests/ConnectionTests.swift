import Cryptography
import FakeAzure
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Sentinel
import Synchronization
import Testing
@testable import WatchkeeperApp

/// Sentinel connections over the API: admin writes, viewer reads, the secret sealed at rest and
/// never in a response or a log line, and ready ARM clients for the poller and the outbox.
@Suite struct ConnectionTests {
    static let secret = "Zq8~secret.VALUE_for-tests-only"

    /// The real application with a secret key and every log line captured.
    final class Server: Sendable {
        let application: Application
        let directory: URL
        let logs: LogCapture

        init(key: ConnectionSecretKey?, directory: URL? = nil) throws {
            self.directory = directory ?? FileManager.default.temporaryDirectory.appendingPathComponent("wk-cn-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.listenPort = 0
            configuration.databasePath = self.directory.appendingPathComponent("test.db").path
            configuration.publicDirectory = TestServer.packageRoot.appendingPathComponent("Public").path
            configuration.secretKey = key
            let logs = LogCapture()
            self.logs = logs
            var logger = Logger(label: "test") { _ in logs }
            logger.logLevel = .trace
            application = try Application(configuration: configuration, logger: logger, time: ManualTimeSource(Date(timeIntervalSince1970: 1_795_000_000)))
            try application.start()
        }

        func request(_ method: String, _ path: String, token: String, json: Any? = nil) async throws -> (status: Int, object: [String: Any], text: String) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(application.port)\(path)")!)
            request.httpMethod = method
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let json {
                request.httpBody = try JSONSerialization.data(withJSONObject: json)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as! HTTPURLResponse).statusCode, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:], String(decoding: data, as: UTF8.self))
        }

        func shutdown(removing: Bool = true) {
            application.shutdown()
            if removing { try? FileManager.default.removeItem(at: directory) }
        }
    }

    final class LogCapture: LogHandler, @unchecked Sendable {
        private let lines = Mutex<[String]>([])
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? { get { metadata[key] } set { metadata[key] = newValue } }
        func log(event: LogEvent) {
            lines.withLock { $0.append("\(event.message) \(event.metadata ?? [:])") }
        }
        var all: [String] { lines.withLock { $0 } }
    }

    static func body(tenant: String = "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54", subscription: String = "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63",
                     workspace: String = "law-contoso-sentinel", arm: String? = nil, authority: String? = nil) -> [String: Any] {
        var body: [String: Any] = ["customer": "Contoso", "tenantId": tenant, "clientId": "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", "clientSecret": secret,
                                   "subscriptionId": subscription, "resourceGroup": "rg-soc-contoso", "workspaceName": workspace,
                                   "workspaceId": "e7d1c0b4-2a3f-4c5d-9e8f-1a2b3c4d5e6f"]
        body["armURL"] = arm
        body["authorityURL"] = authority
        return body
    }

    @Test func withoutASecretKeyCreatingIsRefusedAndTheServerStillRuns() async throws {
        let server = try Server(key: nil)
        defer { server.shutdown() }
        let admin = try server.application.keys.create(name: "a", role: .admin).secret
        let refused = try await server.request("POST", "/api/v1/connections", token: admin, json: Self.body())
        #expect(refused.status == 409 && (refused.object["detail"] as? String)?.contains("WATCHKEEPER_SECRET_KEY") == true)
        #expect(try await server.request("GET", "/api/v1/connections", token: admin).status == 200)
        #expect(try server.application.connections.list().isEmpty)
    }

    @Test func theSecretIsNeverReturnedLoggedOrStoredInTheClear() async throws {
        let server = try Server(key: ConnectionSecretKey(key: .generate()))
        defer { server.shutdown() }
        let admin = try server.application.keys.create(name: "a", role: .admin).secret
        let viewer = try server.application.keys.create(name: "v", role: .viewer).secret
        let created = try await server.request("POST", "/api/v1/connections", token: admin, json: Self.body())
        #expect(created.status == 201, "\(created.text)")
        let id = try #require(created.object["id"] as? String)
        #expect(created.object["authorityURL"] as? String == "https://login.microsoftonline.com" && created.object["armURL"] as? String == "https://management.azure.com")
        let got = try await server.request("GET", "/api/v1/connections/\(id)", token: viewer)
        let listed = try await server.request("GET", "/api/v1/connections", token: viewer)
        let patched = try await server.request("PATCH", "/api/v1/connections/\(id)", token: admin, json: ["customer": "Contoso Ltd", "clientSecret": Self.secret + "2"])
        let status = try await server.request("GET", "/api/v1/connections/\(id)/status", token: viewer)
        #expect(got.status == 200 && listed.status == 200 && patched.status == 200 && status.status == 200)
        #expect(patched.object["customer"] as? String == "Contoso Ltd")
        #expect(status.object["throttleCount"] as? Int == 0 && status.object["lastPollAt"] is NSNull && status.object.keys.count == 7)
        for text in [created.text, got.text, listed.text, patched.text, status.text] + server.logs.all {
            #expect(!text.contains(Self.secret), "secret leaked: \(text)")
        }
        #expect(server.logs.all.contains { $0.contains(id) })
        server.application.database.close()
        for file in ["test.db", "test.db-wal"] {
            let bytes = (try? Data(contentsOf: server.directory.appendingPathComponent(file))) ?? Data()
            #expect(bytes.range(of: Data(Self.secret.utf8)) == nil, "\(file) holds the secret in the clear")
        }
    }

    @Test func onlyAdminsWriteAndBadFieldsAreNamed() async throws {
        let server = try Server(key: ConnectionSecretKey(key: .generate()))
        defer { server.shutdown() }
        let admin = try server.application.keys.create(name: "a", role: .admin).secret
        let viewer = try server.application.keys.create(name: "v", role: .viewer).secret
        #expect(try await server.request("POST", "/api/v1/connections", token: viewer, json: Self.body()).status == 403)
        func field(_ changes: [String: Any?]) async throws -> String? {
            var body = Self.body()
            for (key, value) in changes { body[key] = value }
            let reply = try await server.request("POST", "/api/v1/connections", token: admin, json: body)
            #expect(reply.status == 400, "\(reply.text)")
            return ((reply.object["errors"] as? [[String: Any]])?.first?["field"] as? String) ?? reply.text
        }
        #expect(try await field(["workspaceId": nil]) == "workspaceId")
        #expect(try await field(["clientId": "not-a-guid"]) == "clientId")
        #expect(try await field(["subscriptionId": "x"]) == "subscriptionId")
        #expect(try await field(["armURL": "http://management.example.com"]) == "armURL")
        #expect(try await field(["authorityURL": "ftp://login"]) == "authorityURL")
        #expect(try await field(["resourceGroup": "rg."]) == "resourceGroup")
        #expect(try await field(["colour": "blue"])?.contains("colour") == true)
        #expect(try server.application.connections.list().isEmpty)
        #expect(try await server.request("POST", "/api/v1/connections", token: admin, json: Self.body()).status == 201)
        let twice = try await server.request("POST", "/api/v1/connections", token: admin, json: Self.body(workspace: "LAW-CONTOSO-SENTINEL"))
        #expect(twice.status == 409)
        #expect(try await server.request("DELETE", "/api/v1/connections/cn_nope", token: admin).status == 404)
    }

    @Test func twoConnectionsInTwoTenantsGetClientsWithTheirOwnTokens() async throws {
        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        let contoso = FakeARM.Workspace(tenantId: "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54", subscriptionId: "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63",
                                        resourceGroup: "rg-soc-contoso", workspaceName: "law-contoso-sentinel")
        let fabrikam = FakeARM.Workspace(tenantId: "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", subscriptionId: "11111111-2222-4333-8444-555555555555",
                                         resourceGroup: "rg-soc-contoso", workspaceName: "law-fabrikam")
        cloud.add(contoso, clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: Self.secret)
        cloud.add(fabrikam, clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: Self.secret)
        let key = ConnectionSecretKey(key: .generate())
        let server = try Server(key: key)
        let admin = try server.application.keys.create(name: "a", role: .admin).secret
        var ids: [String] = []
        for workspace in [contoso, fabrikam] {
            let created = try await server.request("POST", "/api/v1/connections", token: admin,
                                                   json: Self.body(tenant: workspace.tenantId, subscription: workspace.subscriptionId, workspace: workspace.workspaceName,
                                                                   arm: cloud.armURL, authority: cloud.authorityURL))
            #expect(created.status == 201, "\(created.text)")
            ids.append(created.object["id"] as? String ?? "")
        }
        let a = cloud.arm.seedIncident(in: contoso, title: "contoso incident")
        let b = cloud.arm.seedIncident(in: fabrikam, title: "fabrikam incident")
        let clientA = try server.application.connections.client(for: ids[0])
        let clientB = try server.application.connections.client(for: ids[1])
        #expect(try clientA.getIncident(a).name == a && (try clientB.listIncidents(modifiedSince: nil)).map(\.name) == [b])
        #expect(cloud.entra.tokensIssued == 2 && cloud.arm.violations.isEmpty)
        #expect(Set(try server.application.connections.connectionIds()) == Set(ids))

        // The poller's bookkeeping shows in the status route.
        let at = Date(timeIntervalSince1970: 1_795_000_100)
        let fabrikamId = ids[1]
        try server.application.database.write { db in
            try ConnectionStore.recordPoll(fabrikamId, cursor: "2025-03-14T05:20:03.2051876Z", at: at, db: db)
            try ConnectionStore.recordError(fabrikamId, "HTTP 403 AuthorizationFailed: no Responder role", at: at, db: db)
            try ConnectionStore.recordThrottled(fabrikamId, until: at.addingTimeInterval(7), db: db)
            try ConnectionStore.recordThrottled(fabrikamId, until: at.addingTimeInterval(9), db: db)
        }
        let status = try await server.request("GET", "/api/v1/connections/\(ids[1])/status", token: admin).object
        #expect(status["pollCursor"] as? String == "2025-03-14T05:20:03.2051876Z" && status["throttleCount"] as? Int == 2)
        #expect(status["lastError"] as? String == "HTTP 403 AuthorizationFailed: no Responder role")
        #expect(status["lastPollAt"] as? String == "2026-11-18T11:08:20Z" && status["throttledUntil"] as? String == "2026-11-18T11:08:29Z")
        #expect(try server.application.connections.connection(subscriptionId: fabrikam.subscriptionId.uppercased(), resourceGroup: "RG-SOC-CONTOSO",
                                                             workspaceName: "LAW-FABRIKAM")?.id == ids[1])

        // After a restart with another key the secret no longer opens: a clear error, never the secret.
        server.shutdown(removing: false)
        let restarted = try Server(key: ConnectionSecretKey(key: .generate()), directory: server.directory)
        defer { restarted.shutdown() }
        #expect(throws: ConnectionUnavailable.self) { _ = try restarted.application.connections.client(for: ids[0]) }
        do { _ = try restarted.application.connections.client(for: ids[0]) } catch { #expect("\(error)".contains("secret key") && !"\(error)".contains(Self.secret)) }
    }
}
