import Foundation
import Storage

/// One event on an alert's timeline.
struct TimelineEntry: Encodable, Sendable {
    enum Kind: String, Encodable, Sendable, CaseIterable {
        case created, deduplicated, suppressed, acknowledged, resolved, note
        /// A step of the escalation policy fired ("escalated to step 2").
        case escalated
        /// A notification rule of a paged user queued a message.
        case notified
        case messageSent = "message-sent"
        case messageFailed = "message-failed"
        /// An acknowledged alert went back to triggered (ack timeout, or escalated by hand).
        case retriggered
    }

    /// Increasing with time: the timeline's order and its cursor.
    var id: Int64
    var at: Date
    var kind: Kind
    /// Who acted: an API key's or integration key's name; nil for the server itself.
    var actor: String?
    /// How: `api`, `integration`.
    var method: String?
    var message: String

    private enum CodingKeys: String, CodingKey { case id, at, kind, actor, method, message }

    init(row: Row) throws {
        id = try row.get("id")
        at = try row.get("at")
        let kindText: String = try row.get("kind")
        guard let kind = Kind(rawValue: kindText) else { throw StoredDataError("timeline entry \(id) has unknown kind \(kindText)") }
        self.kind = kind
        actor = try row.get("actor")
        method = try row.get("method")
        message = try row.get("message")
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(at, forKey: .at)
        try container.encode(kind, forKey: .kind)
        try container.encode(actor, forKey: .actor)
        try container.encode(method, forKey: .method)
        try container.encode(message, forKey: .message)
    }

    /// Appends an entry inside the caller's write transaction.
    static func append(alertId: String, at: Date, kind: Kind, actor: String?, method: String?, message: String, db: Connection) throws {
        try db.run("INSERT INTO alert_timeline (alert_id, at, kind, actor, method, message) VALUES (?, ?, ?, ?, ?, ?)",
                   [.text(alertId), SQLValue(at), .text(kind.rawValue), actor.map { .text($0) } ?? .null, method.map { .text($0) } ?? .null, .text(message)])
    }
}
