import Foundation
import HTTPServer

/// Azure Resource Manager's Microsoft Sentinel incidents API on loopback, strict like Azure and
/// stricter than Azure where our client must never go: every request is checked against the
/// saved 2025-12-01 spec (`IncidentsSpec`) and anything our client should never send lands in
/// `violations`. Incidents live per workspace; bearer tokens must come from the `FakeEntraID`
/// for that workspace's tenant.
///
/// Behaves like Azure: the etag changes on every write and a stale one gets 409; PUT replaces
/// (no owner ⇒ unassigned, recorded as a violation); comment ids are chosen by the caller (same
/// id ⇒ 200 update, new ⇒ 201, more than 100 ⇒ 400); the list filters on lastModifiedTimeUtc,
/// orders ascending and pages with `nextLink` + `$skipToken`.
public final class FakeARM: @unchecked Sendable {
    public struct Workspace: Sendable, Hashable {
        public var tenantId: String
        public var subscriptionId: String
        public var resourceGroup: String
        public var workspaceName: String
        public init(tenantId: String, subscriptionId: String, resourceGroup: String, workspaceName: String) {
            self.tenantId = tenantId
            self.subscriptionId = subscriptionId
            self.resourceGroup = resourceGroup
            self.workspaceName = workspaceName
        }
        var key: String { "\(subscriptionId)/\(resourceGroup)/\(workspaceName)".lowercased() }
        /// The ARM id prefix of this workspace's incidents (live payloads spell it `Incidents`).
        public var incidentsPath: String {
            "/subscriptions/\(subscriptionId)/resourceGroups/\(resourceGroup)/providers/Microsoft.OperationalInsights/workspaces/\(workspaceName)/providers/Microsoft.SecurityInsights/Incidents"
        }
    }

    public enum RequestKind: String, Sendable, CaseIterable {
        case listIncidents, getIncident, putIncident, putComment, other
    }

    /// What the next requests get instead of an answer (each fault is used once, in order).
    public enum Fault: Sendable {
        /// 429 with `Retry-After: seconds` and ARM's SubscriptionRequestsThrottled body.
        case throttle(retryAfter: Int)
        /// This status (500, 503, …) with an ARM error body.
        case status(Int)
        /// Waits this long before answering 504, so the client's timeout fires first.
        case stall(seconds: Double)
    }

    public struct Comment: Sendable, Equatable {
        public var id: String
        public var message: String
        public init(id: String, message: String) { self.id = id; self.message = message }
    }

    private struct StoredIncident {
        var object: [String: Any]
        var modified: Int64
        var comments: [Comment] = []
    }

    private let lock = NSLock()
    private var workspaces: [String: Workspace] = [:]
    private var incidents: [String: [String: StoredIncident]] = [:]
    private var faults: [(fault: Fault, kind: RequestKind?)] = []
    private var counts: [RequestKind: Int] = [:]
    private var violationList: [String] = []
    private var users: [String: (name: String, email: String)] = [:]
    private var lastTick: Int64 = 0
    private var clock: @Sendable () -> Date = { Date() }
    private var maximumPageSize = 50
    private var etagCounter = 0

    public let spec: IncidentsSpec
    public let entra: FakeEntraID
    /// Path prefix the API is served under ("" for the root; "/usgov" to look like another cloud).
    public let pathPrefix: String

    public init(entra: FakeEntraID, spec: IncidentsSpec, pathPrefix: String = "") {
        self.entra = entra
        self.spec = spec
        self.pathPrefix = pathPrefix
    }

    // MARK: Test controls

    public func addWorkspace(_ workspace: Workspace) {
        locked { workspaces[workspace.key] = workspace; if incidents[workspace.key] == nil { incidents[workspace.key] = [:] } }
    }

    /// Sentinel fills owner email/UPN/display name from the directory; unknown ids get a made-up name.
    public func addUser(objectId: String, name: String, email: String) { locked { users[objectId.lowercased()] = (name, email) } }

    /// The clock behind lastModifiedTimeUtc (always strictly increasing, 100 ns ticks).
    public func setClock(_ clock: @escaping @Sendable () -> Date) { locked { self.clock = clock } }

