import Foundation
import Sentinel

/// An incident as Sentinel returned it (GET, PUT answer or list item): what the write-back and the
/// poller need of it.
struct SentinelSyncIncident: Sendable, Equatable {
    /// The ARM id as Sentinel spells it; `key` is the case-insensitive identity.
    var armId: String
    var etag: String
    var lastModified: Date?
    var properties: [String: JSONValue]

    var key: String { armId.lowercased() }

    func string(_ field: String) -> String? {
        if case .string(let text)? = properties[field] { text } else { nil }
    }

    var status: String? { string("status") }
    var severity: String? { string("severity") }
    var ownerObjectId: String? { SentinelWriteChange.ownerId(properties) }
    var classification: String? { string("classification") }
    var classificationReason: String? { string("classificationReason") }

    /// From an ARM incident resource (`{id, etag, properties}`); nil when it lacks them.
    init?(resource: JSONValue) {
        guard case .object(let fields) = resource, case .string(let id)? = fields["id"], case .string(let etag)? = fields["etag"],
              case .object(let properties)? = fields["properties"] else { return nil }
        self.init(armId: id, etag: etag, properties: properties)
    }

    init(armId: String, etag: String, properties: [String: JSONValue]) {
        self.armId = armId
        self.etag = etag
        self.properties = properties
        if case .string(let text)? = properties["lastModifiedTimeUtc"] { lastModified = SentinelSyncIncident.parseTime(text) }
    }

    /// The incident as the webhook's parser reads it, for `SentinelState.apply`.
    func parsed() throws -> SentinelIncident {
        let resource = JSONValue.object(["id": .string(armId), "name": .string(String(armId.split(separator: "/").last ?? "")), "etag": .string(etag),
                                         "properties": .object(properties)])
        return try SentinelIncident.parse(json: try JSONEncoder().encode(resource))
    }

    /// RFC 3339 UTC with 0 to 7 fractional digits (Sentinel writes 7).
    static func parseTime(_ text: String) -> Date? {
        var main = text
        var fraction = 0.0
        if let dot = text.firstIndex(of: "."), let zone = text[dot...].firstIndex(where: { $0 == "Z" || $0 == "+" || $0 == "-" }) {
            fraction = Double("0" + text[dot..<zone]) ?? 0
            main = String(text[..<dot]) + String(text[zone...])
        }
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: main).map { $0.addingTimeInterval(fraction) }
    }
}
