import Cryptography
import Foundation
import HTTPServer
import Storage
import Synchronization

/// Alerts and their timelines. Each change (an ingested event, an acknowledge, a note) is one
/// `Database.write` job: the alert row and its timeline entries commit together or not at all.
struct AlertStore: Sendable {
    static let idPrefix = "alt_"
    static let maximumNoteLength = 4000

    /// What an ingested event did.
    struct IngestResult: Sendable {
        var status = "success"
        var message: String
        var dedupKey: String
        /// The alert the event opened or acted on; nil when an acknowledge or resolve found no open alert.
        var alertId: String?
        /// A new alert's first pages, claimed in the same commit; not part of the answer.
        var firstPages: [ClaimedMessage] = []

        /// The 202 body (schema `IngestResult`), written directly: every event is answered with one,
        /// and Foundation's encoder cost more than the rest of building the answer. Sorted keys, as
        /// `JSON.encoder` writes them.
        var json: [UInt8] {
            let alert = alertId.map(JSONText.quoted) ?? "null"
            return Array(("{\"alertId\":\(alert),\"dedup_key\":\(JSONText.quoted(dedupKey)),\"message\":\(JSONText.quoted(message)),"
                + "\"status\":\(JSONText.quoted(status))}").utf8)
        }
    }

    let database: Database
    let time: any TimeSource
    /// Fires a new alert's first step in the commit that creates it; nil: the engine does it.
    var firstPages: FirstPages? = nil

    // MARK: Ingest

    /// The format of the live key `secret`, or a 404 problem (unknown and revoked keys look alike).
    func format(ofKey secret: String) throws -> IntegrationFormat {
        let hash = Digest.sha256(Array(secret.utf8))
        // A key's format never changes, so it is remembered; whether the key is still live is
        // checked again in the write (a revoked key stores nothing).
        if let known = Self.knownFormats.withLock({ $0[hash] }) { return known }
        guard let resolved = try database.read({ db in try IntegrationKeyStore.resolve(secret: secret, db: db) }) else { throw Self.unknownKey }
        Self.knownFormats.withLock { formats in
            if formats.count >= 4096 { formats.removeAll(keepingCapacity: true) }
            formats[hash] = resolved.key.format
        }
        return resolved.key.format
    }

    /// Formats of keys seen live, by the SHA-256 of their secret (never the secret itself).
    private static let knownFormats = Mutex<[[UInt8]: IntegrationFormat]>([:])

    /// Applies `event` for the key `secret`; returns once the change is durable.
    func ingest(_ event: AlertEvent, secret: String) throws -> IngestResult {
        // Whole milliseconds, as stored, so the first step is due at exactly the alert's creation.
        let now = Date(unixMilliseconds: time.now().unixMilliseconds)
        // Generated outside the job so the job captures only values; used only when needed.
        let (newId, generatedKey) = (SortableID.make(prefix: Self.idPrefix, at: now), Hex.encode(SecureRandom.bytes(16)))
        // Encoded before the write, so the single writer spends its time on SQL only.
        let encoded = (details: try Self.jsonText(event.details), links: try Self.jsonText(event.links))
        return try database.write { db in
            // Checked again inside the write: a key revoked since `format(ofKey:)` stores nothing.
            guard let resolved = try IntegrationKeyStore.resolve(secret: secret, db: db) else { throw Self.unknownKey }
            return try Self.apply(event, encoded: encoded, resolved: resolved, newId: newId, generatedKey: generatedKey, now: now,
                                  firstPages: firstPages, db: db)
        }
    }

    private static var unknownKey: HTTPError { HTTPError(.notFound, detail: "no such integration key (unknown or revoked)") }

