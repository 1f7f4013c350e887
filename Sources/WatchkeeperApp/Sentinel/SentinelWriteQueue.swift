import Cryptography
import Foundation
import Storage

/// The durable queue of writes to Sentinel (`sentinel_writes`). Writes are queued in the write job
/// of the alert change they carry; the sync step sends them one incident at a time, the oldest
/// first, merging the incident's queued writes into one PUT. See docs/SENTINEL-SYNC.md.
enum SentinelWriteQueue {
    enum Kind: String, Codable, Sendable { case acknowledge, resolve, severity, note, comment }

    /// One queued write.
    struct Write: Sendable, Equatable {
        var id: Int64
        var kind: Kind
        var change: SentinelWriteChange
        var attempts: Int
        var commentId: String?
    }

    /// The writes of one incident sent together: one PUT of their merged change, then their comments in order.
    struct Batch: Sendable {
        var incidentKey: String
        var armId: String
        var alertId: String
        var connectionId: String
        var writes: [Write]
        /// Comments this incident already has from us (Sentinel allows 100).
        var commentsSent: Int
        /// Sentinel's fields as we last saw them, when claimed.
        var known: SentinelWriteChange.Known?

        var change: SentinelWriteChange {
            writes.dropFirst().reduce(writes[0].change) { $0.merged(with: $1.change) }
        }
        var attempts: Int { writes.map(\.attempts).max() ?? 1 }
    }

    static let batchLimit = 10

