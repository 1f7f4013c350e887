import Foundation
import HTTPServer
import Scheduling

/// Who is on call, and shifts over a range, for schedules, rotations and users (viewer role).
enum OnCallRoutes {
    static func register(on api: APIRouteBuilder, loader: ScheduleLoader, time: any TimeSource) {
        let tag = "on-call"
        let scheduleID = OpenAPIOperation.Parameter("id", in: .path, description: "Schedule id")
        let rotationID = OpenAPIOperation.Parameter("id", in: .path, description: "Rotation id")
        let userID = OpenAPIOperation.Parameter("id", in: .path, description: "User id")
        let at = OpenAPIOperation.Parameter("at", in: .query, description: "The instant (RFC 3339); now when absent", schema: OnCallSchemas.dateTime)
        let range = [
            OpenAPIOperation.Parameter("from", in: .query, required: true, description: "Start of the range (RFC 3339, inclusive)", schema: OnCallSchemas.dateTime),
            OpenAPIOperation.Parameter("to", in: .query, required: true, description: "End of the range (RFC 3339, exclusive); after from, at most 366 days later", schema: OnCallSchemas.dateTime),
        ]

        api.add(.get, "/api/v1/schedules/:id/on-call", role: .viewer,
                OpenAPIOperation("getScheduleOnCall", summary: "Who is on call in a schedule at an instant, and why", tag: tag, parameters: [scheduleID, at],
                                 responses: [200: .init("On call", schema: .ref("ScheduleOnCall")), 400: OnCallSchemas.badRequest, 404: OnCallSchemas.notFound])) { request, context, _ in
            let id = try context.parameter("id")
            let instant = try InstantQuery.instant(request, "at", default: time.now())
            guard let loaded = try loader.schedule(id: id, overlapping: instant..<instant.addingTimeInterval(0.001)) else { throw notFound("schedule", id) }
            let entries = try compute { try loaded.schedule.onCall(at: instant, rotations: loaded.rotations) }
            return try HTTPResponse.json(OnCallAPI.ScheduleOnCall(
                scheduleId: id, scheduleName: loaded.schedule.name, timeZone: loaded.schedule.timeZone, at: instant,
                onCall: entries.map { .init(userId: $0.userId, userName: loaded.userNames[$0.userId], reasons: $0.reasons) }))
        }

        api.add(.get, "/api/v1/schedules/:id/shifts", role: .viewer,
                OpenAPIOperation("getScheduleShifts", summary: "A schedule's per-user merged shifts and its gaps in [from, to)", tag: tag, parameters: [scheduleID] + range,
                                 responses: [200: .init("Shifts and gaps", schema: .ref("ScheduleShifts")), 400: OnCallSchemas.badRequest, 404: OnCallSchemas.notFound])) { request, context, _ in
            let id = try context.parameter("id")
            let range = try InstantQuery.range(request)
            guard let loaded = try loader.schedule(id: id, overlapping: range) else { throw notFound("schedule", id) }
            let result = try compute { try loaded.schedule.shifts(from: range.lowerBound, to: range.upperBound, rotations: loaded.rotations) }
            return try HTTPResponse.json(OnCallAPI.ScheduleShifts(
                scheduleId: id, scheduleName: loaded.schedule.name, timeZone: loaded.schedule.timeZone, from: range.lowerBound, to: range.upperBound,
                shifts: result.shifts.map { .init(userId: $0.userId, userName: loaded.userNames[$0.userId], start: $0.start, end: $0.end, reasons: $0.reasons) },
                gaps: result.gaps))
        }

        api.add(.get, "/api/v1/rotations/:id/on-call", role: .viewer,
                OpenAPIOperation("getRotationOnCall", summary: "Whose turn it is in a rotation at an instant (the rotation's own calendar, without schedule rules)", tag: tag,
                                 parameters: [rotationID, at],
                                 responses: [200: .init("The shift containing the instant", schema: .ref("RotationOnCall")), 400: OnCallSchemas.badRequest, 404: OnCallSchemas.notFound])) { request, context, _ in
            let id = try context.parameter("id")
            let instant = try InstantQuery.instant(request, "at", default: time.now())
            guard let (rotation, names) = try loader.rotation(id: id) else { throw notFound("rotation", id) }
            let shift = try compute { try rotation.shift(at: instant) }
            return try HTTPResponse.json(OnCallAPI.RotationOnCall(
                rotationId: id, rotationName: rotation.name, timeZone: rotation.timeZone, at: instant, onCall: [turn(shift, names)]))
        }

        api.add(.get, "/api/v1/rotations/:id/shifts", role: .viewer,
                OpenAPIOperation("getRotationShifts", summary: "A rotation's turns (handoff to handoff) in [from, to)", tag: tag, parameters: [rotationID] + range,
                                 responses: [200: .init("Turns", schema: .ref("RotationShifts")), 400: OnCallSchemas.badRequest, 404: OnCallSchemas.notFound])) { request, context, _ in
            let id = try context.parameter("id")
            let range = try InstantQuery.range(request)
            guard let (rotation, names) = try loader.rotation(id: id) else { throw notFound("rotation", id) }
            let shifts = try compute { try rotation.shifts(from: range.lowerBound, to: range.upperBound) }
            return try HTTPResponse.json(OnCallAPI.RotationShifts(
                rotationId: id, rotationName: rotation.name, timeZone: rotation.timeZone, from: range.lowerBound, to: range.upperBound,
                shifts: shifts.map { turn($0, names) }))
        }

        api.add(.get, "/api/v1/users/:id/shifts", role: .viewer,
                OpenAPIOperation("getUserShifts", summary: "A user's shifts in [from, to) across all schedules", tag: tag, parameters: [userID] + range,
                                 responses: [200: .init("Shifts", schema: .ref("UserShifts")), 400: OnCallSchemas.badRequest, 404: OnCallSchemas.notFound])) { request, context, _ in
            let id = try context.parameter("id")
            let range = try InstantQuery.range(request)
            guard let name = try loader.userName(id: id) else { throw notFound("user", id) }
            let shifts = try userShifts(userId: id, range: range, loader: loader)
            return try HTTPResponse.json(OnCallAPI.UserShifts(userId: id, userName: name, from: range.lowerBound, to: range.upperBound, shifts: shifts))
        }
    }