    private static func apply(_ event: AlertEvent, encoded: (details: String, links: String), resolved: IntegrationKeyStore.Resolved, newId: String, generatedKey: String,
                              now: Date, firstPages: FirstPages?, db: Connection) throws -> IngestResult {
        let service = resolved.service
        let actor = "integration key \(resolved.key.name)"
        let dedupKey = event.dedupKey ?? generatedKey
        let open = try db.queryOne("SELECT id, status FROM alerts WHERE service_id = ? AND dedup_key = ? AND status != 'resolved'",
                                   [.text(service.id), .text(dedupKey)])
        let openId: String? = try open?.get("id")

        switch event.action {
        case .trigger:
            let (details, links) = encoded
            if let openId {
                try db.run("""
                    UPDATE alerts SET summary = ?, details = ?, links = ?, source = ?, severity = ?, last_event_at = ?, event_count = event_count + 1
                    WHERE id = ?
                    """, [.text(event.summary), .text(details), .text(links), optional(event.source), optional(event.severity), SQLValue(now), .text(openId)])
                try TimelineEntry.append(alertId: openId, at: now, kind: .deduplicated, actor: actor, method: "integration",
                                         message: "repeat trigger for dedup key \(dedupKey): \(event.summary)", db: db)
                return IngestResult(message: "Event processed (deduplicated)", dedupKey: dedupKey, alertId: openId)
            }
            let pages = try Self.open(id: newId, service: service, dedupKey: dedupKey, event: event, encoded: (details, links), actor: actor, method: "integration",
                                 createdMessage: "created from a \(resolved.key.format.rawValue) event: \(event.summary)", now: now, firstPages: firstPages, db: db)
            return IngestResult(message: "Event processed", dedupKey: dedupKey, alertId: newId, firstPages: pages)

        case .acknowledge, .resolve:
            guard let openId else { return IngestResult(message: "Event processed (no open alert with this dedup key)", dedupKey: dedupKey, alertId: nil) }
            let status: AlertStatus = try AlertStatus(rawValue: open?.get("status") ?? "") ?? .triggered
            if event.action == .acknowledge {
                // Acknowledging an acknowledged alert again changes nothing (the first acknowledger stays).
                if status == .triggered { try transition(openId, to: .acknowledged, actor: actor, method: "integration", now: now, db: db) }
            } else {
                try transition(openId, to: .resolved, actor: actor, method: "integration", now: now, db: db)
            }
            return IngestResult(message: "Event processed", dedupKey: dedupKey, alertId: openId)
        }
    }

    /// Inserts a new triggered alert with its "created" entry and starts its service's escalation,
    /// inside the caller's write job; returns the first pages claimed in it. `paging` false: the
    /// alert is recorded and nobody is paged (the caller's timeline says why).
    static func open(id: String, service: Service, dedupKey: String, event: AlertEvent, encoded: (details: String, links: String), actor: String,
                     method: String, createdMessage: String, paging: Bool = true, now: Date, firstPages: FirstPages?, db: Connection) throws -> [ClaimedMessage] {
        let urgency = event.urgency ?? service.urgency
        try db.run("""
            INSERT INTO alerts (id, service_id, dedup_key, summary, details, links, source, severity, urgency, status, created_at, last_event_at, event_count)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'triggered', ?, ?, 1)
            """, [.text(id), .text(service.id), .text(dedupKey), .text(event.summary), .text(encoded.details), .text(encoded.links),
                  optional(event.source), optional(event.severity), .text(urgency.rawValue), SQLValue(now), SQLValue(now)])
        try TimelineEntry.append(alertId: id, at: now, kind: .created, actor: actor, method: method, message: createdMessage, db: db)
        if service.isInMaintenance(at: now), let until = service.maintenanceUntil {
            try TimelineEntry.append(alertId: id, at: now, kind: .suppressed, actor: nil, method: nil,
                                     message: "service \(service.name) is in maintenance until \(RFC3339.format(until)); nobody is paged", db: db)
        }
        guard paging else { return [] }
        try AlertLifecycle.opened(alertId: id, service: service, at: now, db: db)
        return firstPages?.prepare(alertId: id, at: now, db: db) ?? []
    }

    // MARK: Responders

