import Foundation
import Gateways
import Paging
import Storage

/// The outbox's write jobs before sending: recovering messages a crash left 'sending', and
/// claiming the due ones (cancel what can no longer be sent, throttle, bundle, render, issue ack
/// tokens) in one commit, so a claimed message is 'sending' durably before any provider sees it.
enum OutboxClaim {
    static let verificationSentBody = "(verification code sent)"

    struct Result: Sendable {
        var claimed: [ClaimedMessage]
        /// The earliest `next_attempt_at` still queued after this pass; nil when none.
        var next: Date?
    }

    /// A queued message as the claim reads it.
    private struct Queued {
        var id: String
        var alertId: String?
        var serviceId: String?
        var userId: String
        var contactMethodId: String
        var kind: MessageKind
        var subject: String
        var body: String
        var attempts: Int
        /// Which gateway of the message's route it is on, and its attempts there (failover).
        var gatewayIndex: Int
        var gatewayAttempts: Int

        static let columns = "id, alert_id, service_id, user_id, contact_method_id, kind, subject, body, attempts, gateway_index, gateway_attempts"

        init(row: Row) throws {
            id = try row.get("id")
            alertId = try row.get("alert_id")
            serviceId = try row.get("service_id")
            userId = try row.get("user_id")
            contactMethodId = try row.get("contact_method_id")
            let kindText: String = try row.get("kind")
            guard let kind = MessageKind(rawValue: kindText) else { throw StoredDataError("message \(id) has unknown kind \(kindText)") }
            self.kind = kind
            subject = try row.get("subject")
            body = try row.get("body")
            attempts = try row.get("attempts")
            gatewayIndex = try row.get("gateway_index")
            gatewayAttempts = try row.get("gateway_attempts")
        }
    }

    /// The contact method a group of messages goes to.
    private struct Method {
        var type: ContactMethodType
        var address: String
        var verified: Bool
        var disabled: Bool
        var userName: String?

        init?(id: String, db: Connection) throws {
            guard let row = try db.queryOne("""
                SELECT cm.type, cm.address, cm.verified_at, cm.disabled_at, json_extract(u.body, '$.name') AS user_name
                FROM contact_methods cm LEFT JOIN users u ON u.id = cm.user_id WHERE cm.id = ?
                """, [.text(id)]) else { return nil }
            let typeText: String = try row.get("type")
            guard let type = ContactMethodType(rawValue: typeText) else { throw StoredDataError("contact method \(id) has unknown type \(typeText)") }
            self.type = type
            address = try row.get("address")
            verified = try row.get("verified_at", as: Date?.self) != nil
            disabled = try row.get("disabled_at", as: Date?.self) != nil
            userName = try row.get("user_name")
        }

        /// Why `kind` cannot be sent here; nil when it can. Verification codes go to unverified methods.
        func refusal(for kind: MessageKind) -> String? {
            if disabled { return "contact method is disabled" }
            if !verified && kind != .verification { return "contact method is not verified" }
            return nil
        }

        var channel: Throttle.Channel {
            switch type {
            case .sms: .sms
            case .voice: .voice
            case .email: .email
            case .webhook, .slack, .teams: .webhook
            }
        }
    }

    /// Messages left 'sending' by a crash between claim and record go back to the queue due now,
    /// with the members of their bundles: at most those are sent twice, none is lost.
    @discardableResult
    static func recoverInterrupted(at now: Date, db: Connection) throws -> Int {
        let interrupted = try db.query("SELECT id FROM messages WHERE state = 'sending'")
        for row in interrupted {
            try requeue(id: try row.get("id"), at: now, next: now, lastError: "interrupted by a restart while sending", db: db)
        }
        return interrupted.count
    }

    /// Puts a 'sending' message back in the queue and unfolds its bundle, so each member can be
    /// cancelled on its own (an acknowledged alert) and bundled again at the next attempt.
    static func requeue(id: String, at now: Date, next: Date, lastError: String, db: Connection) throws {
        try db.run("UPDATE messages SET state = 'queued', next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'sending'",
                   [SQLValue(next), .text(lastError), SQLValue(now), .text(id)])
        try db.run("""
            UPDATE messages SET state = 'queued', bundle_id = NULL, next_attempt_at = ?, updated_at = ?
            WHERE bundle_id = ? AND state = 'bundled'
            """, [SQLValue(next), SQLValue(now), .text(id)])
    }

