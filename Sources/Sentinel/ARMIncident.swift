import Foundation

/// An incident as ARM returned it: the raw JSON (for the "apply Sentinel state" parser and for
/// `IncidentPutBody`) and the fields a writer needs at hand.
public struct ARMIncident: Sendable, Equatable {
    /// The JSON object exactly as received.
    public var raw: [UInt8]
    /// The incident id (GUID), the `{incidentId}` path segment.
    public var name: String
    /// The ARM id (`…/Incidents/{name}`); compare case-insensitively.
    public var id: String
    /// Quotes included (`"\"2d00…\""`); send back verbatim.
    public var etag: String
    /// RFC 3339 with up to 7 fractional digits, as ARM sent it.
    public var lastModifiedTimeUtc: String?

    public init(raw: [UInt8]) throws(AzureError) {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any],
              let name = object["name"] as? String else {
            throw .temporary("ARM answered an incident that is not a JSON object with a name")
        }
        self.raw = raw
        self.name = name
        self.id = object["id"] as? String ?? ""
        self.etag = object["etag"] as? String ?? ""
        self.lastModifiedTimeUtc = (object["properties"] as? [String: Any])?["lastModifiedTimeUtc"] as? String
    }

    /// The parsed JSON object (a fresh copy each call).
    public var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(raw))) as? [String: Any] ?? [:]
    }

    public var properties: [String: Any] { object["properties"] as? [String: Any] ?? [:] }
    public var status: String? { properties["status"] as? String }
    public var severity: String? { properties["severity"] as? String }
    public var ownerObjectId: String? { (properties["owner"] as? [String: Any])?["objectId"] as? String }
    public var classification: String? { properties["classification"] as? String }
    public var classificationReason: String? { properties["classificationReason"] as? String }
}
