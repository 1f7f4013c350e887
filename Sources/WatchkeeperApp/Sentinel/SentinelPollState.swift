import Foundation
import HTTPServer
import Storage

/// The poller's state per connection (`sentinel_poll_cursors`): the cursor, the last successful
/// poll, the last error and the throttling seen (by the poller and the write-back), for
/// GET /api/v1/connections/{id}/status.
enum SentinelPollState {
    struct Status: Sendable, Equatable {
        var cursor: Date?
        var lastPollAt: Date?
        var lastError: String?
        var throttledUntil: Date?
        var throttleCount: Int
    }

    static func status(connectionId: String, db: Connection) throws -> Status {
        guard let row = try db.queryOne("SELECT * FROM sentinel_poll_cursors WHERE connection_id = ?", [.text(connectionId)]) else {
            return Status(throttleCount: 0)
        }
        return Status(cursor: try row.get("cursor"), lastPollAt: try row.get("last_poll_at"), lastError: try row.get("last_error"),
                      throttledUntil: try row.get("throttled_until"), throttleCount: try row.get("throttle_count"))
    }

    private static func ensure(_ connectionId: String, db: Connection) throws {
        try db.run("INSERT INTO sentinel_poll_cursors (connection_id) VALUES (?) ON CONFLICT DO NOTHING", [.text(connectionId)])
    }

    static func recordPolled(connectionId: String, cursor: Date?, at now: Date, db: Connection) throws {
        try ensure(connectionId, db: db)
        try db.run("UPDATE sentinel_poll_cursors SET cursor = COALESCE(?, cursor), last_poll_at = ?, last_error = NULL WHERE connection_id = ?",
                   [cursor.map(SQLValue.init) ?? .null, SQLValue(now), .text(connectionId)])
        // The connection's status columns (GET /api/v1/connections/{id}/status); no row: deleted.
        try ConnectionStore.recordPoll(connectionId, cursor: cursor.map { RFC3339.format($0) }, at: now, db: db)
    }

    static func recordError(connectionId: String, error: String, at now: Date, db: Connection) throws {
        try ensure(connectionId, db: db)
        try db.run("UPDATE sentinel_poll_cursors SET last_error = ? WHERE connection_id = ?", [.text(error), .text(connectionId)])
        try ConnectionStore.recordError(connectionId, error, at: now, db: db)
    }

    static func recordThrottled(connectionId: String, until: Date, db: Connection) throws {
        try ensure(connectionId, db: db)
        try db.run("UPDATE sentinel_poll_cursors SET throttled_until = ?, throttle_count = throttle_count + 1 WHERE connection_id = ?",
                   [SQLValue(until), .text(connectionId)])
        try ConnectionStore.recordThrottled(connectionId, until: until, db: db)
    }
}
