import Foundation
import Storage

/// Provider callbacks already handled (`provider_events`), with the answer given: a provider's
/// retry of the same request (same message or call id) gets the same answer and changes nothing.
enum ProviderEvents {
    /// Providers retry for a day at most (Vonage: 24 h); older rows are dropped as new ones arrive.
    static let retention: TimeInterval = 3 * 24 * 3600

    enum Kind: String {
        case sms, key
    }

    /// The answer recorded for the event: `.some(nil)` when it was handled with no answer, nil
    /// when it is new.
    static func answer(gateway: String, id: String, kind: Kind, db: Connection) throws -> String?? {
        guard let row = try db.queryOne("SELECT answer FROM provider_events WHERE gateway = ? AND provider_id = ? AND kind = ?",
                                        [.text(gateway), .text(id), .text(kind.rawValue)]) else { return nil }
        return .some(try row.get("answer", as: String?.self))
    }

    static func record(gateway: String, id: String, kind: Kind, answer: String?, at now: Date, db: Connection) throws {
        try db.run("DELETE FROM provider_events WHERE received_at < ?", [SQLValue(now.addingTimeInterval(-retention))])
        try db.run("INSERT OR REPLACE INTO provider_events (gateway, provider_id, kind, answer, received_at) VALUES (?, ?, ?, ?, ?)",
                   [.text(gateway), .text(id), .text(kind.rawValue), answer.map { .text($0) } ?? .null, SQLValue(now)])
    }
}
