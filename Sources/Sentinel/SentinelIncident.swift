import Foundation

/// A Sentinel incident as the Logic App trigger's `object` and ARM's GET/list carry it (the same
/// shape). Parsing is lenient where Sentinel varies (`alerts`/`Alerts`, nulls, missing arrays,
/// unknown members) and strict where a wrong guess would mis-page (severity, status, times).
public struct SentinelIncident: Sendable, Equatable {
    /// The ARM id as received (`…/Incidents/{name}` live, `…/incidents/{name}` in the spec).
    public var armId: String
    /// `armId` lower-cased: the dedup key. ARM ids compare case-insensitively.
    public var incidentKey: String { armId.lowercased() }
    /// The incident's GUID (`name`, the last segment of the id).
    public var name: String
    /// Verbatim, with its double quotes: sent back as is on writes.
    public var etag: String
    public var lastModified: SentinelTimestamp
    public var created: SentinelTimestamp?
    public var title: String
    public var description: String
    public var severity: IncidentSeverity
    public var status: IncidentStatus
    public var owner: IncidentOwner
    public var classification: IncidentClassification?
    public var classificationReason: IncidentClassificationReason?
    public var classificationComment: String?
    /// The portal's tags (`labels[].labelName`).
    public var labels: [String]
    /// Per workspace, never unique across workspaces: for people, not for keys.
    public var incidentNumber: Int?
    public var incidentUrl: String?
    public var providerName: String?
    public var tactics: [String]
    /// `additionalData.techniques`, which live payloads carry though the stable schema lacks it.
    public var techniques: [String]
    public var alertProductNames: [String]
    /// Only the trigger carries these; ARM reads have their own endpoints for them.
    public var alerts: [SecurityAlertSummary]
    public var entities: [IncidentEntity]
    /// From the ARM id (`…/subscriptions/{}/resourceGroups/{}/…/workspaces/{}/…`).
    public var subscriptionId: String?
    public var resourceGroup: String?
    public var workspace: String?

    /// Parses one incident from an ARM GET body (`arm-incident-get.json`).
    public static func parse(json data: Data) throws -> SentinelIncident {
        try parse(PayloadObject.parse(data))
    }

    /// Parses an ARM list page (`{value: [Incident], nextLink}`): the incidents and the next page's URL.
    public static func parseList(json data: Data) throws -> (incidents: [SentinelIncident], nextLink: String?) {
        let page = try PayloadObject.parse(data)
        let nextLink = try page.string("nextLink").flatMap { $0.isEmpty ? nil : $0 }
        return (try page.objects("value").map(parse), nextLink)
    }

    /// Parses the incident object found at `object.path` (the trigger's `object`, a list's `value[i]`).
    static func parse(_ object: PayloadObject) throws -> SentinelIncident {
        let armId = try object.requiredString("id")
        guard let properties = try object.object("properties") else { throw SentinelPayloadError(object.field("properties"), "is required") }
        let lastModifiedText = try properties.requiredString("lastModifiedTimeUtc")
        guard let lastModified = SentinelTimestamp(lastModifiedText) else {
            throw SentinelPayloadError(properties.field("lastModifiedTimeUtc"), "must be an RFC 3339 UTC time with at most 7 fractional digits")
        }
        let severityText = try properties.requiredString("severity")
        guard let severity = IncidentSeverity(text: severityText) else {
            throw SentinelPayloadError(properties.field("severity"), "must be one of High, Medium, Low, Informational (got \(severityText))")
        }
        let statusText = try properties.requiredString("status")
        guard let status = IncidentStatus(text: statusText) else {
            throw SentinelPayloadError(properties.field("status"), "must be one of New, Active, Closed (got \(statusText))")
        }
        var classification: IncidentClassification?
        if let text = try properties.string("classification"), !text.isEmpty {
            guard let value = IncidentClassification(text: text) else {
                throw SentinelPayloadError(properties.field("classification"), "must be one of \(IncidentClassification.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            classification = value
        }
        var reason: IncidentClassificationReason?
        if let text = try properties.string("classificationReason"), !text.isEmpty {
            guard let value = IncidentClassificationReason(text: text) else {
                throw SentinelPayloadError(properties.field("classificationReason"),
                                           "must be one of \(IncidentClassificationReason.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            reason = value
        }
        let additional = try properties.object("additionalData")
        let path = Self.pathSegments(armId)
        return SentinelIncident(
            armId: armId, name: try object.string("name") ?? path["incidents"] ?? armId, etag: try object.requiredString("etag"),
            lastModified: lastModified, created: try properties.string("createdTimeUtc").flatMap(SentinelTimestamp.init),
            title: try properties.string("title") ?? "(untitled incident)", description: try properties.string("description") ?? "",
            severity: severity, status: status, owner: try IncidentOwner.parse(try properties.object("owner")),
            classification: classification, classificationReason: reason, classificationComment: try properties.string("classificationComment"),
            labels: try properties.objects("labels").compactMap { try $0.string("labelName") },
            incidentNumber: try properties.int("incidentNumber"), incidentUrl: try properties.string("incidentUrl"),
            providerName: try properties.string("providerName"),
            tactics: try additional?.strings("tactics") ?? [], techniques: try additional?.strings("techniques") ?? [],
            alertProductNames: try additional?.strings("alertProductNames") ?? [],
            alerts: try properties.objects("alerts").map(SecurityAlertSummary.parse),
            entities: try properties.objects("relatedEntities").compactMap(IncidentEntity.parse),
            subscriptionId: path["subscriptions"], resourceGroup: path["resourcegroups"], workspace: path["workspaces"])
    }

    /// `…/subscriptions/S/resourceGroups/R/…/workspaces/W/…/incidents/I` → lower-cased names to values.
    static func pathSegments(_ armId: String) -> [String: String] {
        let parts = armId.split(separator: "/").map(String.init)
        var result: [String: String] = [:]
        for index in stride(from: 0, to: parts.count - 1, by: 1) {
            let name = parts[index].lowercased()
            if ["subscriptions", "resourcegroups", "workspaces", "incidents"].contains(name), result[name] == nil { result[name] = parts[index + 1] }
        }
        return result
    }
}