    /// Claims the due messages (only those of `alertId` when given: the first pages of a new
    /// alert, claimed in the commit that creates it).
    static func claim(at now: Date, throttle: Throttle, publicURL: String, alertId: String? = nil, db: Connection) throws -> Result {
        // A method with a message at a provider waits for its answer (the record wakes the
        // engine): the throttle then sees that send.
        let busy = Set(try db.query("SELECT DISTINCT contact_method_id FROM messages WHERE state = 'sending'")
            .map { try $0.get("contact_method_id", as: String.self) })
        let due = try db.query("""
            SELECT \(Queued.columns) FROM messages
            WHERE state IN ('queued', 'sending') AND state = 'queued' AND next_attempt_at <= ? AND (? IS NULL OR alert_id = ?)
            ORDER BY next_attempt_at, created_at, id
            """, [SQLValue(now), alertId.map { .text($0) } ?? .null, alertId.map { .text($0) } ?? .null]).map(Queued.init(row:))
        var methodOrder: [String] = []
        var byMethod: [String: [Queued]] = [:]
        for message in due where !busy.contains(message.contactMethodId) {
            if byMethod[message.contactMethodId] == nil { methodOrder.append(message.contactMethodId) }
            byMethod[message.contactMethodId, default: []].append(message)
        }

        var claimed: [ClaimedMessage] = []
        for methodId in methodOrder {
            let messages = byMethod[methodId] ?? []
            guard let method = try Method(id: methodId, db: db) else {
                for message in messages { try cancel(message.id, reason: "contact method no longer exists", at: now, db: db) }
                continue
            }
            var history = try db.query("SELECT sent_at, service_id FROM messages WHERE contact_method_id = ? AND sent_at > ?",
                                       [.text(methodId), SQLValue(now.addingTimeInterval(-throttle.historyWindow))])
                .map { Throttle.Send(sentAt: try $0.get("sent_at"), serviceId: try $0.get("service_id")) }
            var folded = Set<String>()
            for message in messages where !folded.contains(message.id) {
                if let reason = method.refusal(for: message.kind) {
                    try cancel(message.id, reason: reason, at: now, db: db)
                    continue
                }
                // Verification codes and test messages are asked for by a person waiting for them.
                if message.kind != .verification && message.kind != .test {
                    let allowed = throttle.earliest(channel: method.channel, history: history, serviceId: message.serviceId,
                                                    isAlert: message.kind == .alert, now: now)
                    if allowed > now {
                        try db.run("UPDATE messages SET next_attempt_at = ?, updated_at = ? WHERE id = ?",
                                   [SQLValue(allowed), SQLValue(now), .text(message.id)])
                        continue
                    }
                }
                var members: [Queued] = []
                if message.kind == .alert {
                    members = try db.query("""
                        SELECT \(Queued.columns) FROM messages
                        WHERE contact_method_id = ? AND state = 'queued' AND kind = 'alert' AND service_id IS ? AND id <> ?
                        ORDER BY created_at, id
                        """, [.text(methodId), message.serviceId.map { .text($0) } ?? .null, .text(message.id)]).map(Queued.init(row:))
                    for member in members {
                        try db.run("UPDATE messages SET state = 'bundled', bundle_id = ?, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
                                   [.text(message.id), SQLValue(now), .text(member.id)])
                        folded.insert(member.id)
                    }
                }
                try db.run("""
                    UPDATE messages SET state = 'sending', attempts = attempts + 1, gateway_attempts = gateway_attempts + 1, next_attempt_at = ?,
                        updated_at = ? WHERE id = ?
                    """,
                           [SQLValue(now), SQLValue(now), .text(message.id)])
                history.append(Throttle.Send(sentAt: now, serviceId: message.serviceId))
                claimed.append(try render(message, members: members, method: method, publicURL: publicURL, at: now, db: db))
            }
        }

        return Result(claimed: claimed, next: alertId == nil ? try nextAttempt(after: now, db: db) : nil)
    }

    /// The earliest `next_attempt_at` of a queued message after `now`. Due messages of a method
    /// with a send in flight are left out: recording that send wakes the engine.
    static func nextAttempt(after now: Date, db: Connection) throws -> Date? {
        try db.queryOne("""
            SELECT MIN(next_attempt_at) AS next FROM messages WHERE state IN ('queued', 'sending') AND state = 'queued' AND next_attempt_at > ?
            """, [SQLValue(now)])?.get("next")
    }

