import Foundation
import HTTPServer
import Logging
import Storage

/// The on-call computation half of the API: on-call and shifts endpoints, calendar feeds and the
/// on-call history (its recorder, a step of the paging engine, and its endpoint). `Application`
/// builds one, registers its routes and adds the recorder to the engine.
final class OnCallModule: Sendable {
    let recorder: OnCallHistoryStep
    private let loader: ScheduleLoader
    private let tokens: CalendarFeedTokens
    private let history: OnCallHistory
    private let time: any TimeSource
    private let publicURL: String

    init(database: Database, time: any TimeSource, publicURL: String, changes: ScheduleChangeSignal, logger: Logger) {
        loader = ScheduleLoader(database: database)
        tokens = CalendarFeedTokens(database: database, time: time)
        history = OnCallHistory(database: database)
        recorder = OnCallHistoryStep(database: database, time: time, logger: logger, changes: changes)
        self.time = time
        self.publicURL = publicURL
    }

    func register(on api: APIRouteBuilder) {
        OnCallSchemas.register(on: api)
        OnCallRoutes.register(on: api, loader: loader, time: time)
        CalendarFeedRoutes.register(on: api, loader: loader, tokens: tokens, time: time, publicURL: publicURL)
        let history = self.history
        api.add(.get, "/api/v1/schedules/:id/history", role: .viewer,
                OpenAPIOperation("getScheduleHistory", summary: "Who actually was on call: recorded intervals overlapping [from, to), as recorded (not clipped)",
                                 tag: "on-call",
                                 parameters: [
                                     .init("id", in: .path, description: "Schedule id"),
                                     .init("from", in: .query, required: true, description: "Start of the range (RFC 3339)", schema: OnCallSchemas.dateTime),
                                     .init("to", in: .query, required: true, description: "End of the range (RFC 3339, exclusive); at most 366 days after from", schema: OnCallSchemas.dateTime),
                                 ],
                                 responses: [200: .init("Recorded intervals", schema: .ref("OnCallHistory")), 400: OnCallSchemas.badRequest, 404: OnCallSchemas.notFound])) { request, context, _ in
            let id = try context.parameter("id")
            let range = try InstantQuery.range(request)
            guard let intervals = try history.intervals(scheduleId: id, overlapping: range) else { throw OnCallRoutes.notFound("schedule", id) }
            return try HTTPResponse.json(OnCallAPI.History(scheduleId: id, from: range.lowerBound, to: range.upperBound, intervals: intervals))
        }
    }
}
