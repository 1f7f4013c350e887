import FakeAzure
import Foundation
import OutboundHTTP
@testable import Sentinel
import Testing

/// The ARM client against the fake ARM + Entra on loopback (acceptance 1): every request it makes
/// is checked against the saved spec, and the fake's violations must stay empty.
@Suite struct SentinelClientTests {
    @Test func nextLinksAreFollowedOnlyBackToTheSameARM() {
        #expect(SentinelClient.sameOrigin("https://management.azure.com/subscriptions/x/incidents?%24skipToken=a", "https://management.azure.com"))
        #expect(SentinelClient.sameOrigin("http://127.0.0.1:4000/usgov/x", "http://127.0.0.1:4000/usgov"))
        #expect(!SentinelClient.sameOrigin("https://evil.example/subscriptions/x", "https://management.azure.com"))
        #expect(!SentinelClient.sameOrigin("http://127.0.0.1:4001/x", "http://127.0.0.1:4000"))
        #expect(!SentinelClient.sameOrigin("http://management.azure.com/x", "https://management.azure.com"))
    }

    static let workspace = FakeARM.Workspace(tenantId: "5b3c8f2e-9d41-4a7c-b6e2-1f0a9c3d7e54", subscriptionId: "3f1a6c2d-8b47-4e9a-a5d1-7c2e9b0f4a63",
                                            resourceGroup: "rg-soc-contoso", workspaceName: "law-contoso-sentinel")
    static let alex = "a7c9e1b3-5d7f-4a9c-b2e4-6f8a0c2e4a61"
    static let sam = "0c2e4a61-b2e4-4a9c-9a7c-6f8a5d7fa7c9"

    struct Harness {
        let cloud: FakeAzureCloud
        let client: SentinelClient
        let tokens: TokenCache
    }

    static func harness(armPath: String = "", authorityPath: String = "", timeout: TimeInterval = 5) throws -> Harness {
        let cloud = try FakeAzureCloud(armPath: armPath, authorityPath: authorityPath)
        cloud.add(workspace, clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: "s3cret-value")
        let http = HTTPClient()
        let tokens = TokenCache(http: http)
        let credentials = ClientCredentials(authorityURL: cloud.authorityURL, tenantId: workspace.tenantId,
                                            clientId: "0e4c6a8f-2b4d-4e6f-8a0c-2e4a6c8e0a41", clientSecret: "s3cret-value", armURL: cloud.armURL)
        let client = SentinelClient(workspace: ARMWorkspace(armURL: cloud.armURL, subscriptionId: workspace.subscriptionId,
                                                            resourceGroup: workspace.resourceGroup, workspaceName: workspace.workspaceName),
                                    credentials: credentials, tokens: tokens, http: http, timeout: timeout)
        return Harness(cloud: cloud, client: client, tokens: tokens)
    }

    @Test func readsTheFixtureIncidentAndAcknowledgesKeepingEveryWritableField() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        h.cloud.arm.seed(try FakeAzureCloud.fixture("arm-incident-get.json"), in: Self.workspace)
        let read = try h.client.getIncident("8c1f4a2e-6b3d-4f7a-9e2c-5d8b1a4f7c30")
        #expect(read.etag == "\"2d0019e7-0000-0d00-0000-67d39ee60000\"" && read.status == "Active" && read.ownerObjectId == Self.alex)

