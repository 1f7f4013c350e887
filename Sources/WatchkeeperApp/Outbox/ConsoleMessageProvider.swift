import Foundation
import Gateways
import Logging
import Storage

/// The provider used when none is configured: "delivers" by logging one line and storing the
/// message in `console_messages`, the fake phone and inbox of `make run` and the tests, read back
/// through `GET /api/v1/console/messages`.
struct ConsoleMessageProvider: MessageProvider {
    let database: Database
    let time: any TimeSource
    let logger: Logger

    var name: String { "console" }

    func supports(_ type: ContactMethodType) -> Bool { true }

    func send(_ message: OutgoingMessage) -> DeliveryResult {
        let alertIds = String(decoding: (try? JSONEncoder().encode(message.alertIds)) ?? Data("[]".utf8), as: UTF8.self)
        let at = time.now()
        do {
            let id = try database.write { db -> Int64 in
                try db.run("""
                    INSERT INTO console_messages (message_id, user_id, contact_method_id, type, address, kind, alert_ids, subject, text, at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(message.id), .text(message.userId), .text(message.contactMethodId), .text(message.type.rawValue),
                          .text(message.address), .text(message.kind.rawValue), .text(alertIds), .text(message.subject), .text(message.text),
                          SQLValue(at)])
                return db.lastInsertRowID
            }
            logger.info("console message", metadata: ["to": "\(message.type.rawValue):\(message.address)", "kind": "\(message.kind.rawValue)",
                                                      "text": "\(message.text)"])
            return .accepted(providerMessageId: "console-\(id)")
        } catch {
            // The database is closing or busy: worth another attempt.
            return .temporaryFailure(reason: "console store failed: \(error)", retryAfter: nil)
        }
    }
}
