import Foundation
import Gateways
import HTTPServer
import Logging
import Storage

/// The paging side of the gateways' inbound routes (`InboundEvents`): SMS replies (reply codes,
/// STOP/START, help), key presses in voice pages, delivery reports and voice scripts. Each event
/// is handled in one write job together with its replay record, so a provider's retry of the
/// same request has no second effect. Alerts change through `AlertStore`'s own transitions, as
/// the API and ack links do. See docs/GATEWAYS.md.
final class InboundPaging: InboundEvents {
    /// Help replies to one number before we fall silent, until a real message to it succeeds.
    static let helpReplyLimit = 5
    static let smsMethod = "sms"
    static let voiceMethod = "voice"
    static let help = "Watchkeeper: reply 1a to acknowledge alert 1, 1c to close it, 1e to escalate; a, c or e for the last alert; aa or cc for all of the last message."

    private let database: Database
    private let time: any TimeSource
    private let logger: Logger
    private let wake: @Sendable () -> Void

    init(database: Database, time: any TimeSource, logger: Logger, wake: @escaping @Sendable () -> Void) {
        self.database = database
        self.time = time
        self.logger = logger
        self.wake = wake
    }

    // MARK: SMS

    func smsReceived(_ sms: InboundSMS) -> String? {
        let now = time.now()
        let from = Self.e164(sms.from)
        let command = SMSCommand(parsing: sms.text)
        do {
            let answer = try database.write { db -> String? in
                if let previous = try ProviderEvents.answer(gateway: sms.gateway, id: sms.providerMessageId, kind: .sms, db: db) {
                    return previous
                }
                let answer = try Self.handle(command, from: from, at: now, db: db)
                try ProviderEvents.record(gateway: sms.gateway, id: sms.providerMessageId, kind: .sms, answer: answer, at: now, db: db)
                return answer
            }
            wake()
            return answer
        } catch {
            logger.error("inbound sms from \(from) via \(sms.gateway) could not be handled: \(error)")
            return nil
        }
    }

    /// "+4791234567" whether the provider sent the leading "+" (Twilio) or not (Vonage).
    static func e164(_ number: String) -> String {
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("+") ? trimmed : "+" + trimmed
    }

    /// The SMS contact methods at a number, the one paged most recently first.
    private struct Sender {
        var methodIds: [String]
        var userId: String
        var userName: String
    }

    private static func sender(_ address: String, db: Connection) throws -> Sender? {
        let rows = try db.query("""
            SELECT cm.id, cm.user_id, COALESCE(json_extract(u.body, '$.name'), cm.user_id) AS user_name,
                   (SELECT MAX(sent_at) FROM messages m WHERE m.contact_method_id = cm.id) AS last_sent
            FROM contact_methods cm LEFT JOIN users u ON u.id = cm.user_id
            WHERE cm.type = 'sms' AND cm.address = ?
            ORDER BY last_sent IS NULL, last_sent DESC, cm.created_at, cm.id
            """, [.text(address)])
        guard let first = rows.first else { return nil }
        // One phone may hold methods of several users; the one paged last is the one answering.
        let userId: String = try first.get("user_id")
        let ids = try rows.filter { try $0.get("user_id", as: String.self) == userId }.map { try $0.get("id", as: String.self) }
        return Sender(methodIds: ids, userId: userId, userName: try first.get("user_name"))
    }

