import FakeAzure
import Foundation
import HTTPServer
import OutboundHTTP
import Testing

/// The fake ARM refuses what Azure refuses, so client tests passing against it mean something.
@Suite struct FakeARMTests {
    static let workspace = FakeARM.Workspace(tenantId: "t1", subscriptionId: "sub", resourceGroup: "rg", workspaceName: "ws")

    func setUp() throws -> (FakeAzureCloud, String, String) {
        let cloud = try FakeAzureCloud()
        cloud.add(Self.workspace, clientId: "app", clientSecret: "s")
        let response = try HTTPClient().send(HTTPClientRequest(method: "POST", url: "\(cloud.authorityURL)/t1/oauth2/v2.0/token",
                                                               headers: [("Content-Type", "application/x-www-form-urlencoded")],
                                                               body: Array("client_id=app&client_secret=s&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.azure.com%2F.default".utf8)))
        let token = (try JSONSerialization.jsonObject(with: Data(response.body)) as! [String: Any])["access_token"] as! String
        return (cloud, token, cloud.arm.seedIncident(in: Self.workspace, status: "Active", ownerObjectId: "a7c9e1b3-5d7f-4a9c-b2e4-6f8a0c2e4a61"))
    }

    func send(_ cloud: FakeAzureCloud, _ method: String, _ path: String, token: String?, query: String = "api-version=2025-12-01", body: [String: Any]? = nil) throws -> HTTPClientResponse {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/json")]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try HTTPClient().send(HTTPClientRequest(method: method, url: "\(cloud.armURL)\(path)?\(query)", headers: headers,
                                                       body: body.map { Array(try! JSONSerialization.data(withJSONObject: $0)) } ?? []))
    }

    @Test func specIsLoadedFromTheSharedSwagger() throws {
        let spec = try IncidentsSpec.load()
        #expect(spec.apiVersion == "2025-12-01" && spec.requiredProperties.sorted() == ["severity", "status", "title"])
        #expect(spec.enums["severity"] == ["High", "Medium", "Low", "Informational"] && spec.enums["status"] == ["New", "Active", "Closed"])
        #expect(spec.enums["ownerType"] == ["Unknown", "User", "Group"] && spec.labelTypeReadOnly)
        #expect(spec.readOnlyProperties.isSuperset(of: ["incidentNumber", "lastModifiedTimeUtc", "additionalData", "incidentUrl"]))
        #expect(spec.readOnlyResourceFields.isSuperset(of: ["id", "name", "type"]) && spec.commentRequired == ["message"])
    }

    @Test func refusesMissingTokensWrongVersionsBadPathsAndBadBodies() throws {
        let (cloud, token, name) = try setUp()
        defer { cloud.shutdown() }
        let path = "\(Self.workspace.incidentsPath)/\(name)"
        #expect(try send(cloud, "GET", path, token: nil).status == 401)
        #expect(try send(cloud, "GET", path, token: "forged").text.contains("InvalidAuthenticationToken"))
        #expect(try send(cloud, "GET", path, token: token, query: "api-version=2021-04-01").text.contains("InvalidApiVersionParameter"))
        #expect(try send(cloud, "GET", path, token: token, query: "").status == 400)
        #expect(try send(cloud, "GET", "\(path)/nonsense", token: token).status == 404)
        let etag = cloud.arm.incident(name, in: Self.workspace)!["etag"] as! String
        let good: [String: Any] = ["title": "t", "severity": "High", "status": "Active", "owner": ["objectId": "x"]]
        func put(_ changes: [String: Any?], top: [String: Any] = [:]) throws -> HTTPClientResponse {
            var properties = good
            for (key, value) in changes { properties[key] = value }
            return try send(cloud, "PUT", path, token: token, body: ["etag": etag, "properties": properties].merging(top) { $1 })
        }
        #expect(try put(["title": nil]).status == 400)
        #expect(try put(["severity": "Critical"]).status == 400)
        #expect(try put(["status": "Resolved"]).status == 400)
        #expect(try put(["incidentNumber": 4]).status == 400)
        #expect(try put(["owner": ["objectId": "x", "ownerType": "Robot"]]).status == 400)
        #expect(try put(["labels": [["labelName": "a", "labelType": "User"]]]).status == 400)
        #expect(try put([:], top: ["id": "x"]).status == 400)
        #expect(try put(["status": "Closed"]).status == 400)
        #expect(try put(["status": "Closed", "classification": "TruePositive", "classificationReason": "InaccurateData"]).status == 400)
        #expect(try put(["status": "Closed", "classification": "Undetermined", "classificationReason": "SuspiciousActivity"]).status == 400)
        #expect(cloud.arm.violations.count == 13)
        #expect(try send(cloud, "PUT", "\(path)/comments/c1", token: token, body: ["properties": [:] as [String: Any]]).status == 400)
        #expect(try send(cloud, "PUT", "\(path)/comments/c1", token: token, body: ["properties": ["message": "m", "author": ["name": "me"]]]).status == 400)
        #expect(try send(cloud, "PUT", "\(path)/comments/c1", token: token, body: ["properties": ["message": String(repeating: "y", count: 30_001)]]).status == 400)
        // Valid, then the same etag again: stale.
        #expect(try put(["status": "Closed", "classification": "Undetermined"]).status == 200)
        #expect(try put([:]).status == 409)
        #expect(cloud.arm.requests(.putIncident) == 12 && cloud.arm.requests(.putComment) == 3)
    }

    @Test func faultsCanAimAtOneKindOfRequest() throws {
        let (cloud, token, name) = try setUp()
        defer { cloud.shutdown() }
        let path = "\(Self.workspace.incidentsPath)/\(name)"
        cloud.arm.inject(.status(500), only: .putIncident)
        cloud.arm.inject(.throttle(retryAfter: 3))
        let throttled = try send(cloud, "GET", path, token: token)
        #expect(throttled.status == 429 && throttled.header("Retry-After") == "3" && cloud.arm.pendingFaults == 1)
        #expect(try send(cloud, "GET", path, token: token).status == 200)
        let incident = cloud.arm.incident(name, in: Self.workspace)!
        let body: [String: Any] = ["etag": incident["etag"]!, "properties": ["title": "t", "severity": "High", "status": "Active", "owner": [:] as [String: Any]]]
        #expect(try send(cloud, "PUT", path, token: token, body: body).status == 500)
        #expect(try send(cloud, "PUT", path, token: token, body: body).status == 200 && cloud.arm.pendingFaults == 0)
    }

    @Test func portalChangesBumpTheEtagAndSevenDigitTimestamp() throws {
        let (cloud, _, name) = try setUp()
        defer { cloud.shutdown() }
        let before = cloud.arm.incident(name, in: Self.workspace)!
        cloud.arm.portalEdit(name, in: Self.workspace) {
            $0["status"] = "Closed"
            $0["classification"] = "TruePositive"
            $0["classificationReason"] = "SuspiciousActivity"
        }
        let after = cloud.arm.incident(name, in: Self.workspace)!
        #expect(after["etag"] as? String != before["etag"] as? String)
        let modified = (after["properties"] as! [String: Any])["lastModifiedTimeUtc"] as! String
        #expect(modified.count == "2025-03-14T03:13:42.8801562Z".count && modified > ((before["properties"] as! [String: Any])["lastModifiedTimeUtc"] as! String))
        cloud.arm.portalAssign(name, in: Self.workspace, objectId: "0c2e4a61-b2e4-4a9c-9a7c-6f8a5d7fa7c9")
        cloud.arm.portalSetSeverity(name, in: Self.workspace, "Low")
        let properties = cloud.arm.properties(name, in: Self.workspace)
        #expect((properties["owner"] as? [String: Any])?["objectId"] as? String == "0c2e4a61-b2e4-4a9c-9a7c-6f8a5d7fa7c9")
        #expect(properties["severity"] as? String == "Low" && properties["classification"] as? String == "TruePositive")
        cloud.arm.portalAssign(name, in: Self.workspace, objectId: nil)
        #expect((cloud.arm.properties(name, in: Self.workspace)["owner"] as? [String: Any])?["objectId"] is NSNull)
        cloud.arm.portalAddComment(name, in: Self.workspace, message: "closed by the SOC")
        #expect(cloud.arm.comments(name, in: Self.workspace).map(\.message) == ["closed by the SOC"])
    }
}