    /// Queues `change` for the incident linked to `alertId`; false (nothing queued) when the alert
    /// has no incident with a connection.
    @discardableResult
    static func enqueue(alertId: String, kind: Kind, change: SentinelWriteChange, at now: Date, db: Connection) throws -> Bool {
        guard let link = try SentinelIncidentStore.link(ofAlert: alertId, db: db) else { return false }
        var change = change
        if change.ownerObjectId != nil { change.ownerSetAt = now }
        if change.severity != nil { change.severitySetAt = now }
        try db.run("""
            INSERT INTO sentinel_writes (incident_key, alert_id, connection_id, kind, payload, next_attempt_at, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(link.incidentKey), .text(alertId), .text(link.connectionId), .text(kind.rawValue), .text(try encode(change)),
                  SQLValue(now), SQLValue(now), SQLValue(now)])
        let id = db.lastInsertRowID
        if change.comment != nil {
            try db.run("UPDATE sentinel_writes SET comment_id = ? WHERE id = ?", [.text(commentId(incidentKey: link.incidentKey, writeId: id)), .integer(id)])
        }
        return true
    }

    /// A UUID derived from the incident and the write, so every attempt PUTs the same comment.
    static func commentId(incidentKey: String, writeId: Int64) -> String {
        var bytes = Array(Digest.sha256(Array("watchkeeper-sentinel-comment|\(incidentKey)|\(writeId)".utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0f) | 0x50
        bytes[8] = (bytes[8] & 0x3f) | 0x80
        let hex = Hex.encode(bytes)
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.map(String.init).joined(separator: "-")
    }

    /// Writes left 'sending' by a stopped server are sent again (the read-modify-write and the
    /// fixed comment ids make a repeat harmless).
    static func recoverInterrupted(at now: Date, db: Connection) throws -> Int {
        try db.run("UPDATE sentinel_writes SET state = 'queued', next_attempt_at = ?, updated_at = ? WHERE state = 'sending'",
                   [SQLValue(now), SQLValue(now)])
    }

    /// Claims, per incident whose oldest unfinished write is due, that write and the queued ones
    /// after it; returns them and when the next queued write falls due.
    static func claim(at now: Date, db: Connection) throws -> (batches: [Batch], next: Date?) {
        let heads = try db.query("""
            SELECT w.id, w.incident_key, w.alert_id, w.connection_id, w.state, w.next_attempt_at, i.arm_id, i.comment_count AS comments
            FROM sentinel_writes w
            JOIN sentinel_incidents i ON i.incident_key = w.incident_key
            WHERE w.state IN ('queued', 'sending')
              AND w.id = (SELECT MIN(x.id) FROM sentinel_writes x WHERE x.incident_key = w.incident_key AND x.state IN ('queued', 'sending'))
            """)
        var batches: [Batch] = []
        var next: Date?
        for head in heads where try head.get("state", as: String.self) == "queued" {
            let due: Date = try head.get("next_attempt_at")
            guard due <= now else {
                next = min(next ?? due, due)
                continue
            }
            let key: String = try head.get("incident_key")
            let rows = try db.query("""
                SELECT id, kind, payload, attempts, comment_id FROM sentinel_writes
                WHERE incident_key = ? AND state = 'queued' ORDER BY id LIMIT ?
                """, [.text(key), .integer(Int64(batchLimit))])
            var writes: [Write] = []
            for row in rows {
                let id: Int64 = try row.get("id")
                guard let kind = Kind(rawValue: try row.get("kind")) else { throw StoredDataError("sentinel write \(id) has an unknown kind") }
                writes.append(Write(id: id, kind: kind, change: try decode(try row.get("payload"), id: id), attempts: try row.get("attempts", as: Int.self) + 1,
                                    commentId: try row.get("comment_id")))
                try db.run("UPDATE sentinel_writes SET state = 'sending', attempts = attempts + 1, updated_at = ? WHERE id = ?", [SQLValue(now), .integer(id)])
            }
            let known = try SentinelIncidentStore.fetch(incidentKey: key, db: db).map {
                SentinelWriteChange.Known(ownerObjectId: $0.ownerObjectId?.lowercased(), severity: $0.severity.rawValue, ownerChangedAt: $0.ownerChangedAt,
                                          severityChangedAt: $0.severityChangedAt)
            }
            batches.append(Batch(incidentKey: key, armId: try head.get("arm_id"), alertId: try head.get("alert_id"),
                                 connectionId: try head.get("connection_id"), writes: writes, commentsSent: try head.get("comments"), known: known))
        }
        return (batches, next)
    }

    /// When a queued write next falls due (a read; the step takes the writer only when one is due).
    /// A write waits behind its incident's earlier unfinished ones, so only each incident's first
    /// counts: a note queued behind a throttled write is not due before that write is.
    static func nextDue(db: Connection) throws -> Date? {
        try db.queryOne("""
            SELECT MIN(w.next_attempt_at) AS due FROM sentinel_writes w
            WHERE w.state = 'queued'
              AND NOT EXISTS (SELECT 1 FROM sentinel_writes x
                              WHERE x.incident_key = w.incident_key AND x.state IN ('queued', 'sending') AND x.id < w.id)
            """)?.get("due")
    }

    /// The batch reached Sentinel: done, our etag remembered, comments counted, the mirror updated.
    static func recordSent(_ batch: Batch, result: SentinelSyncAttempt.Sent, at now: Date, db: Connection) throws {
        for write in batch.writes {
            try db.run("UPDATE sentinel_writes SET state = 'done', last_error = NULL, updated_at = ? WHERE id = ?", [SQLValue(now), .integer(write.id)])
        }
        if result.commentsAdded > 0 { try SentinelIncidentStore.addComments(result.commentsAdded, incidentKey: batch.incidentKey, db: db) }
        // Sentinel's answer goes through the one apply function, our fields marked as ours.
        if let answer = result.incident, let held = try SentinelIncidentStore.fetch(incidentKey: batch.incidentKey, db: db) {
            let connection = try SentinelConnectionFacts.load(id: batch.connectionId, tenantId: held.tenantId, db: db)
            let context = try SentinelState.context(held: held, actor: SentinelState.sentinelActor, connection: connection, db: db)
            _ = try SentinelState.apply(try answer.parsed(), source: .poll, context: context, writtenByUs: batch.change, at: now, firstPages: nil, db: db)
        }
        for skipped in result.skippedComments {
            try TimelineEntry.append(alertId: batch.alertId, at: now, kind: .note, actor: "Microsoft Sentinel", method: "sentinel",
                                     message: "Sentinel comment skipped: \(skipped)", db: db)
        }
    }

    /// Not sent this time: queued again for `retryAt`, or failed after too many attempts.
    static func recordRetry(_ batch: Batch, error: String, retryAt: Date, at now: Date, db: Connection) throws {
        if batch.attempts >= RetryBackoff.maximumAttempts {
            try recordFailure(batch, error: "\(error) (after \(batch.attempts) attempts)", at: now, db: db)
            return
        }
        for write in batch.writes {
            try db.run("UPDATE sentinel_writes SET state = 'queued', next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ?",
                       [SQLValue(retryAt), .text(error), SQLValue(now), .integer(write.id)])
        }
    }

    /// Will not be sent: failed, and the alert's timeline says so.
    static func recordFailure(_ batch: Batch, error: String, at now: Date, db: Connection) throws {
        for write in batch.writes {
            try db.run("UPDATE sentinel_writes SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?",
                       [.text(error), SQLValue(now), .integer(write.id)])
        }
        let kinds = batch.writes.map(\.kind.rawValue).joined(separator: ", ")
        try TimelineEntry.append(alertId: batch.alertId, at: now, kind: .note, actor: "Microsoft Sentinel", method: "sentinel",
                                 message: "Sentinel write failed (\(kinds)): \(error)", db: db)
    }

    static func encode(_ change: SentinelWriteChange) throws -> String {
        String(decoding: try JSONEncoder().encode(change), as: UTF8.self)
    }

    static func decode(_ text: String, id: Int64) throws -> SentinelWriteChange {
        do { return try JSONDecoder().decode(SentinelWriteChange.self, from: Data(text.utf8)) } catch {
            throw StoredDataError("sentinel write \(id) has an unreadable payload: \(error)")
        }
    }
}