    private static func handle(_ command: SMSCommand, from: String, at now: Date, db: Connection) throws -> String? {
        switch command {
        case .optOut:
            // The carrier or provider answers the keyword itself and blocks us; we stop trying.
            try db.run("UPDATE contact_methods SET disabled_at = ?, updated_at = ? WHERE type = 'sms' AND address = ? AND disabled_at IS NULL",
                       [SQLValue(now), SQLValue(now), .text(from)])
            return nil
        case .optIn:
            try db.run("UPDATE contact_methods SET disabled_at = NULL, updated_at = ? WHERE type = 'sms' AND address = ? AND disabled_at IS NOT NULL",
                       [SQLValue(now), .text(from)])
            return nil
        case .unknown:
            guard try sender(from, db: db) != nil else { return nil }
            return try helpReply(to: from, db: db)
        case .act(let code, let action):
            guard let sender = try sender(from, db: db) else { return nil }
            let alertId: String?
            if let code {
                alertId = try ReplyCodes.alert(code: code, contactMethodIds: sender.methodIds, db: db)
                guard alertId != nil else { return try helpReply(to: from, prefix: "No alert \(code) for you. ", db: db) }
            } else {
                let last = try lastMessageAlerts(sender.methodIds, db: db)
                guard !last.isEmpty else { return try helpReply(to: from, prefix: "No alert was sent to you. ", db: db) }
                guard last.count == 1 else {
                    return try helpReply(to: from, prefix: "The last message had \(last.count) alerts: reply aa or cc for all, or a code like 1a. ",
                                         db: db)
                }
                alertId = last[0]
            }
            guard let alertId else { return nil }
            let code = try code ?? db.queryOne("SELECT code FROM sms_reply_codes WHERE alert_id = ? AND contact_method_id IN (SELECT value FROM json_each(?))",
                                                [.text(alertId), .text(jsonArray(sender.methodIds))])?.get("code", as: Int.self)
            let outcome = try act(action, on: alertId, actor: sender.userName, userId: sender.userId, method: smsMethod, at: now, db: db)
            return outcome.reply(code: code)
        case .all(let action):
            guard let sender = try sender(from, db: db) else { return nil }
            let alerts = try lastMessageAlerts(sender.methodIds, db: db)
            guard !alerts.isEmpty else { return try helpReply(to: from, prefix: "No alert was sent to you. ", db: db) }
            var done = 0
            for alertId in alerts {
                if case .done = try act(action, on: alertId, actor: sender.userName, userId: sender.userId, method: smsMethod, at: now, db: db) {
                    done += 1
                }
            }
            let verb = action == .acknowledge ? "Acknowledged" : "Closed"
            let rest = alerts.count - done
            return "\(verb) \(done) of \(alerts.count) alert\(alerts.count == 1 ? "" : "s")" + (rest > 0 ? " (\(rest) already \(action == .acknowledge ? "acknowledged or closed" : "closed"))." : ".")
        }
    }

    /// The help text, unless the number has had `helpReplyLimit` of them since the last real message.
    private static func helpReply(to address: String, prefix: String = "", db: Connection) throws -> String? {
        let count: Int = try db.queryOne("SELECT count FROM sms_help_replies WHERE address = ?", [.text(address)])?.get("count") ?? 0
        guard count < helpReplyLimit else { return nil }
        try db.run("INSERT INTO sms_help_replies (address, count) VALUES (?, 1) ON CONFLICT (address) DO UPDATE SET count = count + 1",
                   [.text(address)])
        return prefix + help
    }

    /// The alerts of the last page sent to the methods (a bundle's members included), in order.
    private static func lastMessageAlerts(_ methodIds: [String], db: Connection) throws -> [String] {
        guard let last = try db.queryOne("""
            SELECT id, alert_id FROM messages
            WHERE contact_method_id IN (SELECT value FROM json_each(?)) AND kind = 'alert' AND state IN ('sent', 'delivered')
            ORDER BY sent_at DESC, id DESC LIMIT 1
            """, [.text(jsonArray(methodIds))]) else { return [] }
        return try alerts(ofMessage: try last.get("id"), first: try last.get("alert_id"), db: db)
    }

    /// A message's alert and those of the messages bundled into it, each once.
    private static func alerts(ofMessage id: String, first: String?, db: Connection) throws -> [String] {
        let members = try db.query("SELECT alert_id FROM messages WHERE bundle_id = ? AND alert_id IS NOT NULL ORDER BY created_at, id", [.text(id)])
            .map { try $0.get("alert_id", as: String.self) }
        var seen = Set<String>()
        return ([first].compactMap { $0 } + members).filter { seen.insert($0).inserted }
    }

    private static func jsonArray(_ values: [String]) -> String {
        String(decoding: (try? JSONEncoder().encode(values)) ?? Data("[]".utf8), as: UTF8.self)
    }

    // MARK: Acting on an alert

    enum Outcome {
        case done(SMSCommand.Action, summary: String)
        /// Refused by the alert's state, e.g. "alert … is already resolved (by Ana)".
        case refused(SMSCommand.Action, reason: String, summary: String)