    /// The user's shifts in every schedule that can put them on call, by start then schedule id.
    static func userShifts(userId: String, range: Range<Date>, loader: ScheduleLoader) throws -> [OnCallAPI.UserShift] {
        var result: [OnCallAPI.UserShift] = []
        for loaded in try loader.allSchedules(overlapping: range) where loaded.candidateUserIds.contains(userId) {
            let shifts = try compute { try loaded.schedule.shifts(from: range.lowerBound, to: range.upperBound, rotations: loaded.rotations) }
            for shift in shifts.shifts where shift.userId == userId {
                result.append(.init(scheduleId: loaded.schedule.id, scheduleName: loaded.schedule.name, start: shift.start, end: shift.end, reasons: shift.reasons))
            }
        }
        return result.sorted { ($0.start, $0.scheduleId) < ($1.start, $1.scheduleId) }
    }

    static func notFound(_ kind: String, _ id: String) -> HTTPError {
        HTTPError(.notFound, detail: "no \(kind) \"\(id)\"")
    }

    /// Runs a computation; a failure means stored configuration the CRUD validation should have
    /// refused (an unknown zone, a missing rotation), so it is a server fault with a useful message.
    static func compute<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as SchedulingError {
            throw StoredDataError("stored schedule configuration cannot be computed: \(error)")
        }
    }

    private static func turn(_ shift: RotationShift, _ names: [String: String]) -> OnCallAPI.RotationTurn {
        OnCallAPI.RotationTurn(userId: shift.userId, userName: names[shift.userId], participantIndex: shift.participantIndex, start: shift.start, end: shift.end)
    }
}