        let written = try h.client.update(read.name, IncidentWrite(ownerObjectId: Self.sam, status: "Active", addLabels: ["watchkeeper-paged"]))
        #expect(written.etag != read.etag && written.ownerObjectId == Self.sam)
        let stored = h.cloud.arm.properties(read.name, in: Self.workspace)
        #expect(stored["title"] as? String == "Multi-stage: impossible travel then encoded PowerShell on WS-FIN-042")
        #expect((stored["description"] as? String)?.hasPrefix("Correlated alerts") == true)
        #expect((stored["labels"] as? [[String: Any]])?.compactMap { $0["labelName"] as? String } == ["finance-dept", "watchkeeper-paged"])
        #expect(stored["firstActivityTimeUtc"] as? String == "2025-03-14T02:31:07.113Z")
        #expect(h.cloud.arm.violations.isEmpty, "\(h.cloud.arm.violations)")
    }

    @Test func severityAndStatusChangesNeverDropTheOwner() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace, severity: "Low", status: "Active", ownerObjectId: Self.alex)
        _ = try h.client.update(name, IncidentWrite(severity: "High"))
        _ = try h.client.update(name, IncidentWrite(status: "Closed", classification: .falsePositiveInaccurateData, classificationComment: "bad feed"))
        let stored = h.cloud.arm.properties(name, in: Self.workspace)
        #expect((stored["owner"] as? [String: Any])?["objectId"] as? String == Self.alex)
        #expect(stored["severity"] as? String == "High" && stored["status"] as? String == "Closed")
        #expect(stored["classification"] as? String == "FalsePositive" && stored["classificationReason"] as? String == "InaccurateData")
        // An unassigned incident stays unassigned, and that is not a violation either.
        let free = h.cloud.arm.seedIncident(in: Self.workspace)
        _ = try h.client.update(free, IncidentWrite(severity: "Medium"))
        #expect((h.cloud.arm.properties(free, in: Self.workspace)["owner"] as? [String: Any])?["objectId"] is NSNull)
        #expect(h.cloud.arm.violations.isEmpty, "\(h.cloud.arm.violations)")
    }

    @Test func aPutWithoutOwnerUnassignsAndTheFakeRecordsIt() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace, ownerObjectId: Self.alex)
        let current = try h.client.getIncident(name)
        var body = IncidentPutBody.make(current: current.object, applying: IncidentWrite(severity: "Low"))
        var properties = body["properties"] as! [String: Any]
        properties["owner"] = nil
        body["properties"] = properties
        _ = try h.client.putIncident(name, body: body)
        #expect((h.cloud.arm.properties(name, in: Self.workspace)["owner"] as? [String: Any])?["objectId"] is NSNull)
        #expect(h.cloud.arm.violations.contains { $0.contains("no owner") })
    }

    @Test func aStaleEtagIsAConflictAndUpdateReReadsAndReapplies() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace, severity: "Medium", status: "New")
        let stale = try h.client.getIncident(name)
        h.cloud.arm.portalEdit(name, in: Self.workspace) { $0["severity"] = "High" }
        #expect(throws: AzureError.conflict(code: "Conflict", message: "Newer version of resource '\(name)' exists. Data was not saved")) {
            _ = try h.client.putIncident(name, body: IncidentPutBody.make(current: stale.object, applying: IncidentWrite(status: "Active")))
        }
        // update: the portal changes it once more between our GET and PUT? It re-reads and wins.
        let written = try h.client.update(name, IncidentWrite(ownerObjectId: Self.alex, status: "Active"))
        #expect(written.status == "Active" && written.severity == "High" && written.ownerObjectId == Self.alex)
        #expect(h.cloud.arm.requests(.putIncident) == 2)
        #expect(h.cloud.arm.violations.isEmpty, "\(h.cloud.arm.violations)")
    }

    @Test func throttlingIsSurfacedWithRetryAfterAndServerErrorsAreTemporary() throws {
        let h = try Self.harness(timeout: 0.5)
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace)
        h.cloud.arm.inject(.throttle(retryAfter: 7))
        do {
            _ = try h.client.getIncident(name)
            Issue.record("expected throttling")
        } catch {
            guard case .throttled(let retryAfter, let code, _) = error else { Issue.record("\(error)"); return }
            #expect(retryAfter == 7 && code == "SubscriptionRequestsThrottled")
        }
        h.cloud.arm.inject(.status(503))
        #expect { _ = try h.client.getIncident(name) } throws: { ($0 as? AzureError)?.isRetryable == true && "\($0)".contains("503") }
        h.cloud.arm.inject(.stall(seconds: 1.5))
        #expect(throws: AzureError.temporary("timed out")) { _ = try h.client.getIncident(name) }
        #expect(throws: AzureError.permanent(status: 404, code: "NotFound", message: "Incident 'nope' was not found.")) { _ = try h.client.getIncident("nope") }
        #expect(try h.client.getIncident(name).name == name)
    }

    @Test func closingWithAnInvalidPairIsAPermanentErrorWithArmsCode() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace, status: "Active", ownerObjectId: Self.alex)
        let current = try h.client.getIncident(name)
        var body = IncidentPutBody.make(current: current.object, applying: IncidentWrite(status: "Closed", classification: .benignPositiveSuspiciousButExpected))
        var properties = body["properties"] as! [String: Any]
        properties["classificationReason"] = nil
        body["properties"] = properties
        #expect(throws: AzureError.permanent(status: 400, code: "BadRequest", message: "classification 'BenignPositive' must have classificationReason.")) {
            _ = try h.client.putIncident(name, body: body)
        }
        for pair in ClosingClassification.allCases {
            let other = h.cloud.arm.seedIncident(in: Self.workspace, status: "Active")
            let closed = try h.client.update(other, IncidentWrite(status: "Closed", classification: pair))
            #expect(closed.classification == pair.classification && closed.classificationReason == pair.reason)
        }
    }

    @Test func anExpiredTokenIsRefreshedOnceOn401() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace)
        _ = try h.client.getIncident(name)
        #expect(h.tokens.fetches == 1)
        _ = try h.client.getIncident(name)
        #expect(h.tokens.fetches == 1)
        h.cloud.entra.revokeAllTokens()
        _ = try h.client.getIncident(name)
        #expect(h.tokens.fetches == 2 && h.cloud.arm.requests(.getIncident) == 4)
    }

    @Test func aWrongSecretIsPermanentAndNeverEchoed() throws {
        let cloud = try FakeAzureCloud()
        defer { cloud.shutdown() }
        cloud.add(Self.workspace, clientId: "app", clientSecret: "right")
        let credentials = ClientCredentials(authorityURL: cloud.authorityURL, tenantId: Self.workspace.tenantId, clientId: "app",
                                            clientSecret: "wrong-secret-value", armURL: cloud.armURL)
        let client = SentinelClient(workspace: ARMWorkspace(armURL: cloud.armURL, subscriptionId: Self.workspace.subscriptionId,
                                                            resourceGroup: Self.workspace.resourceGroup, workspaceName: Self.workspace.workspaceName),
                                    credentials: credentials, tokens: TokenCache(http: HTTPClient()), http: HTTPClient())
        do {
            _ = try client.getIncident("x")
            Issue.record("expected a refusal")
        } catch {
            guard case .permanent(401, "invalid_client", let message) = error else { Issue.record("\(error)"); return }
            #expect(message.contains("AADSTS7000215") && !"\(error)".contains("wrong-secret-value"))
        }
        #expect(!"\(credentials)".contains("wrong-secret-value"))
    }

    @Test func listingFollowsEveryNextLinkInLastModifiedOrder() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let base = Date(timeIntervalSince1970: 1_741_921_200)
        let ticks = ManualClock(base)
        h.cloud.arm.setClock { ticks.now }
        h.cloud.arm.setMaximumPageSize(3)
        var names: [String] = []
        for index in 0..<8 {
            ticks.advance(60)
            names.append(h.cloud.arm.seedIncident(in: Self.workspace, title: "incident \(index)"))
        }
        let all = try h.client.listIncidents(modifiedSince: nil, top: 1000)
        #expect(all.map(\.name) == names)
        #expect(h.cloud.arm.requests(.listIncidents) == 3)
        // Since the fourth incident's minute: the filter is `ge`, so the fourth is included.
        let since = try h.client.listIncidents(modifiedSince: base.addingTimeInterval(240), top: 2)
        #expect(since.map(\.name) == Array(names[3...]))
        #expect(since.allSatisfy { ($0.lastModifiedTimeUtc?.split(separator: ".").last?.count ?? 0) == 8 })
        #expect(h.cloud.arm.violations.isEmpty, "\(h.cloud.arm.violations)")
    }

    @Test func listsTheFixturePages() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        for page in ["arm-incidents-list-page1.json", "arm-incidents-list-page2.json"] {
            for incident in try FakeAzureCloud.fixture(page)["value"] as! [[String: Any]] { h.cloud.arm.seed(incident, in: Self.workspace) }
        }
        h.cloud.arm.setMaximumPageSize(1)
        let since = try h.client.listIncidents(modifiedSince: ISO8601DateFormatter().date(from: "2025-03-14T03:10:00Z"), top: 2)
        #expect(since.count >= 3 && since.first?.name == "8c1f4a2e-6b3d-4f7a-9e2c-5d8b1a4f7c30")
        #expect(zip(since, since.dropFirst()).allSatisfy { ($0.lastModifiedTimeUtc ?? "") <= ($1.lastModifiedTimeUtc ?? "") })
    }

    @Test func commentsUseOurIdsSoARetryUpdatesInsteadOfDuplicating() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let name = h.cloud.arm.seedIncident(in: Self.workspace)
        let id = CommentID.make(from: "outbox-message-42")
        #expect(try h.client.putComment(incidentName: name, commentId: id, message: "Acknowledged by Alex via SMS") == 201)
        #expect(try h.client.putComment(incidentName: name, commentId: id, message: "Acknowledged by Alex via SMS") == 200)
        #expect(h.cloud.arm.comments(name, in: Self.workspace) == [FakeARM.Comment(id: id, message: "Acknowledged by Alex via SMS")])
        // A timeline longer than ARM's limit is cut to fit rather than refused.
        _ = try h.client.putComment(incidentName: name, commentId: CommentID.make(from: "long"), message: String(repeating: "x", count: 40_000))
        #expect(h.cloud.arm.comments(name, in: Self.workspace).last?.message.utf16.count == 30_000)
        for index in 2..<100 { _ = try h.client.putComment(incidentName: name, commentId: CommentID.make(from: "c\(index)"), message: "note \(index)") }
        #expect(throws: AzureError.permanent(status: 400, code: "BadRequest", message: "An incident cannot have more than 100 comments.")) {
            try h.client.putComment(incidentName: name, commentId: CommentID.make(from: "one too many"), message: "x")
        }
        #expect(h.cloud.arm.comments(name, in: Self.workspace).count == 100)
    }

    @Test func theBodiesMatchTheContractFixtures() throws {
        let current = try FakeAzureCloud.fixture("arm-incident-get.json")
        let close = IncidentPutBody.make(current: current, applying: IncidentWrite(
            status: "Closed", classification: .truePositiveSuspiciousActivity,
            classificationComment: "Resolved in Watchkeeper by Alex Morgan: account disabled, host isolated.", addLabels: ["watchkeeper-paged"]))
        #expect(NSDictionary(dictionary: close) == NSDictionary(dictionary: try FakeAzureCloud.fixture("arm-incident-put-close.request.json")))
        let acknowledge = try FakeAzureCloud.fixture("arm-incident-put-acknowledge.request.json")
        var unowned = current
        var properties = unowned["properties"] as! [String: Any]
        properties["owner"] = ["objectId": NSNull(), "email": NSNull(), "assignedTo": NSNull(), "userPrincipalName": NSNull()]
        properties["labels"] = []
        unowned["properties"] = properties
        unowned["etag"] = acknowledge["etag"]
        let made = IncidentPutBody.make(current: unowned, applying: IncidentWrite(ownerObjectId: Self.alex, status: "Active", addLabels: ["watchkeeper-paged"]))
        #expect(NSDictionary(dictionary: made) == NSDictionary(dictionary: acknowledge))
        #expect(!String(reflecting: ClientCredentials(tenantId: "t", clientId: "c", clientSecret: "hunter2")).contains("hunter2"))
    }

    @Test func commentIdsAreRFC9562UUIDv5() {
        let dns: [UInt8] = [0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
        #expect(CommentID.uuid5(namespace: dns, name: "python.org") == "886313e1-3b8a-5372-9b90-0c9aee199e5d")
        #expect(CommentID.make(from: "a") == CommentID.make(from: "a") && CommentID.make(from: "a") != CommentID.make(from: "b"))
    }

    @Test func aSovereignCloudGetsTokensForItsOwnArm() throws {
        let h = try Self.harness(armPath: "/usgov-arm", authorityPath: "/login-usgov")
        defer { h.cloud.shutdown() }
        #expect(h.client.credentials.scope == "\(h.cloud.armURL)/.default" && h.cloud.armURL.hasSuffix("/usgov-arm"))
        let name = h.cloud.arm.seedIncident(in: Self.workspace)
        _ = try h.client.update(name, IncidentWrite(status: "Active"))
        #expect(h.cloud.arm.properties(name, in: Self.workspace)["status"] as? String == "Active")
        #expect(h.cloud.arm.violations.isEmpty, "\(h.cloud.arm.violations)")
    }

    @Test func aTokenOfAnotherTenantIsRefused() throws {
        let h = try Self.harness()
        defer { h.cloud.shutdown() }
        let other = FakeARM.Workspace(tenantId: "other-tenant", subscriptionId: "sub-2", resourceGroup: "rg", workspaceName: "ws")
        h.cloud.arm.addWorkspace(other)
        let name = h.cloud.arm.seedIncident(in: other)
        let wrong = SentinelClient(workspace: ARMWorkspace(armURL: h.cloud.armURL, subscriptionId: "sub-2", resourceGroup: "rg", workspaceName: "ws"),
                                   credentials: h.client.credentials, tokens: h.tokens, http: HTTPClient())
        #expect { _ = try wrong.getIncident(name) } throws: { "\($0)".contains("InvalidAuthenticationTokenTenant") }
    }
}

/// A settable clock for the fake's lastModifiedTimeUtc.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    var now: Date { lock.lock(); defer { lock.unlock() }; return date }
    func advance(_ seconds: TimeInterval) { lock.lock(); date += seconds; lock.unlock() }
}