        func reply(code: Int?) -> String {
            let name = code.map { "alert \($0)" } ?? "the alert"
            switch self {
            case .done(let action, let summary):
                let verb = switch action {
                case .acknowledge: "Acknowledged"
                case .close: "Closed"
                case .escalate: "Escalated"
                }
                return "\(verb) \(name): \(Self.short(summary))"
            case .refused(_, let reason, let summary):
                return "Not possible for \(name) (\(Self.short(summary))): \(reason)"
            }
        }

        static func short(_ text: String) -> String {
            text.count <= 60 ? text : String(text.prefix(57)) + "..."
        }
    }

    /// Acknowledges, resolves or escalates one alert as `actor`, inside the caller's write job.
    static func act(_ action: SMSCommand.Action, on alertId: String, actor: String, userId: String, method: String, at now: Date,
                    db: Connection) throws -> Outcome {
        let summary: String = try db.queryOne("SELECT summary FROM alerts WHERE id = ?", [.text(alertId)])?.get("summary") ?? alertId
        do {
            try db.transaction {
                switch action {
                case .acknowledge:
                    _ = try AlertStore.change(alertId, to: .acknowledged, actor: actor, method: method, actorUserId: userId, at: now, db: db)
                case .close:
                    _ = try AlertStore.change(alertId, to: .resolved, actor: actor, method: method, actorUserId: userId, at: now, db: db)
                case .escalate:
                    _ = try AlertStore.escalate(alertId, actor: actor, method: method, at: now, db: db)
                }
            }
            return .done(action, summary: summary)
        } catch let error as HTTPError where error.status == .conflict || error.status == .notFound {
            let reason = (try? db.queryOne("SELECT status FROM alerts WHERE id = ?", [.text(alertId)]))?
                .flatMap { try? $0.get("status", as: String.self) }.map { "it is \($0)" } ?? "it no longer exists"
            return .refused(action, reason: reason, summary: summary)
        }
    }

    // MARK: Voice

    func keyPressed(_ press: KeyPress) -> KeyPressOutcome {
        let now = time.now()
        let action: SMSCommand.Action? = switch press.digits.trimmingCharacters(in: .whitespaces).first {
        case "1": .acknowledge
        case "2": .escalate
        case "3": .close
        default: nil
        }
        do {
            let outcome = try database.write { db -> KeyPressOutcome in
                guard let message = try db.queryOne("""
                    SELECT id, alert_id, user_id, kind FROM messages WHERE provider = ? AND provider_message_id = ?
                    """, [.text(press.gateway), .text(press.callId)]),
                      try message.get("kind", as: String.self) == MessageKind.alert.rawValue else { return .unknownCall }
                guard let action else { return .unknownKey }
                let eventId = press.callId + ":" + press.digits
                if let previous = try ProviderEvents.answer(gateway: press.gateway, id: eventId, kind: .key, db: db),
                   let stored = previous.flatMap(KeyPressOutcome.init(stored:)) {
                    return stored
                }
                let userId: String = try message.get("user_id")
                let userName: String = try db.queryOne("SELECT json_extract(body, '$.name') AS name FROM users WHERE id = ?", [.text(userId)])?
                    .get("name", as: String?.self) ?? userId
                var outcome = KeyPressOutcome.alreadyClosed
                for alertId in try Self.alerts(ofMessage: try message.get("id"), first: try message.get("alert_id"), db: db) {
                    if case .done = try Self.act(action, on: alertId, actor: userName, userId: userId, method: Self.voiceMethod, at: now, db: db) {
                        outcome = switch action {
                        case .acknowledge: .acknowledged
                        case .close: .resolved
                        case .escalate: .escalated
                        }
                    }
                }
                try ProviderEvents.record(gateway: press.gateway, id: eventId, kind: .key, answer: outcome.stored, at: now, db: db)
                return outcome
            }
            wake()
            return outcome
        } catch {
            logger.error("key press on call \(press.callId) via \(press.gateway) could not be handled: \(error)")
            return .unknownCall
        }
    }

