import Cryptography
import Foundation
import HTTPServer
import Storage

/// `GET /api/v1/messages` (the outbox, for anyone who can read alerts) and
/// `GET /api/v1/console/messages` (what the console provider delivered: admin only, since it
/// holds working ack links and verification codes).
enum OutboxRoutes {
    static let states = ["queued", "sending", "sent", "delivered", "failed", "cancelled", "bundled"]

    static func register(on api: APIRouteBuilder, database: Database, time: any TimeSource) {
        api.addSchemas(OutboxSchemas.all)
        let problem = { @Sendable (text: String) in OpenAPIOperation.Response(text, schema: .ref("Problem"), contentType: "application/problem+json") }
        let limit = OpenAPIOperation.Parameter(
            "limit", in: .query, description: "Items per page, 1–\(PageRequest.maximumLimit); default \(PageRequest.defaultLimit)",
            schema: ["type": "integer", "minimum": 1, "maximum": .number(Double(PageRequest.maximumLimit))])

        api.add(.get, "/api/v1/messages", role: .viewer, OpenAPIOperation(
            "listMessages", summary: "List outbox messages newest first, a page at a time (no ack links)", tag: "messages",
            parameters: [
                .init("alertId", in: .query, description: "Only messages about this alert"),
                .init("userId", in: .query, description: "Only messages to this user"),
                .init("state", in: .query, description: "Only messages in this state", schema: ["type": "string", "enum": .array(states.map { .string($0) })]),
                limit,
                .init("cursor", in: .query, description: "The nextCursor of the previous page"),
            ],
            responses: [200: .init("One page; follow nextCursor for the next", schema: .ref("OutboxMessagePage")),
                        400: problem("A malformed filter, limit or cursor; errors[].field names it")])) { request, _, _ in
            var conditions = ["1 = 1"]
            var bindings: [SQLValue] = []
            if let alertId = request.query("alertId") { conditions.append("alert_id = ?"); bindings.append(.text(alertId)) }
            if let userId = request.query("userId") { conditions.append("user_id = ?"); bindings.append(.text(userId)) }
            if let state = request.query("state") {
                guard states.contains(state) else { throw HTTPError.invalid("state", "must be one of \(states.joined(separator: ", "))") }
                conditions.append("state = ?")
                bindings.append(.text(state))
            }
            let pageSize = try PageRequest(request, idPrefix: "").limit
            if let cursor = request.query("cursor") {
                // "<createdAt ms>:<id>", like the alert list's.
                guard let decoded = PageRequest.decodeCursor(cursor), let colon = decoded.firstIndex(of: ":"),
                      let millis = Int64(decoded[..<colon]), decoded[decoded.index(after: colon)...].hasPrefix(OutboxQueue.idPrefix) else {
                    throw HTTPError.invalid("cursor", "is not a cursor from this list; pass nextCursor from the previous page unchanged")
                }
                conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
                bindings += [.integer(millis), .integer(millis), .text(String(decoded[decoded.index(after: colon)...]))]
            }
            let page = try database.read { db -> Page<OutboxMessage> in
                let rows = try db.query("""
                    SELECT \(OutboxMessage.columns) FROM messages WHERE \(conditions.joined(separator: " AND "))
                    ORDER BY created_at DESC, id DESC LIMIT ?
                    """, bindings + [.integer(Int64(pageSize + 1))])
                let items = try rows.prefix(pageSize).map(OutboxMessage.init(row:))
                let next = rows.count > pageSize ? items.last.map { Base64URL.encode(Array("\($0.createdAt.unixMilliseconds):\($0.id)".utf8)) } : nil
                return Page(items: items, nextCursor: next)
            }
            return try HTTPResponse.json(page)
        }

        api.add(.get, "/api/v1/console/messages", role: .admin, OpenAPIOperation(
            "listConsoleMessages", summary: "What the console provider delivered, oldest first: the fake phone and inbox of a server without a real provider",
            tag: "messages",
            parameters: [
                .init("userId", in: .query, description: "Only messages to this user"),
                .init("alertId", in: .query, description: "Only messages about this alert (bundles included)"),
                .init("after", in: .query, description: "Only messages with a greater id (the last id seen)", schema: ["type": "integer", "minimum": 0]),
                limit,
            ],
            responses: [200: .init("One page; pass nextCursor as ?after= for the next", schema: .ref("ConsoleMessagePage")),
                        400: problem("A malformed filter or limit; errors[].field names it")])) { request, _, _ in
            var conditions = ["1 = 1"]
            var bindings: [SQLValue] = []
            if let userId = request.query("userId") { conditions.append("user_id = ?"); bindings.append(.text(userId)) }
            if let alertId = request.query("alertId") {
                conditions.append("EXISTS (SELECT 1 FROM json_each(alert_ids) WHERE value = ?)")
                bindings.append(.text(alertId))
            }
            if let text = request.query("after") {
                guard let after = Int64(text), after >= 0 else { throw HTTPError.invalid("after", "must be a message id (an integer ≥ 0), got \"\(text)\"") }
                conditions.append("id > ?")
                bindings.append(.integer(after))
            }
            let pageSize = try PageRequest(request, idPrefix: "").limit
            let page = try database.read { db -> Page<ConsoleMessage> in
                let rows = try db.query("SELECT \(ConsoleMessage.columns) FROM console_messages WHERE \(conditions.joined(separator: " AND ")) ORDER BY id LIMIT ?",
                                        bindings + [.integer(Int64(pageSize + 1))])
                let items = try rows.prefix(pageSize).map(ConsoleMessage.init(row:))
                return Page(items: items, nextCursor: rows.count > pageSize ? items.last.map { String($0.id) } : nil)
            }
            return try HTTPResponse.json(page)
        }
    }
}
