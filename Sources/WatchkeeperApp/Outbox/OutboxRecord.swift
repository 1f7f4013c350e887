import Foundation
import Gateways
import Storage

/// The outbox's write job after a provider answered: the message's new state, the alerts'
/// timelines, and on a final failure the user's next contact method, all in one commit.
enum OutboxRecord {
    /// Temporary failures a gateway gets before the message moves to the next gateway of its
    /// route. The last gateway keeps the outbox's own limit (`RetryBackoff.maximumAttempts` in all).
    static let attemptsBeforeFailover = 3
    /// A gateway asking us to wait longer than this (`Retry-After`) is left for the next one at
    /// once: a page should not sit out a rate limit while another gateway could send it.
    static let longestWaitBeforeFailover: TimeInterval = 60

    /// `gateways`: the length of the message's route (1 without a gateways file).
    static func record(_ claimed: ClaimedMessage, result: DeliveryResult, provider: String?, gateways: Int = 1, at now: Date,
                       db: Connection) throws {
        let message = claimed.message
        let channel = "\(message.type.rawValue) to \(claimed.userName)"
        switch result {
        case .accepted(let providerMessageId):
            try db.run("""
                UPDATE messages SET state = 'sent', sent_at = ?, provider = ?, provider_message_id = ?, last_error = NULL,
                    next_attempt_at = NULL, updated_at = ?, body = CASE WHEN kind = 'verification' AND ? THEN ? ELSE body END
                WHERE id = ? AND state = 'sending'
                """, [SQLValue(now), provider.map { .text($0) } ?? .null, providerMessageId.map { .text($0) } ?? .null, SQLValue(now),
                      // A voice call fetches its words when answered (InboundEvents.voiceScript): its code stays until the call's final report.
                      .integer(message.type == .voice ? 0 : 1), .text(OutboxClaim.verificationSentBody), .text(message.id)])
            for alertId in message.alertIds {
                try TimelineEntry.append(alertId: alertId, at: now, kind: .messageSent, actor: nil, method: nil,
                                         message: "sent \(channel) via \(provider ?? "no provider")", db: db)
            }
            // A real message reached the number: it may have help replies again (see InboundPaging).
            if message.type == .sms {
                try db.run("DELETE FROM sms_help_replies WHERE address = ?", [.text(message.address)])
            }
        case .temporaryFailure(let reason, let retryAfter):
            let hasNext = claimed.gatewayIndex + 1 < gateways
            let waitsTooLong = (retryAfter ?? 0) > longestWaitBeforeFailover
            if hasNext && (claimed.gatewayAttempts >= attemptsBeforeFailover || waitsTooLong) {
                // This gateway had its chances: the next one is tried at once.
                try nextGateway(claimed, because: waitsTooLong
                                    ? "\(channel) via \(provider ?? "no provider") asks to wait \(Int(retryAfter ?? 0)) s (\(reason)); trying the next gateway"
                                    : "\(channel) via \(provider ?? "no provider") failed \(claimed.gatewayAttempts) times (\(reason)); trying the next gateway",
                                lastError: reason, at: now, db: db)
                return
            }
            guard hasNext || claimed.attempts < RetryBackoff.maximumAttempts else {
                try fail(claimed, reason: "gave up after \(claimed.attempts) attempts: \(reason)", provider: provider, channel: channel, at: now, db: db)
                return
            }
            let delay = RetryBackoff.delay(afterAttempt: claimed.gatewayAttempts, retryAfter: retryAfter)
            try OutboxClaim.requeue(id: message.id, at: now, next: now.addingTimeInterval(delay), lastError: reason, db: db)
        case .permanentFailure(let reason):
            try fail(claimed, reason: reason, provider: provider, channel: channel, at: now, db: db)
        case .gatewayFailure(let reason):
            // Not the recipient's fault: another gateway may well reach them.
            guard claimed.gatewayIndex + 1 < gateways else {
                try fail(claimed, reason: reason, provider: provider, channel: channel, at: now, db: db)
                return
            }
            try nextGateway(claimed, because: "\(channel) via \(provider ?? "no provider") cannot send (\(reason)); trying the next gateway",
                            lastError: reason, at: now, db: db)
        }
    }

    private static func nextGateway(_ claimed: ClaimedMessage, because timeline: String, lastError: String, at now: Date, db: Connection) throws {
        try db.run("UPDATE messages SET gateway_index = gateway_index + 1, gateway_attempts = 0 WHERE id = ? AND state = 'sending'",
                   [.text(claimed.message.id)])
        for alertId in claimed.message.alertIds {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .messageFailed, actor: nil, method: nil, message: timeline, db: db)
        }
        try OutboxClaim.requeue(id: claimed.message.id, at: now, next: now, lastError: lastError, db: db)
    }

    /// 'failed' for good; each alert's user is tried on their next contact method at once.
    private static func fail(_ claimed: ClaimedMessage, reason: String, provider: String?, channel: String, at now: Date, db: Connection) throws {
        let message = claimed.message
        try db.run("""
            UPDATE messages SET state = 'failed', provider = ?, last_error = ?, next_attempt_at = NULL, updated_at = ?,
                body = CASE WHEN kind = 'verification' THEN ? ELSE body END
            WHERE id = ? AND state = 'sending'
            """, [provider.map { .text($0) } ?? .null, .text(reason), SQLValue(now), .text(OutboxClaim.verificationSentBody), .text(message.id)])
        try pageFailed(alertIds: message.alertIds, userId: message.userId, isPage: message.kind == .alert,
                       timeline: "\(channel) failed: \(reason)", at: now, db: db)
    }

    /// After a message failed for good (here, or by a provider's delivery report): the timeline
    /// says so and, for a page, the user's next contact method is due now.
    static func pageFailed(alertIds: [String], userId: String, isPage: Bool, timeline: String, at now: Date, db: Connection) throws {
        for alertId in alertIds {
            try TimelineEntry.append(alertId: alertId, at: now, kind: .messageFailed, actor: nil, method: nil, message: timeline, db: db)
        }
        // Status updates are not pages: only a failed page moves the user on to their next method.
        guard isPage else { return }
        for alertId in alertIds {
            try db.run("""
                UPDATE alert_notifications SET due_at = ?
                WHERE alert_id = ? AND user_id = ? AND state = 'pending' AND due_at = (
                    SELECT MIN(due_at) FROM alert_notifications WHERE alert_id = ? AND user_id = ? AND state = 'pending')
                """, [SQLValue(now), .text(alertId), .text(userId), .text(alertId), .text(userId)])
        }
    }
}
