import Foundation
import Scheduling

/// The JSON answers of the on-call, shifts, history and calendar-token endpoints. Instants are
/// RFC 3339 UTC (through `JSON.encoder`); a user's name is absent when the user row is gone.
enum OnCallAPI {
    struct UserOnCall: Encodable {
        var userId: String
        var userName: String?
        var reasons: [OnCallReason]
    }

    struct ScheduleOnCall: Encodable {
        var scheduleId: String
        var scheduleName: String
        var timeZone: String
        var at: Date
        var onCall: [UserOnCall]
    }

    /// One user's maximal continuous interval on call, clipped to the requested range.
    struct ScheduleShift: Encodable {
        var userId: String
        var userName: String?
        var start: Date
        var end: Date
        var reasons: [OnCallReason]
    }

    struct ScheduleShifts: Encodable {
        var scheduleId: String
        var scheduleName: String
        var timeZone: String
        var from: Date
        var to: Date
        var shifts: [ScheduleShift]
        /// Where nobody is on call; shifts and gaps together cover `[from, to)`.
        var gaps: [Gap]
    }

    /// One turn of a rotation, handoff to handoff (clipped to the range for `/shifts`).
    struct RotationTurn: Encodable {
        var userId: String
        var userName: String?
        var participantIndex: Int
        var start: Date
        var end: Date
    }

    struct RotationOnCall: Encodable {
        var rotationId: String
        var rotationName: String
        var timeZone: String
        var at: Date
        var onCall: [RotationTurn]
    }

    struct RotationShifts: Encodable {
        var rotationId: String
        var rotationName: String
        var timeZone: String
        var from: Date
        var to: Date
        var shifts: [RotationTurn]
    }

    struct UserShift: Encodable {
        var scheduleId: String
        var scheduleName: String
        var start: Date
        var end: Date
        var reasons: [OnCallReason]
    }

    struct UserShifts: Encodable {
        var userId: String
        var userName: String
        var from: Date
        var to: Date
        var shifts: [UserShift]
    }

    /// A recorded interval; `end` is null while the user is still on call.
    struct HistoryInterval: Encodable {
        var userId: String
        var userName: String?
        var start: Date
        var end: Date?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(userId, forKey: .userId)
            try container.encodeIfPresent(userName, forKey: .userName)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)  // explicit null: "still on call"
        }

        private enum CodingKeys: String, CodingKey { case userId, userName, start, end }
    }

    struct History: Encodable {
        var scheduleId: String
        var from: Date
        var to: Date
        var intervals: [HistoryInterval]
    }

    struct CalendarFeedToken: Encodable {
        /// The feed URL with its secret token; shown only in this answer.
        var url: String
        var createdAt: Date
    }
}