    /// Moves a triggered alert to acknowledged, or an open one to resolved; 409 otherwise.
    /// `actorUserId`: the user acting (an ack link), who gets no status update about it.
    /// `resolution`: the Sentinel classification a resolve asks for (linked incidents only).
    func change(_ id: String, to target: AlertStatus, actor: String, method: String, actorUserId: String? = nil,
                resolution: SentinelWriteHook.Resolution? = nil) throws -> Alert {
        let now = time.now()
        return try database.write { db in
            try Self.change(id, to: target, actor: actor, method: method, actorUserId: actorUserId, resolution: resolution, at: now, db: db)
        }
    }

    /// `change` inside the caller's write job (SMS replies and key presses act with their replay record).
    static func change(_ id: String, to target: AlertStatus, actor: String, method: String, actorUserId: String?,
                       resolution: SentinelWriteHook.Resolution? = nil, at now: Date, db: Connection) throws -> Alert {
        let alert = try fetch(id, db: db)
        let allowed = target == .acknowledged ? alert.status == .triggered : alert.status != .resolved
        guard allowed else {
            let by = alert.status == .resolved ? alert.resolvedBy : alert.acknowledgedBy
            throw HTTPError(.conflict, detail: "alert \(id) is already \(alert.status.rawValue)\(by.map { " (by \($0))" } ?? ""); it cannot become \(target.rawValue)")
        }
        try transition(id, to: target, actor: actor, method: method, actorUserId: actorUserId, resolution: resolution, now: now, db: db)
        return try fetch(id, db: db)
    }

    /// Fires the next escalation step now (the first again after the last). An acknowledged
    /// alert goes back to triggered; a resolved one is a 409.
    func escalate(_ id: String, actor: String, method: String) throws -> Alert {
        let now = time.now()
        return try database.write { db in try Self.escalate(id, actor: actor, method: method, at: now, db: db) }
    }

    /// `escalate` inside the caller's write job.
    static func escalate(_ id: String, actor: String, method: String, at now: Date, db: Connection) throws -> Alert {
        let alert = try fetch(id, db: db)
        guard alert.status != .resolved else {
            throw HTTPError(.conflict, detail: "alert \(id) is already resolved\(alert.resolvedBy.map { " (by \($0))" } ?? ""); it cannot be escalated")
        }
        try AlertLifecycle.escalated(alertId: id, at: now, db: db)
        if alert.status == .acknowledged {
            try db.run("UPDATE alerts SET status = 'triggered', acknowledged_by = NULL, acknowledged_via = NULL, acknowledged_at = NULL WHERE id = ?",
                       [.text(id)])
            try TimelineEntry.append(alertId: id, at: now, kind: .retriggered, actor: actor, method: method,
                                     message: "triggered again by \(actor) via \(method) to escalate", db: db)
        }
        try TimelineEntry.append(alertId: id, at: now, kind: .escalated, actor: actor, method: method,
                                 message: "escalated by \(actor) via \(method)", db: db)
        return try fetch(id, db: db)
    }

    func addNote(_ id: String, text: String, actor: String, method: String) throws -> TimelineEntry {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= Self.maximumNoteLength else {
            throw HTTPError.invalid("text", "must be 1 to \(Self.maximumNoteLength) characters")
        }
        let now = time.now()
        return try database.write { db in
            _ = try Self.fetch(id, db: db)
            try TimelineEntry.append(alertId: id, at: now, kind: .note, actor: actor, method: method, message: trimmed, db: db)
            let entryId = db.lastInsertRowID
            try SentinelWriteHook.noteAdded(alertId: id, text: trimmed, actor: actor, method: method, at: now, db: db)
            guard let row = try db.queryOne("SELECT * FROM alert_timeline WHERE id = ?", [.integer(entryId)]) else {
                throw StoredDataError("note on alert \(id) vanished after insert")
            }
            return try TimelineEntry(row: row)
        }
    }

