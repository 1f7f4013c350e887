import Foundation

/// The body of the Logic Apps "Microsoft Sentinel incident" trigger, forwarded whole by the
/// playbook: an envelope (`eventUniqueId`, `objectSchemaType`, `objectEventType`,
/// `workspaceInfo` with PascalCase keys, `workspaceId`) around the incident in `object`.
public struct LogicAppTrigger: Sendable, Equatable {
    public var eventUniqueId: String?
    public var objectSchemaType: String?
    /// `Create` or `Update`; informative only: transitions come from the incident's fields.
    public var objectEventType: String?
    /// The Log Analytics customer id, not the ARM id.
    public var workspaceId: String?
    public var incident: SentinelIncident

    public static func parse(json data: Data) throws -> LogicAppTrigger {
        let body = try PayloadObject.parse(data)
        let schemaType = try body.string("objectSchemaType")
        if let schemaType, schemaType.caseInsensitiveCompare("Incident") != .orderedSame {
            throw SentinelPayloadError("objectSchemaType", "must be Incident (got \(schemaType)); only the incident trigger is accepted")
        }
        guard let object = try body.object("object") else {
            throw SentinelPayloadError("object", "is required: forward the whole trigger body (@{triggerBody()}) of the Microsoft Sentinel incident trigger")
        }
        var incident = try SentinelIncident.parse(object)
        // The envelope names the workspace even when the id is unusual.
        if let info = try body.object("workspaceInfo") {
            incident.workspace = try info.string("WorkspaceName") ?? incident.workspace
            incident.subscriptionId = try info.string("SubscriptionId") ?? incident.subscriptionId
            incident.resourceGroup = try info.string("ResourceGroupName") ?? incident.resourceGroup
        }
        return LogicAppTrigger(eventUniqueId: try body.string("eventUniqueId"), objectSchemaType: schemaType,
                               objectEventType: try body.string("objectEventType"), workspaceId: try body.string("workspaceId"), incident: incident)
    }
}