    func voiceScript(messageId: String) -> VoiceScript? {
        do {
            return try database.read { db -> VoiceScript? in
                guard let row = try db.queryOne("SELECT id, alert_id, service_id, kind, body, state FROM messages WHERE id = ?", [.text(messageId)]) else {
                    return nil
                }
                let kind = MessageKind(rawValue: try row.get("kind")) ?? .test
                let body: String = try row.get("body")
                // A verification code is dropped from the row once sent; it cannot be read out again.
                if kind == .verification && body == OutboxClaim.verificationSentBody { return nil }
                guard kind == .alert else { return VoiceScript(text: body, acceptsKeys: false) }
                let alerts = try Self.alerts(ofMessage: messageId, first: try row.get("alert_id"), db: db)
                guard alerts.count > 1 else { return VoiceScript(text: "Watchkeeper alert. \(body)", acceptsKeys: true) }
                let service: String = try (row.get("service_id", as: String?.self)).flatMap {
                    try db.queryOne("SELECT json_extract(body, '$.name') AS name FROM services WHERE id = ?", [.text($0)])?.get("name", as: String?.self)
                } ?? "a service"
                var summaries: [String] = []
                for alertId in alerts {
                    if let summary: String = try db.queryOne("SELECT summary FROM alerts WHERE id = ?", [.text(alertId)])?.get("summary") {
                        summaries.append(summary)
                    }
                }
                return VoiceScript(text: "Watchkeeper: \(alerts.count) new alerts on \(service). " + summaries.joined(separator: ". "), acceptsKeys: true)
            }
        } catch {
            logger.error("voice script for message \(messageId) could not be read: \(error)")
            return nil
        }
    }

    // MARK: Delivery reports

    func deliveryReported(_ report: DeliveryReport) {
        let now = time.now()
        do {
            let changed = try database.write { db -> Bool in
                guard let row = try db.queryOne("""
                    SELECT m.id, m.alert_id, m.user_id, m.kind, m.state, cm.type, COALESCE(json_extract(u.body, '$.name'), m.user_id) AS user_name
                    FROM messages m LEFT JOIN contact_methods cm ON cm.id = m.contact_method_id LEFT JOIN users u ON u.id = m.user_id
                    WHERE m.provider = ? AND m.provider_message_id = ?
                    """, [.text(report.gateway), .text(report.providerMessageId)]) else { return false }
                let id: String = try row.get("id")
                switch report.status {
                case .sent:
                    // 'sent' is where an accepted message already is; nothing to move.
                    return false
                case .delivered:
                    // Only forward: 'delivered' and 'failed' are final, so a late report cannot undo them.
                    return try db.run("UPDATE messages SET state = 'delivered', updated_at = ? WHERE id = ? AND state = 'sent'",
                                      [SQLValue(now), .text(id)]) > 0
                case .failed:
                    guard try db.run("UPDATE messages SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND state = 'sent'",
                                     [.text("\(report.gateway) reported: \(report.detail)"), SQLValue(now), .text(id)]) > 0 else { return false }
                    let channel = "\(try row.get("type", as: String?.self) ?? "message") to \(try row.get("user_name", as: String.self))"
                    try OutboxRecord.pageFailed(alertIds: try Self.alerts(ofMessage: id, first: try row.get("alert_id"), db: db),
                                                userId: try row.get("user_id"), isPage: try row.get("kind", as: String.self) == MessageKind.alert.rawValue,
                                                timeline: "\(channel) failed: \(report.gateway) reported \(report.detail)", at: now, db: db)
                    return true
                }
            }
            if changed { wake() }
        } catch {
            logger.error("delivery report for \(report.providerMessageId) via \(report.gateway) could not be recorded: \(error)")
        }
    }
}

extension KeyPressOutcome {
    /// How an outcome is kept in `provider_events.answer` for replays.
    var stored: String {
        switch self {
        case .acknowledged: "acknowledged"
        case .escalated: "escalated"
        case .resolved: "resolved"
        case .alreadyClosed: "already-closed"
        case .unknownKey: "unknown-key"
        case .unknownCall: "unknown-call"
        }
    }

    init?(stored: String) {
        switch stored {
        case "acknowledged": self = .acknowledged
        case "escalated": self = .escalated
        case "resolved": self = .resolved
        case "already-closed": self = .alreadyClosed
        default: return nil
        }
    }
}