    /// Pages never hold more than this many incidents, whatever `$top` says (Azure's pages are short).
    public func setMaximumPageSize(_ size: Int) { locked { maximumPageSize = max(1, size) } }

    /// The next `count` requests (of `kind` only, when given) get `fault`; faults queue in order.
    public func inject(_ fault: Fault, count: Int = 1, only kind: RequestKind? = nil) {
        locked { faults += Array(repeating: (fault, kind), count: count) }
    }

    /// Faults injected but not used yet.
    public var pendingFaults: Int { locked { faults.count } }
    /// Drops the faults no request has used (one injected for a PUT that never came).
    public func clearFaults() { locked { faults.removeAll() } }

    /// Stores an incident as given (an ARM incident object, e.g. a fixture), under its `name`, with
    /// the workspace's ARM id; keeps its etag and lastModifiedTimeUtc when it has them.
    public func seed(_ incident: [String: Any], in workspace: Workspace) {
        locked {
            var object = incident
            let name = object["name"] as? String ?? UUID().uuidString.lowercased()
            object["name"] = name
            object["id"] = "\(workspace.incidentsPath)/\(name)"
            object["type"] = "Microsoft.SecurityInsights/Incidents"
            if object["etag"] == nil { object["etag"] = nextETag() }
            var properties = object["properties"] as? [String: Any] ?? [:]
            let modified: Int64
            if let text = properties["lastModifiedTimeUtc"] as? String, let ticks = Self.ticks(text) {
                modified = ticks
            } else {
                modified = nextTick()
                properties["lastModifiedTimeUtc"] = Self.format(ticks: modified)
            }
            object["properties"] = properties
            incidents[workspace.key, default: [:]][name.lowercased()] = StoredIncident(object: object, modified: modified)
        }
    }

    /// A new incident with sensible defaults, for tests that do not care about the details.
    @discardableResult
    public func seedIncident(in workspace: Workspace, name: String = UUID().uuidString.lowercased(), title: String = "Suspicious sign-in",
                             severity: String = "High", status: String = "New", ownerObjectId: String? = nil) -> String {
        var properties: [String: Any] = [
            "title": title, "description": "Seeded by the fake ARM.", "severity": severity, "status": status,
            "labels": [["labelName": "seeded", "labelType": "User"]],
            "firstActivityTimeUtc": "2025-03-14T02:31:07.113Z", "lastActivityTimeUtc": "2025-03-14T02:52:40Z",
            "createdTimeUtc": "2025-03-14T02:58:11.4213367Z", "incidentNumber": Int.random(in: 1...99_999),
            "additionalData": ["alertsCount": 1, "bookmarksCount": 0, "commentsCount": 0, "alertProductNames": ["Azure Sentinel"], "tactics": []],
            "providerName": "Azure Sentinel",
        ]
        properties["owner"] = ownerObjectId.map { ["objectId": $0] as [String: Any] } ?? ["objectId": NSNull(), "email": NSNull(), "assignedTo": NSNull(), "userPrincipalName": NSNull()]
        seed(["name": name, "properties": properties], in: workspace)
        if let ownerObjectId { portalEdit(name, in: workspace) { $0["owner"] = ["objectId": ownerObjectId] } }
        return name
    }

    /// A change made "in the portal": edits the incident's properties (owner as `{objectId}` is
    /// filled in like Azure does), then bumps the etag and lastModifiedTimeUtc.
    public func portalEdit(_ name: String, in workspace: Workspace, _ edit: (inout [String: Any]) -> Void) {
        locked {
            guard var stored = incidents[workspace.key]?[name.lowercased()] else { return }
            var properties = stored.object["properties"] as? [String: Any] ?? [:]
            let previous = properties["owner"] as? [String: Any]
            edit(&properties)
            if let owner = properties["owner"] as? [String: Any] { properties["owner"] = filledOwner(owner, previous: previous) }
            stored.object["properties"] = properties
            touch(&stored)
            incidents[workspace.key]?[name.lowercased()] = stored
        }
    }

    /// The portal's "assign to": an object id, or nil to unassign.
    public func portalAssign(_ name: String, in workspace: Workspace, objectId: String?) {
        portalEdit(name, in: workspace) { $0["owner"] = objectId.map { ["objectId": $0] as [String: Any] } ?? [:] }
    }

