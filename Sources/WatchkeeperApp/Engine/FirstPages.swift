import Foundation
import Logging
import Storage

/// A new alert's first step fired, its immediate notification rules queued and those pages
/// claimed, all in the commit that creates the alert: the pages leave for the provider as the
/// 202 leaves for the sender, instead of after three more commits by the engine. The same
/// functions the engine's steps use, so the rules are the same either way.
struct FirstPages: Sendable {
    let outbox: OutboxStep
    let logger: Logger

    /// Inside the ingest's write job. A failure here (a schedule that cannot be computed) must
    /// not lose the event: its changes are rolled back to a savepoint and the engine's next pass
    /// does the work (and logs the failure).
    func prepare(alertId: String, at now: Date, db: Connection) -> [ClaimedMessage] {
        do {
            return try db.transaction {
                try EscalationStep.fireDueSteps(alertId: alertId, at: now, db: db)
                try NotificationStep.queueDue(at: now, alertId: alertId, db: db)
                return try outbox.claimPages(ofAlert: alertId, at: now, db: db)
            }
        } catch {
            logger.warning("first pages of alert \(alertId) left to the engine: \(error)")
            return []
        }
    }

    /// After the commit: hands the claimed pages to the outbox's senders.
    func send(_ claimed: [ClaimedMessage]) {
        if !claimed.isEmpty { outbox.dispatch(claimed) }
    }
}
