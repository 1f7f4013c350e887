import Foundation
import Storage

/// Reads the recorded on-call intervals of a schedule.
struct OnCallHistory: Sendable {
    let database: Database

    /// The intervals overlapping `range`, as recorded (not clipped), by start then user id;
    /// nil when there is no such schedule.
    func intervals(scheduleId: String, overlapping range: Range<Date>) throws -> [OnCallAPI.HistoryInterval]? {
        try database.read { db in
            guard try db.queryOne("SELECT 1 FROM schedules WHERE id = ?", [.text(scheduleId)]) != nil else { return nil }
            let rows = try db.query("""
                SELECT h.user_id, json_extract(u.body, '$.name') AS user_name, h.start_at, h.end_at
                FROM on_call_history h LEFT JOIN users u ON u.id = h.user_id
                WHERE h.schedule_id = ? AND h.start_at < ? AND (h.end_at IS NULL OR h.end_at > ?)
                ORDER BY h.start_at, h.user_id
                """, [.text(scheduleId), SQLValue(range.upperBound), SQLValue(range.lowerBound)])
            return try rows.map { row in
                OnCallAPI.HistoryInterval(userId: try row.get("user_id"), userName: try row.get("user_name"),
                                          start: try row.get("start_at"), end: try row.get("end_at"))
            }
        }
    }
}
