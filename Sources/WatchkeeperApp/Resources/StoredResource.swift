import Foundation
import HTTPServer

/// A resource as the API shows it: its value's members plus the read-only `createdAt`,
/// `updatedAt` and, for a scoped resource, its parent's id (`scheduleId`). The version travels
/// in the `ETag` header, not in the body.
struct StoredResource<Value: Codable & Sendable>: Encodable, Sendable {
    var id: String
    var parentId: String?
    /// The member naming the parent ("scheduleId"); nil for top-level resources.
    var parentMember: String?
    var version: Int64
    var createdAt: Date
    var updatedAt: Date
    var value: Value

    /// A strong validator: ids are never reused and every write increments the version.
    var etag: ETag { ETag(String(version)) }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        // The value's own members and the metadata share one JSON object.
        try value.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(createdAt, forKey: Key("createdAt"))
        try container.encode(updatedAt, forKey: Key("updatedAt"))
        if let parentMember, let parentId { try container.encode(parentId, forKey: Key(parentMember)) }
    }
}