    /// Closed in the portal with a classification pair (reason nil for Undetermined) and comment.
    public func portalClose(_ name: String, in workspace: Workspace, classification: String, reason: String?, comment: String? = nil) {
        portalEdit(name, in: workspace) {
            $0["status"] = "Closed"
            $0["classification"] = classification
            $0["classificationReason"] = reason
            $0["classificationComment"] = comment
        }
    }

    /// Reopened (status New or Active); the classification stays, as Sentinel does not promise to clear it.
    public func portalSetStatus(_ name: String, in workspace: Workspace, _ status: String) {
        portalEdit(name, in: workspace) { $0["status"] = status }
    }

    public func portalSetSeverity(_ name: String, in workspace: Workspace, _ severity: String) {
        portalEdit(name, in: workspace) { $0["severity"] = severity }
    }

    /// A comment written in the portal (a new id).
    public func portalAddComment(_ name: String, in workspace: Workspace, message: String) {
        locked {
            guard var stored = incidents[workspace.key]?[name.lowercased()] else { return }
            stored.comments.append(Comment(id: UUID().uuidString.lowercased(), message: message))
            setCommentsCount(&stored)
            incidents[workspace.key]?[name.lowercased()] = stored
        }
    }

    /// The incident as ARM holds it now (a copy).
    public func incident(_ name: String, in workspace: Workspace) -> [String: Any]? {
        locked { incidents[workspace.key]?[name.lowercased()]?.object }
    }

    public func properties(_ name: String, in workspace: Workspace) -> [String: Any] {
        incident(name, in: workspace)?["properties"] as? [String: Any] ?? [:]
    }

    public func comments(_ name: String, in workspace: Workspace) -> [Comment] {
        locked { incidents[workspace.key]?[name.lowercased()]?.comments ?? [] }
    }

    public func requests(_ kind: RequestKind) -> Int { locked { counts[kind, default: 0] } }

    /// Every request our client should never have sent, in order; tests assert it stays empty.
    public var violations: [String] { locked { violationList } }

    // MARK: Serving

