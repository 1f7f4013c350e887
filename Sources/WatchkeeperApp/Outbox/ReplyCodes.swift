import Foundation
import Storage

/// SMS reply codes: the small number an alert has on one SMS contact method ("1a" acknowledges
/// alert 1). Codes are given out in turn 1, 2, … `maximum` and then reused from 1, like GoAlert's,
/// so they stay short; an alert keeps its code on that method while it is not reused.
enum ReplyCodes {
    static let maximum = 99

    /// The alert's code on the method, assigned inside the caller's write job when it has none.
    static func code(contactMethodId: String, alertId: String, at now: Date, db: Connection) throws -> Int {
        if let existing: Int = try db.queryOne("SELECT code FROM sms_reply_codes WHERE contact_method_id = ? AND alert_id = ?",
                                               [.text(contactMethodId), .text(alertId)])?.get("code") {
            return existing
        }
        let last: Int? = try db.queryOne("SELECT code FROM sms_reply_codes WHERE contact_method_id = ? ORDER BY serial DESC LIMIT 1",
                                         [.text(contactMethodId)])?.get("code")
        let code = last.map { $0 % maximum + 1 } ?? 1
        let serial: Int64 = try db.queryOne("SELECT COALESCE(MAX(serial), 0) + 1 AS next FROM sms_reply_codes WHERE contact_method_id = ?",
                                            [.text(contactMethodId)])?.get("next") ?? 1
        try db.run("DELETE FROM sms_reply_codes WHERE contact_method_id = ? AND code = ?", [.text(contactMethodId), .integer(Int64(code))])
        try db.run("INSERT INTO sms_reply_codes (contact_method_id, code, alert_id, serial, assigned_at) VALUES (?, ?, ?, ?, ?)",
                   [.text(contactMethodId), .integer(Int64(code)), .text(alertId), .integer(serial), SQLValue(now)])
        return code
    }

    /// The alert a code names on one of `contactMethodIds`; nil when none.
    static func alert(code: Int, contactMethodIds: [String], db: Connection) throws -> String? {
        for id in contactMethodIds {
            if let alertId: String = try db.queryOne("SELECT alert_id FROM sms_reply_codes WHERE contact_method_id = ? AND code = ?",
                                                     [.text(id), .integer(Int64(code))])?.get("alert_id") {
                return alertId
            }
        }
        return nil
    }
}
