import Foundation
import Storage

/// What an ack-link token leads to right now: its alert (with the service's name) and the user
/// it was issued to, who acts when a button is pressed.
struct AckLinkTarget: Sendable {
    var alert: Alert
    var serviceName: String
    var userId: String
    var userName: String
    /// The user's time zone, for the times shown; UTC when the user has none or an unknown one.
    var timeZone: TimeZone

    /// Why a token leads nowhere. Unknown and forged tokens look alike on purpose.
    enum Failure: Error, Sendable {
        case unknown
        case expired
    }

    /// Reads everything in one read transaction. Throws `Failure` for a token that does not work.
    static func load(token: String, now: Date, db: Connection) throws -> AckLinkTarget {
        guard let named = try AckTokens.lookup(token: token, db: db),
              let alertRow = try db.queryOne("SELECT \(Alert.columns) FROM alerts WHERE id = ?", [.text(named.alertId)])
        else { throw Failure.unknown }
        let alert = try Alert(row: alertRow)
        guard !AckTokens.isExpired(resolvedAt: alert.resolvedAt, now: now) else { throw Failure.expired }
        // A deleted user can no longer act: the link dies with them (ack_tokens.user_id has no foreign key).
        guard let user = try db.queryOne("SELECT json_extract(body, '$.name') AS name, json_extract(body, '$.timeZone') AS zone FROM users WHERE id = ?",
                                         [.text(named.userId)]) else { throw Failure.unknown }
        let service = try db.queryOne("SELECT json_extract(body, '$.name') AS name FROM services WHERE id = ?", [.text(alert.serviceId)])
        let zone: String? = try user.get("zone")
        return AckLinkTarget(alert: alert, serviceName: (try service?.get("name", as: String?.self)) ?? alert.serviceId,
                             userId: named.userId, userName: (try user.get("name", as: String?.self)) ?? named.userId,
                             timeZone: zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!)
    }
}
