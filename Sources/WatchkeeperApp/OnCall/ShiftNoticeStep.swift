import Foundation
import Logging
import Scheduling
import Storage

/// Tells users when their on-call shift starts (contact methods with `shift_notices`) and
/// reminds them an hour before (`shift_reminders`); only verified methods that are not disabled.
///
/// Rules:
/// - A "start" is the start of a continuous on-call period as `Schedule.shifts` merges it: a
///   shift carried on by the next rule, rotation turn or override without a gap is not a new start.
/// - A notice is due at its time (start, or start − 1 h) and is still sent up to `lateness`
///   after it; later than that it is dropped, so a server coming back from a long outage does not
///   announce shifts that began hours ago.
/// - `shift_notices` has one row per (schedule, user, start, kind), inserted in the same write
///   job as the messages: each notice goes out once, even if passes repeat or race.
/// - One notice per schedule: a user on call in two schedules hears about each.
struct ShiftNoticeStep: EngineStep {
    static let lateness: TimeInterval = 15 * 60
    /// How far ahead `run` looks for the next notice; beyond it the engine's own safety wake-up
    /// and schedule-change wakes cover the rest.
    static let horizon: TimeInterval = 6 * 3600
    /// How far past a start the shift's end is looked for, for the text; longer: "until further notice".
    static let endLookahead: TimeInterval = 35 * 86400

    let name = "shift-notices"
    let database: Database
    let loader: ScheduleLoader
    let logger: Logger
    /// The engine wakes on every event; computing every schedule's shifts then would make paging
    /// slower as schedules grow. A pass that found nothing due is remembered until its next notice
    /// time (or the horizon), and forgotten when users, rotations or schedules change.
    private let quiet = QuietPeriod()

    init(database: Database, logger: Logger, changes: ScheduleChangeSignal) {
        self.database = database
        self.loader = ScheduleLoader(database: database)
        self.logger = logger
        let quiet = self.quiet
        changes.subscribe { quiet.forget() }
    }

    /// A due notice with what its text needs.
    private struct Due: Sendable {
        var notice: ShiftNotice
        var scheduleName: String
        var text: ShiftNoticeText?
    }

    func run(at now: Date) throws -> Date? {
        if let remembered = quiet.answer(at: now) { return remembered }
        // One second before the earliest start still worth a notice: a shift starting exactly
        // at `from` would be indistinguishable from one clipped by the range.
        let from = now.addingTimeInterval(-Self.lateness - 1)
        let to = now.addingTimeInterval(ShiftNotice.Kind.reminderLead + Self.horizon)
        var due: [Due] = []
        var next: Date?
        for loaded in try loader.allSchedules(overlapping: from..<to) {
            let schedule = loaded.schedule
            let shifts: [Shift]
            do {
                shifts = try schedule.shifts(from: from, to: to, rotations: loaded.rotations).shifts
            } catch {
                logger.warning("shift notices: schedule cannot be computed", metadata: ["schedule": "\(schedule.id)", "error": "\(error)"])
                continue
            }
            for shift in shifts where shift.start > from {
                for kind in ShiftNotice.Kind.allCases {
                    let at = kind.noticeTime(shiftStart: shift.start)
                    if at > now {
                        if at.timeIntervalSince(now) <= Self.horizon, next.map({ at < $0 }) ?? true { next = at }
                    } else if now.timeIntervalSince(at) <= Self.lateness {
                        due.append(Due(notice: ShiftNotice(scheduleId: schedule.id, userId: shift.userId, start: shift.start, kind: kind),
                                       scheduleName: schedule.name.isEmpty ? schedule.id : schedule.name))
                    }
                }
            }
        }
        let pending = due.isEmpty ? [] : try unsent(due)
        let queued = pending.isEmpty ? 0 : try record(pending, at: now)
        // Every notice time up to now is now handled (queued, or recorded before), so nothing new
        // falls due before `next`.
        quiet.remember(from: now, next: next, horizon: Self.horizon)
        // Queued messages are due now: ask for another pass at once so the outbox sends them.
        return queued > 0 ? now : next
    }

    /// The due notices not yet recorded, each with its text (which needs the user's zone and
    /// the shift's true end, so it is built only for these few).
    private func unsent(_ due: [Due]) throws -> [Due] {
        let (fresh, zones) = try database.read { db -> ([Due], [String: TimeZone]) in
            var fresh: [Due] = []
            var zones: [String: TimeZone] = [:]
            for item in due {
                let notice = item.notice
                let sent = try db.queryOne("SELECT 1 AS x FROM shift_notices WHERE schedule_id = ? AND user_id = ? AND shift_start = ? AND kind = ?",
                                           [.text(notice.scheduleId), .text(notice.userId), SQLValue(notice.start), .text(notice.kind.rawValue)])
                guard sent == nil else { continue }
                fresh.append(item)
                if zones[notice.userId] == nil {
                    let row = try db.queryOne("SELECT json_extract(body, '$.timeZone') AS zone FROM users WHERE id = ?", [.text(notice.userId)])
                    let zone: String? = try row?.get("zone")
                    zones[notice.userId] = zone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "UTC")!
                }
            }
            return (fresh, zones)
        }
        return try fresh.map { item in
            var item = item
            let end = try shiftEnd(item.notice)
            item.text = ShiftNoticeText(kind: item.notice.kind, scheduleName: item.scheduleName, start: item.notice.start, end: end,
                                        timeZone: zones[item.notice.userId] ?? TimeZone(identifier: "UTC")!)
            return item
        }
    }

    /// The end of the continuous period starting at the notice's start; nil when it lasts
    /// beyond `endLookahead` or cannot be computed.
    private func shiftEnd(_ notice: ShiftNotice) throws -> Date? {
        let to = notice.start.addingTimeInterval(Self.endLookahead)
        guard let loaded = try loader.schedule(id: notice.scheduleId, overlapping: notice.start..<to),
              let shifts = try? loaded.schedule.shifts(from: notice.start, to: to, rotations: loaded.rotations).shifts,
              let shift = shifts.first(where: { $0.userId == notice.userId && $0.start == notice.start }),
              shift.end < to
        else { return nil }
        return shift.end
    }

    /// Records each notice and queues a `shift-notice` message per eligible contact method, all
    /// in one write job; returns how many messages were queued.
    private func record(_ pending: [Due], at now: Date) throws -> Int {
        try database.write { db in
            var queued = 0
            for item in pending {
                let notice = item.notice
                let inserted = try db.run("""
                    INSERT OR IGNORE INTO shift_notices (schedule_id, user_id, shift_start, kind, sent_at) VALUES (?, ?, ?, ?, ?)
                    """, [.text(notice.scheduleId), .text(notice.userId), SQLValue(notice.start), .text(notice.kind.rawValue), SQLValue(now)])
                // Another pass got here first.
                guard inserted > 0, let text = item.text else { continue }
                let methods = try db.query("""
                    SELECT id FROM contact_methods
                    WHERE user_id = ? AND \(notice.kind.optInColumn) = 1 AND verified_at IS NOT NULL AND disabled_at IS NULL
                    ORDER BY created_at, id
                    """, [.text(notice.userId)])
                for method in methods {
                    try OutboxQueue.enqueue(OutboxQueue.NewMessage(alertId: nil, serviceId: nil, userId: notice.userId, contactMethodId: try method.get("id"),
                                                                   kind: .shiftNotice, subject: text.subject, body: text.body), at: now, db: db)
                    queued += 1
                }
            }
            return queued
        }
    }
}