    /// Answers every path under `pathPrefix` (as the router's fallback, so the token endpoint's
    /// own route keeps priority).
    public func register(on router: inout Router) {
        router.fallback { [self] request, _ in handle(request) }
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.path.hasPrefix(pathPrefix + "/") else {
            return violation("\(request.method) \(request.path): outside the ARM base path", 404, "NotFound", "The requested path was not found.")
        }
        let path = String(request.path.dropFirst(pathPrefix.count))
        let route = spec.match(path)
        let kind = Self.kind(request.method, route?.template)
        let fault: Fault? = locked {
            counts[kind, default: 0] += 1
            guard let index = faults.firstIndex(where: { $0.kind == nil || $0.kind == kind }) else { return nil }
            return faults.remove(at: index).fault
        }
        switch fault {
        case .throttle(let seconds)?:
            var response = Self.error(429, "SubscriptionRequestsThrottled", "Number of 'read' requests for subscription '\(route?.parameters["subscriptionId"] ?? "")' actor 'fake' exceeded. Please try again after '\(seconds)' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.")
            response.headers["Retry-After"] = String(seconds)
            return response
        case .status(let status)?:
            return Self.error(status, status == 503 ? "ServiceUnavailable" : "InternalServerError", "The service is temporarily unavailable. Please retry.")
        case .stall(let seconds)?:
            Thread.sleep(forTimeInterval: seconds)
            return Self.error(504, "GatewayTimeout", "The gateway did not receive a response in time.")
        case nil: break
        }
        guard let route else {
            return violation("\(request.method) \(path): no such path in the incidents spec", 404, "NotFound", "The requested path was not found.")
        }
        guard let version = request.query("api-version") else {
            return violation("\(request.method) \(path): no api-version", 400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.")
        }
        guard version == spec.apiVersion else {
            return violation("\(request.method) \(path): api-version \(version)", 400, "InvalidApiVersionParameter", "The api-version '\(version)' is invalid. The supported versions are '\(spec.apiVersion)'.")
        }
        let parameters = route.parameters
        let key = "\(parameters["subscriptionId"] ?? "")/\(parameters["resourceGroupName"] ?? "")/\(parameters["workspaceName"] ?? "")".lowercased()
        guard let workspace = locked({ workspaces[key] }) else {
            return violation("\(request.method) \(path): unknown workspace", 404, "ResourceNotFound", "The Resource 'Microsoft.OperationalInsights/workspaces/\(parameters["workspaceName"] ?? "")' under resource group '\(parameters["resourceGroupName"] ?? "")' was not found.")
        }
        let authorization = request.headers["Authorization"] ?? ""
        guard authorization.hasPrefix("Bearer "), let tenant = entra.tenant(ofToken: String(authorization.dropFirst(7))) else {
            return Self.error(401, "InvalidAuthenticationToken", "The access token is invalid.")
        }
        guard tenant == workspace.tenantId else {
            return violation("\(request.method) \(path): token of tenant \(tenant) for a workspace of tenant \(workspace.tenantId)", 401,
                             "InvalidAuthenticationTokenTenant", "The access token is from the wrong issuer. It must match the tenant associated with this subscription.")
        }
        switch (request.method, kind) {
        case (.get, .listIncidents): return list(request, workspace, path)
        case (.get, .getIncident): return get(parameters["incidentId"] ?? "", workspace)
        case (.put, .putIncident): return put(parameters["incidentId"] ?? "", workspace, request.body)
        case (.put, .putComment): return putComment(parameters["incidentId"] ?? "", parameters["incidentCommentId"] ?? "", workspace, request.body)
        default:
            return violation("\(request.method) \(path): not an operation Watchkeeper uses", 405, "MethodNotAllowed", "The fake ARM does not serve this operation.")
        }
    }

    private static func kind(_ method: HTTPMethod, _ template: String?) -> RequestKind {
        guard let template else { return .other }
        switch (method, template) {
        case (.get, _) where template.hasSuffix("/incidents"): return .listIncidents
        case (.get, _) where template.hasSuffix("/incidents/{incidentId}"): return .getIncident
        case (.put, _) where template.hasSuffix("/incidents/{incidentId}"): return .putIncident
        case (.put, _) where template.hasSuffix("/comments/{incidentCommentId}"): return .putComment
        default: return .other
        }
    }

    private func get(_ name: String, _ workspace: Workspace) -> HTTPResponse {
        guard let object = incident(name, in: workspace) else {
            return Self.error(404, "NotFound", "Incident '\(name)' was not found.")
        }
        return Self.json(200, object)
    }

    private func list(_ request: HTTPRequest, _ workspace: Workspace, _ path: String) -> HTTPResponse {
        var since: Int64?
        if let filter = request.query("$filter") {
            let prefix = "properties/lastModifiedTimeUtc ge "
            guard filter.hasPrefix(prefix), let ticks = Self.ticks(String(filter.dropFirst(prefix.count))) else {
                return violation("GET \(path): $filter \(filter)", 400, "BadRequest", "Invalid $filter '\(filter)'.")
            }
            since = ticks
        }
        if let order = request.query("$orderby"), order != "properties/lastModifiedTimeUtc asc" {
            return violation("GET \(path): $orderby \(order)", 400, "BadRequest", "Invalid $orderby '\(order)'.")
        }
        var top = 50
        if let text = request.query("$top") {
            guard let value = Int(text), (1...1000).contains(value) else {
                return violation("GET \(path): $top \(text)", 400, "BadRequest", "$top must be between 1 and 1000.")
            }
            top = value
        }
        var offset = 0
        if let token = request.query("$skipToken") {
            guard let data = Data(base64Encoded: token), let value = Int(String(decoding: data, as: UTF8.self)) else {
                return violation("GET \(path): $skipToken \(token)", 400, "BadRequest", "Invalid $skipToken.")
            }
            offset = value
        }
        let (page, more): ([[String: Any]], Bool) = locked {
            let matching = (incidents[workspace.key] ?? [:]).values
                .filter { since == nil || $0.modified >= since! }
                .sorted { ($0.modified, $0.object["name"] as? String ?? "") < ($1.modified, $1.object["name"] as? String ?? "") }
            let size = min(top, maximumPageSize)
            let slice = matching.dropFirst(offset).prefix(size)
            return (slice.map(\.object), offset + slice.count < matching.count)
        }
        var body: [String: Any] = ["value": page]
        if more {
            let host = request.headers["Host"] ?? "127.0.0.1"
            var items = request.queryItems.filter { $0.name != "$skipToken" }
            items.append(("$skipToken", Data(String(offset + page.count).utf8).base64EncodedString()))
            let query = items.map { "\(Self.encode($0.name))=\(Self.encode($0.value))" }.joined(separator: "&")
            body["nextLink"] = "http://\(host)\(pathPrefix)\(path)?\(query)"
        }
        return Self.json(200, body)
    }

    private func put(_ name: String, _ workspace: Workspace, _ bytes: [UInt8]) -> HTTPResponse {
        guard let body = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return violation("PUT incident \(name): body is not a JSON object", 400, "BadRequest", "The request content was invalid and could not be deserialized.")
        }
        for field in body.keys where field != "etag" && field != "properties" {
            let why = spec.readOnlyResourceFields.contains(field) ? "read-only" : "unknown"
            return violation("PUT incident \(name): \(why) field \(field)", 400, "BadRequest", "Could not find member '\(field)' on object of type 'Incident'.")
        }
        var properties = body["properties"] as? [String: Any] ?? [:]
        properties = properties.filter { !($0.value is NSNull) }
        for field in spec.requiredProperties where properties[field] == nil {
            return violation("PUT incident \(name): required property \(field) missing", 400, "BadRequest", "The \(field) field is required.")
        }
        for field in properties.keys where spec.readOnlyProperties.contains(field) {
            return violation("PUT incident \(name): read-only property \(field) sent", 400, "BadRequest", "Property '\(field)' is read-only.")
        }
        for field in ["severity", "status", "classification", "classificationReason"] {
            if let value = properties[field], !(spec.enums[field] ?? []).contains(value as? String ?? "\u{0}") {
                return violation("PUT incident \(name): \(field) \(value)", 400, "BadRequest", "Error converting value \"\(value)\" to type '\(field)'.")
            }
        }
        if let owner = properties["owner"] {
            guard let owner = owner as? [String: Any] else {
                return violation("PUT incident \(name): owner is not an object", 400, "BadRequest", "owner must be an object.")
            }
            if let type = owner["ownerType"] as? String, !(spec.enums["ownerType"] ?? []).contains(type) {
                return violation("PUT incident \(name): ownerType \(type)", 400, "BadRequest", "Error converting value \"\(type)\" to type 'OwnerType'.")
            }
        }
        if let labels = properties["labels"] {
            guard let labels = labels as? [[String: Any]], labels.allSatisfy({ $0["labelName"] is String }) else {
                return violation("PUT incident \(name): labels without labelName", 400, "BadRequest", "The labelName field is required.")
            }
            if spec.labelTypeReadOnly, labels.contains(where: { $0["labelType"] != nil }) {
                return violation("PUT incident \(name): read-only labelType sent", 400, "BadRequest", "Property 'labelType' is read-only.")
            }
        }
        if properties["status"] as? String == "Closed" {
            let classification = properties["classification"] as? String
            let reason = properties["classificationReason"] as? String
            guard let classification else {
                return violation("PUT incident \(name): Closed without classification", 400, "BadRequest", "Closing an incident requires a classification.")
            }
            let pairs: Set<String> = ["TruePositive/SuspiciousActivity", "BenignPositive/SuspiciousButExpected", "FalsePositive/IncorrectAlertLogic",
                                      "FalsePositive/InaccurateData", "Undetermined/"]
            guard pairs.contains("\(classification)/\(reason ?? "")") else {
                return violation("PUT incident \(name): classification \(classification) with reason \(reason ?? "none")", 400, "BadRequest",
                                 reason == nil ? "classification '\(classification)' must have classificationReason." : "classificationReason '\(reason!)' is not valid for classification '\(classification)'.")
            }
        } else if properties["classification"] != nil || properties["classificationReason"] != nil {
            locked { violationList.append("PUT incident \(name): classification sent with status \(properties["status"] ?? "")") }
        }
        return locked {
            guard var stored = incidents[workspace.key]?[name.lowercased()] else {
                violationList.append("PUT incident \(name): created an incident (our writes only update)")
                var object: [String: Any] = ["name": name, "id": "\(workspace.incidentsPath)/\(name)", "type": "Microsoft.SecurityInsights/Incidents"]
                object["properties"] = properties
                var created = StoredIncident(object: object, modified: 0)
                touch(&created)
                incidents[workspace.key, default: [:]][name.lowercased()] = created
                return Self.json(201, created.object)
            }
            if let etag = body["etag"] as? String {
                guard etag == stored.object["etag"] as? String else {
                    return Self.error(409, "Conflict", "Newer version of resource '\(name)' exists. Data was not saved")
                }
            } else {
                violationList.append("PUT incident \(name): no etag (would overwrite a concurrent change)")
            }
            let old = stored.object["properties"] as? [String: Any] ?? [:]
            var replaced: [String: Any] = old.filter { spec.readOnlyProperties.contains($0.key) }
            for (field, value) in properties { replaced[field] = value }
            if let owner = properties["owner"] as? [String: Any] {
                replaced["owner"] = filledOwner(owner, previous: old["owner"] as? [String: Any])
            } else {
                // Only a drop counts: on an unassigned incident an omitted owner changes nothing.
                if let previous = old["owner"] as? [String: Any], ["objectId", "email", "userPrincipalName"].contains(where: { previous[$0] is String }) {
                    violationList.append("PUT incident \(name): no owner, which unassigns the incident")
                }
                replaced["owner"] = filledOwner([:], previous: nil)
            }
            if let labels = replaced["labels"] as? [[String: Any]] {
                replaced["labels"] = labels.map { ["labelName": $0["labelName"] ?? "", "labelType": "User"] as [String: Any] }
            }
            stored.object["properties"] = replaced
            touch(&stored)
            incidents[workspace.key]?[name.lowercased()] = stored
            return Self.json(200, stored.object)
        }
    }

