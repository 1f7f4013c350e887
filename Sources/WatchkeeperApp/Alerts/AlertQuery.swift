import Cryptography
import Foundation
import HTTPServer
import Storage

/// The filters and page of `GET /api/v1/alerts`: newest first, keyset-paginated on
/// (createdAt, id), so pages stay stable while new alerts arrive.
struct AlertQuery: Sendable {
    var status: AlertStatus?
    var serviceId: String?
    var urgency: AlertUrgency?
    /// createdAt ≥ from, createdAt < to (half-open, like every interval here).
    var from: Date?
    var to: Date?
    var limit = PageRequest.defaultLimit
    /// The (createdAt, id) of the last alert of the previous page.
    var after: (createdAt: Int64, id: String)?

    /// 400 naming the parameter when one is malformed.
    init(_ request: HTTPRequest) throws {
        if let text = request.query("status") {
            guard let value = AlertStatus(rawValue: text) else { throw HTTPError.invalid("status", "must be triggered, acknowledged or resolved") }
            status = value
        }
        serviceId = request.query("serviceId")
        if let text = request.query("urgency") {
            guard let value = AlertUrgency(rawValue: text) else { throw HTTPError.invalid("urgency", "must be high or low") }
            urgency = value
        }
        for name in ["from", "to"] {
            guard let text = request.query(name) else { continue }
            guard let date = RFC3339.parse(text) else { throw HTTPError.invalid(name, "must be an RFC 3339 instant such as 2026-11-23T12:00:00Z") }
            if name == "from" { from = date } else { to = date }
        }
        // PageRequest checks limit and that the cursor decodes; the cursor's shape is checked below.
        limit = try PageRequest(request, idPrefix: "").limit
        if let cursor = request.query("cursor") {
            // The cursor is "<createdAt ms>:<id>".
            guard let decoded = PageRequest.decodeCursor(cursor), let colon = decoded.firstIndex(of: ":"),
                  let millis = Int64(decoded[..<colon]), decoded[decoded.index(after: colon)...].hasPrefix(AlertStore.idPrefix) else {
                throw HTTPError.invalid("cursor", "is not a cursor from this list; pass nextCursor from the previous page unchanged")
            }
            after = (millis, String(decoded[decoded.index(after: colon)...]))
        }
    }

    static func cursor(after alert: Alert) -> String {
        Base64URL.encode(Array("\(alert.createdAt.unixMilliseconds):\(alert.id)".utf8))
    }

    /// The WHERE clause and its bindings.
    var condition: (sql: String, bindings: [SQLValue]) {
        var conditions = ["1 = 1"]
        var bindings: [SQLValue] = []
        if let status { conditions.append("status = ?"); bindings.append(.text(status.rawValue)) }
        if let serviceId { conditions.append("service_id = ?"); bindings.append(.text(serviceId)) }
        if let urgency { conditions.append("urgency = ?"); bindings.append(.text(urgency.rawValue)) }
        if let from { conditions.append("created_at >= ?"); bindings.append(SQLValue(from)) }
        if let to { conditions.append("created_at < ?"); bindings.append(SQLValue(to)) }
        if let after {
            conditions.append("(created_at < ? OR (created_at = ? AND id < ?))")
            bindings += [.integer(after.createdAt), .integer(after.createdAt), .text(after.id)]
        }
        return (conditions.joined(separator: " AND "), bindings)
    }
}