    /// Whether a claim at `now` could do anything; read-only, so an idle pass costs no write job.
    static func hasDueMessages(at now: Date, db: Connection) throws -> Bool {
        try db.queryOne("""
            SELECT 1 AS due FROM messages
            WHERE state IN ('queued', 'sending') AND state = 'queued' AND next_attempt_at <= ?
              AND contact_method_id NOT IN (SELECT contact_method_id FROM messages WHERE state = 'sending')
            LIMIT 1
            """, [SQLValue(now)]) != nil
    }

    private static func cancel(_ id: String, reason: String, at now: Date, db: Connection) throws {
        try db.run("UPDATE messages SET state = 'cancelled', next_attempt_at = NULL, last_error = ?, updated_at = ? WHERE id = ?",
                   [.text(reason), SQLValue(now), .text(id)])
    }

    /// The text a provider sends: the body (or the bundle's summary line) and one ack link per
    /// alert; for SMS fitted to at most 3 segments with each alert's reply code (see `SMSPage`).
    private static func render(_ message: Queued, members: [Queued], method: Method, publicURL: String, at now: Date,
                               db: Connection) throws -> ClaimedMessage {
        // One entry per alert: a user paged twice for one alert (a new round) gets one line and one link.
        var seen = Set<String>()
        let parts = ([message] + members).filter { $0.alertId.map { seen.insert($0).inserted } ?? true }
        let serviceName: String? = try message.serviceId.flatMap {
            try db.queryOne("SELECT json_extract(body, '$.name') AS name FROM services WHERE id = ?", [.text($0)])?.get("name")
        }
        var summaries: [String] = []
        for part in parts where part.alertId != nil {
            let summary: String? = try part.alertId.flatMap {
                try db.queryOne("SELECT summary FROM alerts WHERE id = ?", [.text($0)])?.get("summary")
            }
            summaries.append(summary ?? part.subject)
        }
        var subject = message.subject
        var body = message.body
        if parts.count > 1 {
            subject = "\(parts.count) new alerts on \(serviceName ?? message.serviceId ?? "an unknown service")"
            body = subject + ": " + summaries.joined(separator: "; ")
        }
        var alertIds: [String] = []
        var links: [String] = []
        if message.kind == .alert || message.kind == .statusUpdate {
            for alertId in parts.compactMap(\.alertId) {
                let token = try AckTokens.issue(alertId: alertId, userId: message.userId, at: now, db: db)
                alertIds.append(alertId)
                links.append(AckTokens.link(publicURL: publicURL, token: token))
            }
        }
        var codes: [Int] = []
        let text: String
        if method.type == .sms {
            if message.kind == .alert && !alertIds.isEmpty {
                for alertId in alertIds {
                    codes.append(try ReplyCodes.code(contactMethodId: message.contactMethodId, alertId: alertId, at: now, db: db))
                }
                text = alertIds.count == 1 ? SMSPage.alert(body: body, link: links.first, code: codes[0]).text
                    : SMSPage.bundle(subject: subject, summaries: summaries, codes: codes, firstLink: links.first).text
            } else {
                text = SMSPage.other(body: body, links: links).text
            }
        } else {
            text = body + links.map { "\nAcknowledge: \($0)" }.joined()
        }
        let outgoing = OutgoingMessage(id: message.id, kind: message.kind, type: method.type, address: method.address, userId: message.userId,
                                       contactMethodId: message.contactMethodId, alertIds: alertIds, subject: subject, text: text, ackLinks: links,
                                       summaries: alertIds.isEmpty ? [] : summaries, replyCodes: codes.map(String.init), serviceName: serviceName,
                                       spokenText: method.type == .voice
                                           ? VoicePage.script(kind: message.kind, body: message.body, serviceName: serviceName,
                                                              summaries: alertIds.isEmpty ? [] : summaries)
                                           : nil)
        return ClaimedMessage(message: outgoing, attempts: message.attempts + 1, bundledIds: members.map(\.id),
                              userName: method.userName ?? message.userId, gatewayIndex: message.gatewayIndex,
                              gatewayAttempts: message.gatewayAttempts + 1)
    }
}