    private func putComment(_ name: String, _ commentId: String, _ workspace: Workspace, _ bytes: [UInt8]) -> HTTPResponse {
        guard let body = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            return violation("PUT comment \(commentId): body is not a JSON object", 400, "BadRequest", "The request content was invalid and could not be deserialized.")
        }
        for field in body.keys where field != "properties" && field != "etag" {
            return violation("PUT comment \(commentId): field \(field)", 400, "BadRequest", "Could not find member '\(field)' on object of type 'IncidentComment'.")
        }
        let properties = body["properties"] as? [String: Any] ?? [:]
        for field in spec.commentRequired where properties[field] == nil {
            return violation("PUT comment \(commentId): required property \(field) missing", 400, "BadRequest", "The \(field) field is required.")
        }
        for field in properties.keys where spec.commentReadOnly.contains(field) || field != "message" {
            return violation("PUT comment \(commentId): property \(field) sent", 400, "BadRequest", "Property '\(field)' is read-only.")
        }
        guard let message = properties["message"] as? String, !message.isEmpty else {
            return violation("PUT comment \(commentId): empty message", 400, "BadRequest", "The message field is required.")
        }
        guard message.utf16.count <= 30_000 else {
            return violation("PUT comment \(commentId): message of \(message.utf16.count) characters", 400, "BadRequest", "The comment message cannot exceed 30000 characters.")
        }
        return locked {
            guard var stored = incidents[workspace.key]?[name.lowercased()] else {
                return Self.error(404, "NotFound", "Incident '\(name)' was not found.")
            }
            let status: Int
            if let index = stored.comments.firstIndex(where: { $0.id.lowercased() == commentId.lowercased() }) {
                stored.comments[index].message = message
                status = 200
            } else {
                guard stored.comments.count < 100 else {
                    violationList.append("PUT comment \(commentId): the incident already has 100 comments")
                    return Self.error(400, "BadRequest", "An incident cannot have more than 100 comments.")
                }
                stored.comments.append(Comment(id: commentId, message: message))
                status = 201
            }
            setCommentsCount(&stored)
            incidents[workspace.key]?[name.lowercased()] = stored
            let now = Self.format(ticks: nextTick())
            let comment: [String: Any] = [
                "id": "\(workspace.incidentsPath)/\(name)/Comments/\(commentId)", "name": commentId, "etag": nextETag(),
                "type": "Microsoft.SecurityInsights/Incidents/Comments",
                "properties": ["message": message, "createdTimeUtc": now, "lastModifiedTimeUtc": now, "author": ["objectId": "6b8d0f2a-4c6e-4a8c-9e0b-4d6f8a0c2e68", "name": "watchkeeper-sentinel"]],
            ]
            return Self.json(status, comment)
        }
    }

    // MARK: Helpers (called with the lock held where they touch state)

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func violation(_ what: String, _ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        locked { violationList.append(what) }
        return Self.error(status, code, message)
    }

    private func touch(_ stored: inout StoredIncident) {
        stored.object["etag"] = nextETag()
        stored.modified = nextTick()
        var properties = stored.object["properties"] as? [String: Any] ?? [:]
        properties["lastModifiedTimeUtc"] = Self.format(ticks: stored.modified)
        stored.object["properties"] = properties
    }

    private func setCommentsCount(_ stored: inout StoredIncident) {
        var properties = stored.object["properties"] as? [String: Any] ?? [:]
        var additional = properties["additionalData"] as? [String: Any] ?? [:]
        additional["commentsCount"] = stored.comments.count
        properties["additionalData"] = additional
        stored.object["properties"] = properties
    }

    /// The owner as Sentinel stores it after a write of `owner`: the same object id keeps what was
    /// there; a new one gets the directory's name and e-mail; none unassigns.
    private func filledOwner(_ owner: [String: Any], previous: [String: Any]?) -> [String: Any] {
        if let previous, let objectId = owner["objectId"] as? String, objectId.lowercased() == (previous["objectId"] as? String)?.lowercased() {
            return previous
        }
        guard let objectId = owner["objectId"] as? String else {
            return ["objectId": NSNull(), "email": NSNull(), "assignedTo": NSNull(), "userPrincipalName": NSNull()]
        }
        let user = users[objectId.lowercased()] ?? (name: "User \(objectId.prefix(8))", email: "\(objectId.prefix(8))@example.com")
        return ["objectId": objectId, "email": user.email, "assignedTo": user.name, "userPrincipalName": user.email, "ownerType": "User"]
    }

    private func nextETag() -> String {
        etagCounter += 1
        return "\"\(String(format: "%08x", etagCounter))-0000-0d00-0000-\(UUID().uuidString.suffix(12).lowercased())\""
    }

    private func nextTick() -> Int64 {
        let now = Int64((clock().timeIntervalSince1970 * 10_000_000).rounded(.down))
        lastTick = max(now, lastTick + 1)
        return lastTick
    }

    /// RFC 3339 UTC with 0–7 fractional digits → 100 ns ticks since 1970.
    public static func ticks(_ text: String) -> Int64? {
        guard text.hasSuffix("Z") else { return nil }
        let body = text.dropLast()
        let parts = body.split(separator: ".", maxSplits: 1)
        let formatter = ISO8601DateFormatter()
        guard let whole = formatter.date(from: String(parts[0]) + "Z") else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard !digits.isEmpty, digits.count <= 7, digits.allSatisfy(\.isNumber) else { return nil }
            fraction = Int64(digits.padding(toLength: 7, withPad: "0", startingAt: 0))!
        }
        return Int64(whole.timeIntervalSince1970) * 10_000_000 + fraction
    }

    public static func format(ticks: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        let seconds = ticks / 10_000_000
        let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return "\(text.dropLast()).\(String(format: "%07lld", ticks % 10_000_000))Z"
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> HTTPResponse {
        json(status, ["error": ["code": code, "message": message]])
    }

    static func json(_ status: Int, _ object: [String: Any]) -> HTTPResponse {
        HTTPResponse(status: HTTPStatus(code: status), contentType: "application/json; charset=utf-8",
                     body: Array(try! JSONSerialization.data(withJSONObject: object)))
    }
}
