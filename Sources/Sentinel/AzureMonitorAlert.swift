import Foundation

/// An Azure Monitor alert in the common alert schema (`schemaId: azureMonitorCommonAlertSchema`),
/// as an action group's webhook posts it. `Fired` triggers, `Resolved` resolves; both carry the
/// same `essentials.alertId`, the dedup key.
public struct AzureMonitorAlert: Sendable, Equatable {
    public static let schemaId = "azureMonitorCommonAlertSchema"

    public var alertId: String
    public var alertRule: String
    /// `Sev0`…`Sev4` as sent.
    public var azureSeverity: String
    /// Sev0 and Sev1 → High, Sev2 → Medium, Sev3 → Low, Sev4 → Informational.
    public var severity: IncidentSeverity
    public var fired: Bool
    public var description: String
    public var firedDateTime: String?
    public var signalType: String?
    public var monitoringService: String?
    /// `alertTargetIDs` then `configurationItems`.
    public var targets: [String]
    public var dimensions: [AzureMonitorDimension]
    /// The search-results links (portal UI, filtered UI), as present.
    public var links: [String]
    /// `customProperties` (string values only); `customer` names the customer for routing.
    public var customProperties: [String: String]

    public static func parse(json data: Data) throws -> AzureMonitorAlert {
        let body = try PayloadObject.parse(data)
        let schema = try body.string("schemaId")
        guard schema == Self.schemaId else {
            throw SentinelPayloadError("schemaId", "must be \(Self.schemaId) (enable the common alert schema on the action group's webhook)")
        }
        guard let data = try body.object("data") else { throw SentinelPayloadError("data", "is required") }
        guard let essentials = try data.object("essentials") else { throw SentinelPayloadError("data.essentials", "is required") }
        let severityText = try essentials.requiredString("severity")
        guard let severity = Self.severity(severityText) else {
            throw SentinelPayloadError(essentials.field("severity"), "must be one of Sev0, Sev1, Sev2, Sev3, Sev4 (got \(severityText))")
        }
        let condition = try essentials.requiredString("monitorCondition")
        guard ["fired", "resolved"].contains(condition.lowercased()) else {
            throw SentinelPayloadError(essentials.field("monitorCondition"), "must be Fired or Resolved (got \(condition))")
        }
        var dimensions: [AzureMonitorDimension] = []
        var links: [String] = []
        let allOf = try data.object("alertContext")?.object("condition")?.objects("allOf") ?? []
        for criterion in allOf {
            for dimension in try criterion.objects("dimensions") {
                if let name = try dimension.string("name"), let value = try dimension.string("value") {
                    dimensions.append(AzureMonitorDimension(name: name, value: value))
                }
            }
            for key in ["linkToFilteredSearchResultsUI", "linkToSearchResultsUI"] {
                if let link = try criterion.string(key), !link.isEmpty, !links.contains(link) { links.append(link) }
            }
        }
        var custom: [String: String] = [:]
        for (key, value) in (try data.object("customProperties"))?.members ?? [:] { if let text = value as? String { custom[key] = text } }
        return AzureMonitorAlert(
            alertId: try essentials.requiredString("alertId"), alertRule: try essentials.string("alertRule") ?? "Azure Monitor alert",
            azureSeverity: severityText, severity: severity, fired: condition.lowercased() == "fired",
            description: try essentials.string("description") ?? "", firedDateTime: try essentials.string("firedDateTime"),
            signalType: try essentials.string("signalType"), monitoringService: try essentials.string("monitoringService"),
            targets: try essentials.strings("alertTargetIDs") + essentials.strings("configurationItems"),
            dimensions: dimensions, links: links, customProperties: custom)
    }

    /// Sev0 (critical) and Sev1 (error) page as High; Sev2 warning is Medium; Sev3 Low; Sev4 Informational.
    public static func severity(_ text: String) -> IncidentSeverity? {
        switch text.lowercased() {
        case "sev0", "sev1": .high
        case "sev2": .medium
        case "sev3": .low
        case "sev4": .informational
        default: nil
        }
    }

    /// Dimensions read as entities where their name says what they are; the rest keep their name as kind.
    public var entities: [IncidentEntity] {
        dimensions.map { dimension in
            let name = dimension.name.lowercased()
            let kind = name.contains("principal") || name.contains("account") || name.contains("user") ? "Account"
                : name.contains("ip") && name.contains("address") || name == "ip" || name == "clientip" ? "Ip"
                : name.contains("computer") || name.contains("host") ? "Host"
                : name.contains("url") ? "Url" : dimension.name
            return IncidentEntity(kind: kind, value: dimension.value)
        }
    }

    /// The workspace the alert watched: the name of the first workspace target.
    public var workspace: String? {
        targets.lazy.compactMap { SentinelIncident.pathSegments($0)["workspaces"] }.first ?? targets.first { !$0.contains("/") }
    }
}
