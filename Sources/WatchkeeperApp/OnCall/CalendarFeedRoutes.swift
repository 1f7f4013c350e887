import Foundation
import HTTPServer
import Scheduling

/// iCalendar feeds of a schedule and of a user, authenticated only by their secret token, and the
/// admin routes that issue, rotate and revoke those tokens.
enum CalendarFeedRoutes {
    static func register(on api: APIRouteBuilder, loader: ScheduleLoader, tokens: CalendarFeedTokens, time: any TimeSource, publicURL: String) {
        let tag = "calendar"
        let token = OpenAPIOperation.Parameter("token", in: .query, required: true, description: "The feed's secret token, from the calendar-token call")
        let calendar = OpenAPIOperation.Response("RFC 5545 calendar (UTC times, CRLF, folded lines)", schema: ["type": "string"], contentType: "text/calendar")
        // One answer for an unknown subject, a missing token and a wrong one, so a feed URL
        // reveals nothing about which schedules or users exist.
        let hidden = OpenAPIOperation.Response("Unknown feed, or missing or wrong token", schema: .ref("Problem"), contentType: "application/problem+json")

        for subject in [CalendarFeedTokens.Subject.schedule, .user] {
            let collection = subject == .schedule ? "schedules" : "users"
            let noun = subject == .schedule ? "Schedule" : "User"
            let id = OpenAPIOperation.Parameter("id", in: .path, description: "\(noun) id")

            api.addPublic(.get, "/api/v1/\(collection)/:id/calendar.ics",
                          OpenAPIOperation("get\(noun)CalendarFeed",
                                           summary: "\(noun) on-call shifts from 30 days ago to 180 days ahead as an iCalendar feed; authenticated by its token, not an API key",
                                           tag: tag, parameters: [id, token], responses: [200: calendar, 404: hidden])) { request, context in
                let id = try context.parameter("id")
                guard let secret = request.query("token"), try tokens.verify(subject, id: id, token: secret) else {
                    throw HTTPError(.notFound, detail: "no such calendar feed")
                }
                let now = time.now()
                let feed = try subject == .schedule ? scheduleFeed(id: id, loader: loader, now: now) : userFeed(id: id, loader: loader, now: now)
                guard let feed else { throw HTTPError(.notFound, detail: "no such calendar feed") }
                return HTTPResponse(status: .ok, headers: ["Content-Type": ICalendarFeed.contentType, "Cache-Control": "private, max-age=300"],
                                    body: .bytes(Array(feed.render().utf8)))
            }

            api.add(.post, "/api/v1/\(collection)/:id/calendar-token", role: .admin,
                    OpenAPIOperation("create\(noun)CalendarToken",
                                     summary: "Create or rotate the \(subject.rawValue)'s calendar feed token; the previous feed URL stops working",
                                     tag: tag, parameters: [id],
                                     responses: [200: .init("The feed URL with its new token (shown only here)", schema: .ref("CalendarFeedToken")), 404: OnCallSchemas.notFound])) { _, context, _ in
                let id = try context.parameter("id")
                guard let issued = try tokens.issue(subject, id: id) else { throw OnCallRoutes.notFound(subject.rawValue, id) }
                let url = "\(publicURL)/api/v1/\(collection)/\(PercentEncoding.encode(id))/calendar.ics?token=\(issued.token)"
                return try HTTPResponse.json(OnCallAPI.CalendarFeedToken(url: url, createdAt: issued.createdAt), headers: ["Cache-Control": "no-store"])
            }

            api.add(.delete, "/api/v1/\(collection)/:id/calendar-token", role: .admin,
                    OpenAPIOperation("revoke\(noun)CalendarToken", summary: "Revoke the \(subject.rawValue)'s calendar feed token; the feed URL stops working",
                                     tag: tag, parameters: [id], responses: [204: .init("Revoked"), 404: .init("No token", schema: .ref("Problem"), contentType: "application/problem+json")])) { _, context, _ in
                let id = try context.parameter("id")
                guard try tokens.revoke(subject, id: id) else { throw HTTPError(.notFound, detail: "the \(subject.rawValue) \"\(id)\" has no calendar feed token") }
                return HTTPResponse(status: .noContent)
            }
        }
    }

    static func scheduleFeed(id: String, loader: ScheduleLoader, now: Date) throws -> ICalendarFeed? {
        let range = CalendarFeedBuilder.range(now: now)
        guard let loaded = try loader.schedule(id: id, overlapping: range) else { return nil }
        let shifts = try OnCallRoutes.compute { try loaded.schedule.shifts(from: range.lowerBound, to: range.upperBound, rotations: loaded.rotations) }
        return CalendarFeedBuilder.scheduleFeed(loaded, shifts: shifts.shifts, generatedAt: now)
    }

    static func userFeed(id: String, loader: ScheduleLoader, now: Date) throws -> ICalendarFeed? {
        let range = CalendarFeedBuilder.range(now: now)
        guard let name = try loader.userName(id: id) else { return nil }
        let shifts = try OnCallRoutes.userShifts(userId: id, range: range, loader: loader)
        return CalendarFeedBuilder.userFeed(userId: id, userName: name, shifts: shifts, generatedAt: now)
    }
}
