import Foundation
import Logging
import Scheduling
import Storage
import Synchronization

/// Records who actually was on call when, in `on_call_history`, as each schedule's answer
/// changes, so later edits to a schedule do not rewrite the past.
///
/// A step of the paging engine's scheduler: each pass computes the next instant at which any
/// schedule's answer changes, and the engine sleeps until then (or until a `ScheduleChangeSignal`
/// wakes it). A pass compares the on-call set at `now` with the open rows (`end_at` NULL): rows of
/// users no longer on call are closed at `now`, users newly on call get a row starting at `now`.
/// After a restart the first pass does the same against the rows left open, so whoever went off
/// call while the server was down is closed at the restart, not at an instant nobody observed.
final class OnCallHistoryStep: EngineStep {
    /// How far ahead a pass looks for the next change.
    static let horizon: TimeInterval = 6 * 3600

    let name = "on-call history"
    private let loader: ScheduleLoader
    private let database: Database
    private let time: any TimeSource
    private let logger: Logger
    /// Serializes passes: the engine's and those of `recordNow()` callers (tests).
    private let passLock = Mutex(())
    private let quiet = QuietPeriod()

    init(database: Database, time: any TimeSource, logger: Logger, changes: ScheduleChangeSignal) {
        self.database = database
        self.loader = ScheduleLoader(database: database)
        self.time = time
        self.logger = logger
        let quiet = self.quiet
        changes.subscribe { quiet.forget() }
    }

    func run(at now: Date) throws -> Date? {
        if let remembered = quiet.answer(at: now) { return remembered }
        let next = try record(at: now)
        // Nobody's on-call state changes before `next` unless a schedule is edited.
        quiet.remember(from: now, next: next, horizon: Self.horizon)
        return next
    }

    /// One pass at the time source's `now`; for tests.
    @discardableResult
    func recordNow() throws -> Date {
        try record(at: time.now())
    }

    /// One pass at `now`: brings the open rows in line with who is on call (one write job), and
    /// returns the next instant at which any schedule's answer changes (at most `horizon` ahead).
    private func record(at now: Date) throws -> Date {
        try passLock.withLock { _ in
            let end = now.addingTimeInterval(Self.horizon)
            var next = end
            var onCall: [String: Set<String>] = [:]
            for loaded in try loader.allSchedules(overlapping: now..<end) {
                let schedule = loaded.schedule
                do {
                    onCall[schedule.id] = Set(try schedule.onCall(at: now, rotations: loaded.rotations).map(\.userId))
                    let ahead = try schedule.shifts(from: now, to: end, rotations: loaded.rotations)
                    let boundaries = ahead.shifts.flatMap { [$0.start, $0.end] } + ahead.gaps.flatMap { [$0.start, $0.end] }
                    if let soonest = boundaries.filter({ $0 > now }).min(), soonest < next { next = soonest }
                } catch {
                    // Its open rows stay as they are: unknown is not "nobody".
                    logger.warning("on-call history: schedule cannot be computed", metadata: ["schedule": "\(schedule.id)", "error": "\(error)"])
                }
            }
            let answers = onCall
            try database.write { db in try Self.apply(answers, at: now, db: db) }
            return next
        }
    }

    private static func apply(_ onCall: [String: Set<String>], at now: Date, db: Connection) throws {
        var open: [String: Set<String>] = [:]
        for row in try db.query("SELECT id, schedule_id, user_id, start_at FROM on_call_history WHERE end_at IS NULL") {
            let scheduleId: String = try row.get("schedule_id")
            let userId: String = try row.get("user_id")
            guard let current = onCall[scheduleId] else { continue }
            if current.contains(userId) {
                open[scheduleId, default: []].insert(userId)
                continue
            }
            let id: Int64 = try row.get("id")
            let start: Date = try row.get("start_at")
            if start.unixMilliseconds < now.unixMilliseconds {
                try db.run("UPDATE on_call_history SET end_at = ? WHERE id = ?", [SQLValue(now), .integer(id)])
            } else {
                // Opened at or after `now` (the clock went back): an empty interval, not history.
                try db.run("DELETE FROM on_call_history WHERE id = ?", [.integer(id)])
            }
        }
        for (scheduleId, users) in onCall {
            for userId in users.subtracting(open[scheduleId] ?? []) {
                try db.run("INSERT INTO on_call_history (schedule_id, user_id, start_at) VALUES (?, ?, ?)",
                           [.text(scheduleId), .text(userId), SQLValue(now)])
            }
        }
    }
}
