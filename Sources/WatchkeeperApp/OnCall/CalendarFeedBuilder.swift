import Cryptography
import Foundation
import Scheduling
import Storage

/// Turns shifts into iCalendar events: one event per merged shift, with a UID derived from the
/// feed, schedule, user and shift start, so regenerating the feed keeps every UID.
enum CalendarFeedBuilder {
    static let daysBack = 30
    static let daysAhead = 180

    /// From 30 days before today to 180 days after, in whole UTC days, so the first event's
    /// clipped start (and so its UID) changes at most once a day rather than on every fetch.
    static func range(now: Date) -> Range<Date> {
        let today = (now.timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
        return Date(timeIntervalSince1970: today - Double(daysBack) * 86_400)..<Date(timeIntervalSince1970: today + Double(daysAhead + 1) * 86_400)
    }

    static func scheduleFeed(_ loaded: LoadedSchedule, shifts: [Shift], generatedAt: Date) -> ICalendarFeed {
        let schedule = loaded.schedule
        let events = shifts.map { shift in
            let name = loaded.userNames[shift.userId] ?? shift.userId
            return ICalendarFeed.Event(
                uid: uid(feed: "schedule", scheduleId: schedule.id, userId: shift.userId, start: shift.start),
                start: shift.start, end: shift.end, summary: "On call: \(name)",
                description: describe(shift.reasons, scheduleName: schedule.name))
        }
        return ICalendarFeed(name: "On call: \(schedule.name)", events: events, generatedAt: generatedAt)
    }

    static func userFeed(userId: String, userName: String, shifts: [OnCallAPI.UserShift], generatedAt: Date) -> ICalendarFeed {
        let events = shifts.map { shift in
            ICalendarFeed.Event(
                uid: uid(feed: "user", scheduleId: shift.scheduleId, userId: userId, start: shift.start),
                start: shift.start, end: shift.end, summary: "On call: \(shift.scheduleName)",
                description: describe(shift.reasons, scheduleName: shift.scheduleName))
        }
        return ICalendarFeed(name: "On call: \(userName)", events: events, generatedAt: generatedAt)
    }

    /// `<32 hex digits>@watchkeeper`: a hash, so ids with any characters give a short, safe UID.
    /// The feed kind is included because the two feeds describe one shift with different titles.
    static func uid(feed: String, scheduleId: String, userId: String, start: Date) -> String {
        let key = [feed, scheduleId, userId, String(start.unixMilliseconds)].joined(separator: "\u{1F}")
        return Hex.encode(Digest.sha256(Array(key.utf8)).prefix(16)) + "@watchkeeper"
    }

    static func describe(_ reasons: [OnCallReason], scheduleName: String) -> String {
        let lines = reasons.map { reason -> String in
            switch reason.kind {
            case .rule:
                if let rotation = reason.rotationId {
                    return "Rule \(reason.ruleId ?? "?"): rotation \(rotation), participant \((reason.participantIndex ?? 0) + 1)"
                }
                return "Rule \(reason.ruleId ?? "?")"
            case .override:
                let replaced = reason.replacedUserId.map { " (replacing \($0))" } ?? ""
                return "Override \(reason.overrideId ?? "?"): \(reason.overrideAction?.rawValue ?? "add")\(replaced)"
            case .temporarySchedule:
                return "Temporary schedule \(reason.temporaryScheduleId ?? "?")"
            }
        }
        return (["Schedule: \(scheduleName)"] + lines).joined(separator: "\n")
    }
}