    private static func transition(_ id: String, to target: AlertStatus, actor: String, method: String, actorUserId: String? = nil,
                                   resolution: SentinelWriteHook.Resolution? = nil, now: Date, db: Connection) throws {
        let prefix = target == .acknowledged ? "acknowledged" : "resolved"
        try db.run("UPDATE alerts SET status = ?, \(prefix)_by = ?, \(prefix)_via = ?, \(prefix)_at = ? WHERE id = ?",
                   [.text(target.rawValue), .text(actor), .text(method), SQLValue(now), .text(id)])
        try TimelineEntry.append(alertId: id, at: now, kind: target == .acknowledged ? .acknowledged : .resolved, actor: actor, method: method,
                                 message: "\(prefix) by \(actor) via \(method)", db: db)
        try AlertLifecycle.stopped(alertId: id, status: target, actor: actor, method: method, actorUserId: actorUserId, at: now, db: db)
        try SentinelWriteHook.statusChanged(alertId: id, to: target, actor: actor, method: method, actorUserId: actorUserId,
                                            resolution: resolution, at: now, db: db)
    }

    /// Sets the alert's severity (Sentinel's words: High, Medium, Low, Informational); a linked
    /// incident gets the same severity.
    func changeSeverity(_ id: String, to severity: String, actor: String, method: String) throws -> Alert {
        guard SentinelWriteHook.severities.contains(severity) else {
            throw HTTPError.invalid("severity", "must be one of \(SentinelWriteHook.severities.joined(separator: ", "))")
        }
        let now = time.now()
        return try database.write { db in
            let alert = try Self.fetch(id, db: db)
            guard alert.severity != severity else { return alert }
            try db.run("UPDATE alerts SET severity = ? WHERE id = ?", [.text(severity), .text(id)])
            try TimelineEntry.append(alertId: id, at: now, kind: .note, actor: actor, method: method,
                                     message: "severity changed to \(severity) by \(actor) via \(method)", db: db)
            try SentinelWriteHook.severityChanged(alertId: id, to: severity, actor: actor, method: method, at: now, db: db)
            return try Self.fetch(id, db: db)
        }
    }

    // MARK: Reading

    func get(_ id: String) throws -> Alert {
        try database.read { db in try Self.fetch(id, db: db) }
    }

    func list(_ query: AlertQuery) throws -> Page<Alert> {
        let condition = query.condition
        return try database.read { db in
            // One row more than asked says whether another page follows.
            let rows = try db.query("SELECT \(Alert.columns) FROM alerts WHERE \(condition.sql) ORDER BY created_at DESC, id DESC LIMIT ?",
                                    condition.bindings + [.integer(Int64(query.limit + 1))])
            let items = try rows.prefix(query.limit).map(Alert.init(row:))
            return Page(items: items, nextCursor: rows.count > query.limit ? items.last.map(AlertQuery.cursor(after:)) : nil)
        }
    }

    /// Entries oldest first, a page at a time; `after` is the id of the previous page's last entry.
    func timeline(_ id: String, after: Int64?, limit: Int) throws -> Page<TimelineEntry> {
        try database.read { db in
            _ = try Self.fetch(id, db: db)
            let rows = try db.query("SELECT id, at, kind, actor, method, message FROM alert_timeline WHERE alert_id = ? AND id > ? ORDER BY id LIMIT ?",
                                    [.text(id), .integer(after ?? 0), .integer(Int64(limit + 1))])
            let items = try rows.prefix(limit).map(TimelineEntry.init(row:))
            return Page(items: items, nextCursor: rows.count > limit ? items.last.map { PageRequest.cursor(after: String($0.id)) } : nil)
        }
    }

    static func fetch(_ id: String, db: Connection) throws -> Alert {
        guard let row = try db.queryOne("SELECT \(Alert.columns) FROM alerts WHERE id = ?", [.text(id)]) else {
            throw HTTPError(.notFound, detail: "no alert \(id)")
        }
        return try Alert(row: row)
    }

    static func jsonText(_ value: some Encodable) throws -> String { String(decoding: try JSON.encoder.encode(value), as: UTF8.self) }

    private static func optional(_ text: String?) -> SQLValue { text.map { .text($0) } ?? .null }
}
